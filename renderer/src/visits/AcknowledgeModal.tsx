import { Alert, Typography } from 'antd';
import type { VisitRow, FindingCode } from '../../../core/contract';
import { FINDING_LABEL } from '../../../core/contract';
import { ReasonModal } from './ReasonModal';

const SUGGESTED_REASONS: Partial<Record<FindingCode, string[]>> = {
  UNIT_MISMATCH: ['已核实单位变动证明', '人员已调动，有调令', '单位已更名'],
  OFF_COUNTER_DAY: ['经负责人同意非办证日办理'],
};
const GENERAL_REASON = '已核实，同意签章';

/** More rows than this are summarised per finding rather than listed one by one. */
const LISTED_ROWS = 8;

interface AcknowledgeModalProps {
  okText?: string;
  /** One row from its 确认 button, or every row waiting for a reason (bulk). */
  rows: VisitRow[];
  /** 外语合格证复印件 already ticked: no need to point the clerk to it. */
  languageCopySeen: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
}

export function AcknowledgeModal({ rows, languageCopySeen, okText, onCancel, onConfirm }: AcknowledgeModalProps) {
  const findings = rows.flatMap((row) => row.findings.filter((f) => f.severity === 'warning'));
  const suggestions = [...new Set([...findings.flatMap((f) => SUGGESTED_REASONS[f.code] ?? []), GENERAL_REASON])];
  const needsLanguageCopy = !languageCopySeen && findings.some((f) => f.code === 'LANG_CERT_REQUIRED');
  const single = rows.length === 1 ? rows[0] : undefined;

  return (
    <ReasonModal
      title={single ? `确认警告：第 ${single.rowNo} 行 ${single.name}` : `确认警告：${rows.length} 行`}
      suggestions={suggestions}
      okText={okText}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      {rows.length <= LISTED_ROWS ? (
        <div style={{ maxHeight: 280, overflow: 'auto' }}>
          {rows.map((row) => (
            <div key={row.line} style={{ marginBottom: 6 }}>
              {!single && <Typography.Text strong>第 {row.rowNo} 行 {row.name}：</Typography.Text>}
              {row.findings.map((finding, index) => (
                <div key={index} className={`finding-line finding-${finding.severity}`}>
                  {finding.message}
                </div>
              ))}
            </div>
          ))}
        </div>
      ) : (
        <CodeCounts rows={rows} />
      )}
      <Typography.Text type="secondary">确认后{single ? '此行' : '这些行'}可以签章，理由记入办证记录和登记簿备注。{rows.length > 1 ? '同一理由用于所有行。' : ''}</Typography.Text>
      {needsLanguageCopy && <Alert type="info" showIcon title="“需核验外语合格证复印件”不能用理由确认：请在“已核验材料”中勾选外语合格证复印件。" />}
    </ReasonModal>
  );
}

function CodeCounts({ rows }: { rows: VisitRow[] }) {
  const counts = new Map<FindingCode, number>();
  for (const row of rows) for (const code of new Set(row.findings.map((f) => f.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }}>
      {[...counts].map(([code, count]) => (
        <li key={code} className="finding-warning">
          {FINDING_LABEL[code]}：{count} 行
        </li>
      ))}
    </ul>
  );
}
