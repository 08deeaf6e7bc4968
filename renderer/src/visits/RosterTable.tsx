import { Button, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useImperativeHandle, useMemo, useRef } from 'react';
import type { Ref } from 'react';
import type { VisitRow } from '../../../core/contract';
import { needsAcknowledgement } from './sealability';

export interface RosterTableHandle {
  scrollToRow: (line: number) => void;
}

interface RosterTableProps {
  ref?: Ref<RosterTableHandle>;
  rows: VisitRow[];
  height: number;
  /** The width the table may take: every column fits in it, nothing scrolls sideways. */
  width: number;
  sealed: boolean;
  /** The problem row F8 / Shift+F8 moved to. */
  currentLine: number | null;
  /** Absent once the visit is sealed: nothing can be acknowledged any more. */
  onAcknowledge?: (row: VisitRow) => void;
}

const ROW_CLASS: Record<VisitRow['verdict'], string> = { pass: '', warning: 'roster-row-warning', error: 'roster-row-error' };

/** Two fields in one cell, the second smaller: the whole roster fits a 1366-pixel screen. */
function Pair({ first, second, digits }: { first: string; second: string; digits?: boolean }) {
  return (
    <>
      <div className={digits ? 'digits' : undefined}>{first}</div>
      {second !== '' && <div className={`roster-cell-second${digits ? ' digits' : ''}`}>{second}</div>}
    </>
  );
}

/** Long text that does not fit is cut, and shown whole on hover. */
function Clipped({ text }: { text: string }) {
  return text === '' ? null : (
    <Tooltip title={text}>
      <span>{text}</span>
    </Tooltip>
  );
}

export function RosterTable({ ref, rows, height, width, sealed, currentLine, onAcknowledge }: RosterTableProps) {
  const columns = useMemo(() => rosterColumns(sealed, width, onAcknowledge), [sealed, width, onAcknowledge]);
  const tableRef = useRef<{ scrollTo: (config: { key?: number; index?: number }) => void }>(null);
  useImperativeHandle(ref, () => ({ scrollToRow: (line) => tableRef.current?.scrollTo({ key: line }) }), []);
  return (
    <div data-testid="visit-rows-table">
      <Table<VisitRow>
        ref={tableRef as never}
        virtual
        rowKey="line"
        size="small"
        bordered
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: width - 2, y: height }}
        rowClassName={(row) => `${ROW_CLASS[row.verdict]}${row.line === currentLine ? ' roster-row-current' : ''}`}
        locale={{ emptyText: '没有符合条件的行' }}
      />
    </div>
  );
}

/** Fixed columns take what they need; 问题 takes the rest, so a finding is read whole, wrapped. */
const FIXED_WIDTH = 44 + 156 + 80 + 120 + 120 + 124 + 84 + 96;

function rosterColumns(sealed: boolean, width: number, onAcknowledge: RosterTableProps['onAcknowledge']): TableColumnsType<VisitRow> {
  return [
    { title: '序号', dataIndex: 'rowNo', width: 44, align: 'right' },
    { title: '证书编号 / 身份证号码', key: 'numbers', width: 156, render: (_, row) => <Pair first={row.certNo} second={row.idText} digits /> },
    { title: '姓名 / 性别', key: 'name', width: 80, render: (_, row) => <Pair first={row.name} second={row.gender} /> },
    { title: '资格 / 专业', key: 'qualification', width: 120, render: (_, row) => <Pair first={row.qualification} second={row.major} /> },
    { title: '工作单位', dataIndex: 'workUnit', width: 120, ellipsis: { showTitle: false }, render: (text: string) => <Clipped text={text} /> },
    { title: '批准文号 / 时间', key: 'approval', width: 124, render: (_, row) => <Pair first={row.approvalDoc} second={row.approvedOn} /> },
    { title: '备注', dataIndex: 'remark', width: 84, ellipsis: { showTitle: false }, render: (text: string) => <Clipped text={text} /> },
    { title: '结论', key: 'verdict', width: 96, render: (_, row) => <Verdict row={row} sealed={sealed} onAcknowledge={onAcknowledge} /> },
    { title: '问题', key: 'findings', width: Math.max(220, width - FIXED_WIDTH - 20), render: (_, row) => <Findings row={row} sealed={sealed} /> },
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
