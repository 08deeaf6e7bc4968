import { Alert, Button, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import type { RegisterEntryView, Visit } from '../../../core/contract';
import { formatDateTime } from '../format';

const ENTRY_COLUMNS: TableColumnsType<RegisterEntryView> = [
  { title: '序号', dataIndex: 'seq', width: 80 },
  { title: '印章', key: 'seal', render: (_, entry) => `${entry.sealName}（${entry.sealKind}）` },
  { title: '用印文件', dataIndex: 'documentKind', width: 100 },
  { title: '数量', dataIndex: 'count', width: 80, align: 'right' },
];

interface SealedPanelProps {
  visit: Visit;
  /** Known only right after sealing in this session; later the register holds them. */
  entries: RegisterEntryView[] | null;
  onPrint(): void;
}

export function SealedPanel({ visit, entries, onPrint }: SealedPanelProps) {
  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 12 }}
      title={`已于 ${formatDateTime(visit.sealedAt)} 签章。请经办人在印章使用登记表上签字。`}
      description={
        entries && (
          <div data-testid="seal-entries">
            <Table<RegisterEntryView> rowKey="seq" size="small" pagination={false} columns={ENTRY_COLUMNS} dataSource={entries} style={{ marginTop: 8, maxWidth: 640 }} />
          </div>
        )
      }
      action={
        <Button type="primary" data-testid="print-visit-sheet" onClick={onPrint}>
          打印登记表
        </Button>
      }
    />
  );
}
