import { Alert, Button, Input, Modal, Table, Typography } from 'antd';
import type { InputRef, TableColumnsType } from 'antd';
import { useRef, useState } from 'react';
import type { PrintVerification } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';

type Entry = PrintVerification['entries'][number];

const COLUMNS: TableColumnsType<Entry> = [
  { title: '序号', dataIndex: 'seq', width: 60 },
  { title: '时间', dataIndex: 'at', width: 140, render: (value: string) => formatDateTime(value) },
  { title: '类别', dataIndex: 'kind', width: 60 },
  { title: '印章', dataIndex: 'seal', width: 200 },
  { title: '用印文件', dataIndex: 'documentKind', width: 80 },
  { title: '数量', dataIndex: 'count', width: 60 },
  { title: '用章单位', dataIndex: 'unit' },
  { title: '窗口经办人', dataIndex: 'clerk', width: 100 },
];

/**
 * 核验打印件: a 2D scanner at the counter types the QR's text into the field and ends with Enter;
 * the app says whether the paper is this register's, unchanged, and what it shows.
 */
export function VerifyPaperModal({ onClose }: { onClose: () => void }) {
  const showError = useShowError();
  const [text, setText] = useState('');
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<PrintVerification | null>(null);
  const inputRef = useRef<InputRef>(null);

  const verify = async (scanned: string) => {
    if (!scanned.trim()) return;
    setChecking(true);
    try {
      setResult(await call('print.verify', { text: scanned }));
    } catch (e) {
      showError(e);
    } finally {
      setChecking(false);
      setText('');
      inputRef.current?.focus();
    }
  };

  return (
    <Modal
      open
      title="核验打印件"
      width={900}
      onCancel={onClose}
      destroyOnHidden
      // Once the modal has opened (its body is not mounted before): the scanner types into whatever has the focus.
      afterOpenChange={(open) => open && inputRef.current?.focus()}
      footer={<Button data-testid="verify-paper-close" onClick={onClose}>关闭</Button>}>
      <Typography.Paragraph type="secondary">用扫码枪扫描打印件上的二维码（扫码前请切换到英文输入法），或把二维码内容粘贴到下面后按回车。</Typography.Paragraph>
      {/* The QR's text is a scan meant for this field, not for the app-wide scanner (common/scanner.ts). */}
      <div data-scan-field>
        <Input.Search
          ref={inputRef}
          data-testid="verify-paper-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(value) => void verify(value)}
          enterButton="核验"
          loading={checking}
          placeholder="SC-PRINT/1 …"
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      {result && (
        <div data-testid="verify-paper-result" style={{ marginTop: 16 }}>
          <Alert type={result.verified ? 'success' : 'error'} showIcon title={result.sentence} description={result.details.length > 0 && <ul style={{ margin: 0, paddingLeft: 20 }}>{result.details.map((d) => <li key={d}>{d}</li>)}</ul>} />
          {result.entries.length > 0 && <Table<Entry> rowKey="seq" size="small" pagination={false} columns={COLUMNS} dataSource={result.entries} style={{ marginTop: 12 }} />}
        </div>
      )}
    </Modal>
  );
}
