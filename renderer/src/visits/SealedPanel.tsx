import { Alert, Button, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import type { RegisterEntryView, Visit } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';
import { BlanksHeld } from './BlanksHeld';

const ENTRY_COLUMNS: TableColumnsType<RegisterEntryView> = [
  { title: '序号', dataIndex: 'seq', width: 70 },
  {
    title: '印章',
    key: 'seal',
    width: 240,
    render: (_, entry) => (
      <>
        {entry.kind === '更正' && <Tag color="purple">更正第 {entry.correctsSeq} 号</Tag>}
        {`${entry.sealName}（${entry.sealKind}）`}
      </>
    ),
  },
  { title: '用印文件', dataIndex: 'documentKind', width: 90 },
  { title: '数量', dataIndex: 'count', width: 70, align: 'right' },
];

interface SealedPanelProps {
  visit: Visit;
  /** The entries the sealing just returned; otherwise (a visit reopened later) they are read from the register. */
  initialEntries: RegisterEntryView[] | null;
  onPrint: () => void;
}

export function SealedPanel({ visit, initialEntries, onPrint }: SealedPanelProps) {
  const showError = useShowError();
  const [entries, setEntries] = useState<RegisterEntryView[] | null>(initialEntries);

  useEffect(() => {
    if (initialEntries) {
      setEntries(initialEntries);
      return;
    }
    let cancelled = false;
    // One visit has one entry per seal and document kind: a handful, well under one page.
    call('register.list', { visitId: visit.id, offset: 0, limit: 200 }).then((page) => !cancelled && setEntries(page.entries), showError);
    return () => {
      cancelled = true;
    };
  }, [visit.id, initialEntries, showError]);

  const remarks = [...new Set((entries ?? []).map((entry) => entry.remarks).filter(Boolean))];

  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 12 }}
      title={`已于 ${formatDateTime(visit.sealedAt)} 签章。请经办人在印章使用登记表上签字。`}
      description={
        <div data-testid="seal-entries">
          <Table<RegisterEntryView>
            rowKey="seq"
            size="small"
            pagination={false}
            loading={entries === null}
            columns={ENTRY_COLUMNS}
            dataSource={entries ?? []}
            locale={{ emptyText: '登记簿中没有本次办证的登记' }}
            style={{ marginTop: 8, maxWidth: 640 }}
          />
          {remarks.length > 0 && (
            <Typography.Paragraph data-testid="seal-remarks" style={{ marginTop: 8, marginBottom: 0, whiteSpace: 'pre-wrap' }}>
              <Typography.Text strong>备注：</Typography.Text>
              {remarks.join('\n')}
            </Typography.Paragraph>
          )}
          <BlanksHeld visit={visit} />
        </div>
      }
      action={
        <Button type="primary" data-testid="print-visit-sheet" onClick={onPrint}>
          打印登记表
        </Button>
      }
    />
  );
}
