import { Button, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import type { VisitRow } from '../../../core/contract';
import { needsAcknowledgement } from './sealability';

interface RosterTableProps {
  rows: VisitRow[];
  height: number;
  sealed: boolean;
  /** Absent once the visit is sealed: nothing can be acknowledged any more. */
  onAcknowledge?: (row: VisitRow) => void;
}

const ROW_CLASS: Record<VisitRow['verdict'], string> = { pass: '', warning: 'roster-row-warning', error: 'roster-row-error' };

export function RosterTable({ rows, height, sealed, onAcknowledge }: RosterTableProps) {
  const columns = useMemo(() => rosterColumns(sealed, onAcknowledge), [sealed, onAcknowledge]);
  const scrollX = useMemo(() => columns.reduce((sum, column) => sum + Number(column.width ?? 0), 0), [columns]);
  return (
    <div data-testid="visit-rows-table">
      <Table<VisitRow>
        virtual
        rowKey="line"
        size="small"
        bordered
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: scrollX, y: height }}
        rowClassName={(row) => ROW_CLASS[row.verdict]}
        locale={{ emptyText: '没有符合条件的行' }}
      />
    </div>
  );
}

function rosterColumns(sealed: boolean, onAcknowledge: RosterTableProps['onAcknowledge']): TableColumnsType<VisitRow> {
  return [
    { title: '序号', dataIndex: 'rowNo', width: 60, fixed: 'left', align: 'right' },
    { title: '证书编号', dataIndex: 'certNo', width: 150, className: 'digits' },
    { title: '姓名', dataIndex: 'name', width: 90 },
    { title: '性别', dataIndex: 'gender', width: 56, align: 'center' },
    { title: '身份证号码', dataIndex: 'idText', width: 190, className: 'digits' },
    { title: '资格名称', dataIndex: 'qualification', width: 120, ellipsis: true },
    { title: '专业名称', dataIndex: 'major', width: 130, ellipsis: true },
    { title: '工作单位', dataIndex: 'workUnit', width: 200, ellipsis: true },
    { title: '批准文号', dataIndex: 'approvalDoc', width: 150, ellipsis: true },
    { title: '批准时间', dataIndex: 'approvedOn', width: 110 },
    { title: '备注', dataIndex: 'remark', width: 170, ellipsis: true },
    { title: '结论', key: 'verdict', width: 128, fixed: 'right', render: (_, row) => <Verdict row={row} sealed={sealed} onAcknowledge={onAcknowledge} /> },
    { title: '问题', key: 'findings', width: 360, fixed: 'right', render: (_, row) => <Findings row={row} sealed={sealed} /> },
  ];
}

function Verdict({ row, sealed, onAcknowledge }: { row: VisitRow; sealed: boolean; onAcknowledge: RosterTableProps['onAcknowledge'] }) {
  // The backend's own sentence on hover, so a blocked row always says why without widening the column.
  const tooltip = sealed ? null : row.blockedBy;
  return (
    <Tooltip title={tooltip}>
      <span data-testid="row-verdict" data-row-no={row.rowNo}>
        <VerdictContent row={row} sealed={sealed} onAcknowledge={onAcknowledge} />
      </span>
    </Tooltip>
  );
}

function VerdictContent({ row, sealed, onAcknowledge }: { row: VisitRow; sealed: boolean; onAcknowledge: RosterTableProps['onAcknowledge'] }) {
  if (sealed && row.sealable) return <Tag color="green">已签章</Tag>;
  switch (row.verdict) {
    case 'pass':
      return <Tag color="green">通过</Tag>;
    case 'error':
      return (
        <>
          <Tag color="red">错误</Tag>
          <span className="finding-error">不可签章</span>
        </>
      );
    case 'warning':
      return (
        <>
          <Tag color="orange">警告</Tag>
          {onAcknowledge && needsAcknowledgement(row) ? (
            <Button size="small" data-testid="acknowledge-button" onClick={() => onAcknowledge(row)}>
              确认
            </Button>
          ) : row.sealable ? (
            <span style={{ color: '#389e0d' }}>{row.acknowledgement !== null ? '已确认' : '可签章'}</span>
          ) : sealed ? (
            <span className="finding-warning">未签章</span>
          ) : (
            <span className="finding-warning">待核验</span>
          )}
        </>
      );
  }
}

function Findings({ row, sealed }: { row: VisitRow; sealed: boolean }) {
  return (
    <>
      {row.findings.map((finding, index) => (
        <div key={index} className={`finding-line finding-${finding.severity}`}>
          {finding.message}
        </div>
      ))}
      {row.acknowledgement !== null && <div className="finding-line">确认理由：{row.acknowledgement}</div>}
      {/* An error row says "不可签章" already; on a warning row this is what the clerk still has to do. */}
      {!sealed && row.verdict !== 'error' && row.blockedBy !== null && (
        <div className="finding-line row-blocked" data-testid="row-blocked-by">
          {row.blockedBy}
        </div>
      )}
    </>
  );
}
