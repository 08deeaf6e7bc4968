import { Alert, Button, Descriptions, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { CERTIFICATE_TYPES } from '../../../core/contract';
import type { CertificateType, ListSummary, Response } from '../../../core/contract';
import { call, errorText } from '../api';
import type { FileUpload } from '../common/upload';

export interface PendingImport {
  upload: FileUpload;
  preview: Response<'lists.preview'>;
}

interface ImportListModalProps {
  pending: PendingImport;
  importedLists: ListSummary[];
  onCancel: () => void;
  /** `replaced`: an existing list was updated from this file rather than a new one added. */
  onImported: (list: ListSummary, replaced: boolean) => void;
}

const CERTIFICATE_TYPE_OPTIONS = CERTIFICATE_TYPES.map((type) => ({ value: type, label: type }));

export function ImportListModal({ pending, importedLists, onCancel, onImported }: ImportListModalProps) {
  const { upload, preview } = pending;
  const [approvalDoc, setApprovalDoc] = useState(preview.approvalDoc);
  // A corrected file replacing a list keeps the list's title and type unless the clerk changes them:
  // a re-exported CSV often has no title row, and the file name is a poor title.
  const existing = preview.alreadyImported ? importedLists.find((list) => list.approvalDoc === preview.approvalDoc) : undefined;
  const [title, setTitle] = useState(existing?.title ?? preview.title);
  const [certificateType, setCertificateType] = useState<CertificateType>(existing?.certificateType ?? preview.certificateType);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The preview compared only the number it found; an edited number is checked against the lists shown.
  const docEdited = approvalDoc.trim() !== preview.approvalDoc;
  const diff = !docEdited && preview.alreadyImported ? preview.diff : null;
  const changes = diff ? diff.added + diff.removed + diff.changed : 0;
  const replacing = diff !== null && changes > 0;
  const unchanged = diff !== null && changes === 0;
  const duplicate = docEdited ? importedLists.some((list) => list.approvalDoc === approvalDoc.trim()) : preview.alreadyImported && diff === null;
  const hasRejectedRows = preview.rejected.length > 0;
  const canImport = !hasRejectedRows && !duplicate && !unchanged && approvalDoc.trim() !== '' && preview.rowCount > 0;

  const confirm = async () => {
    setImporting(true);
    setError(null);
    try {
      onImported(await call('lists.import', { ...upload, approvalDoc: approvalDoc.trim(), title: title.trim(), certificateType, replaceExisting: replacing || undefined }), replacing);
    } catch (e) {
      setError(errorText(e));
      setImporting(false);
    }
  };

  return (
    <Modal
      open
      width={760}
      title={`导入名单：${upload.fileName}`}
      onCancel={onCancel}
      footer={
        <Space>
          <Button onClick={onCancel}>取消</Button>
          <Button type="primary" disabled={!canImport} loading={importing} data-testid="list-import-confirm" onClick={() => void confirm()}>
            {replacing ? '确认按新名单更新' : '确认导入'}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Descriptions
          column={1}
          bordered
          size="small"
          styles={{ label: { width: 120 } }}
          items={[
            {
              key: 'doc',
              label: '批准文号',
              children: <Input data-testid="list-import-doc" value={approvalDoc} onChange={(e) => setApprovalDoc(e.target.value)} status={approvalDoc.trim() ? undefined : 'error'} placeholder="文件中未找到批准文号，请填写" />,
            },
            { key: 'title', label: '标题', children: <Input value={title} onChange={(e) => setTitle(e.target.value)} /> },
            {
              key: 'type',
              label: '证书类型',
              children: <Select<CertificateType> style={{ width: '100%' }} options={CERTIFICATE_TYPE_OPTIONS} value={certificateType} onChange={setCertificateType} />,
            },
            { key: 'rows', label: '数据行数', children: `${preview.rowCount} 行` },
            { key: 'header', label: '表头所在行', children: `第 ${preview.headerLine} 行` },
          ]}
        />
        {duplicate && <Alert type="error" showIcon title={`批准文号“${approvalDoc.trim()}”的名单已经导入过，不能重复导入。`} />}
        {unchanged && <Alert type="info" showIcon data-testid="list-import-unchanged" title={`批准文号“${approvalDoc.trim()}”的名单已经导入过，本文件与已导入的名单相同，无需更新。`} />}
        {replacing && diff && <ListDiffView approvalDoc={approvalDoc.trim()} diff={diff} />}
        {hasRejectedRows && (
          <Alert
            type="error"
            showIcon
            title={`有 ${preview.rejected.length} 行无法导入，整份名单不予导入`}
            description="名单必须整份导入，以免漏掉人员。请在 Excel 中更正下列行后重新选择文件。"
          />
        )}
        {hasRejectedRows && (
          <Table
            rowKey="line"
            size="small"
            bordered
            pagination={false}
            scroll={{ y: 240 }}
            dataSource={preview.rejected}
            columns={[
              { title: '行号', dataIndex: 'line', width: 80 },
              { title: '原因', dataIndex: 'reason' },
            ]}
          />
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}

type ListDiff = NonNullable<Response<'lists.preview'>['diff']>;
type DiffSample = ListDiff['samples'][number];

const CHANGE_TAG: Record<DiffSample['change'], { color: string; label: string }> = {
  added: { color: 'green', label: '新增' },
  removed: { color: 'red', label: '删除' },
  changed: { color: 'orange', label: '变更' },
};

/** What replacing the imported list would change, read before the clerk confirms it. */
function ListDiffView({ approvalDoc, diff }: { approvalDoc: string; diff: ListDiff }) {
  const total = diff.added + diff.removed + diff.changed;
  return (
    <div data-testid="list-import-diff">
      <Alert
        type="warning"
        showIcon
        title={`批准文号“${approvalDoc}”的名单已经导入过。按本文件更新将：新增 ${diff.added} 人，删除 ${diff.removed} 人，变更 ${diff.changed} 人。`}
        description={`请核对下列差异${diff.samples.length < total ? `（列出前 ${diff.samples.length} 条，共 ${total} 条）` : ''}，无误后点击“确认按新名单更新”。此后的核验按更新后的名单进行。`}
      />
      <Table<DiffSample>
        rowKey={(sample) => `${sample.change}:${sample.idNumber}`}
        size="small"
        bordered
        pagination={false}
        scroll={{ y: 240 }}
        style={{ marginTop: 8 }}
        dataSource={diff.samples}
        columns={[
          { title: '变化', dataIndex: 'change', width: 70, render: (change: DiffSample['change']) => <Tag color={CHANGE_TAG[change].color}>{CHANGE_TAG[change].label}</Tag> },
          { title: '身份证号码', dataIndex: 'idNumber', width: 190, className: 'digits' },
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '说明', dataIndex: 'detail' },
        ]}
      />
    </div>
  );
}
