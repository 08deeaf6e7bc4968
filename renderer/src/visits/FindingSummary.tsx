import { Space, Tag } from 'antd';
import { useMemo } from 'react';
import type { Visit, VisitRow, FindingCode } from '../../../core/contract';
import { FINDING_CODES, FINDING_LABEL, SEVERITY } from '../../../core/contract';

interface FindingSummaryProps {
  counts: Visit['counts'];
  rows: VisitRow[];
  /** A sealed visit's sealable rows are the ones it sealed. */
  sealed: boolean;
  codeFilter: FindingCode | null;
  onCodeFilter: (code: FindingCode | null) => void;
}

export function FindingSummary({ counts, rows, sealed, codeFilter, onCodeFilter }: FindingSummaryProps) {
  const rowsPerCode = useMemo(() => countRowsPerCode(rows), [rows]);
  const presentCodes = FINDING_CODES.filter((code) => rowsPerCode.has(code));

  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <div data-testid="visit-summary" style={{ fontSize: 16 }}>
        <Space size={20} wrap>
          <span>共 {counts.total} 行</span>
          <span>通过 {counts.pass}</span>
          <span className="finding-warning">警告 {counts.warning}</span>
          <span className="finding-error">错误 {counts.error}</span>
          <strong style={{ color: '#389e0d' }}>
            {sealed ? '已签章' : '可签章'} {counts.sealable} 本
          </strong>
        </Space>
      </div>
      {presentCodes.length > 0 && (
        <Space size={[4, 8]} wrap>
          {presentCodes.map((code) => {
            const selected = codeFilter === code;
            const toggle = () => onCodeFilter(selected ? null : code);
            return (
              <Tag
                key={code}
                className="finding-tag"
                data-testid={`finding-tag-${code}`}
                color={SEVERITY[code] === 'error' ? 'red' : 'orange'}
                variant={selected ? 'solid' : 'outlined'}
                role="button"
                tabIndex={0}
                aria-pressed={selected}
                title={selected ? '再次点击取消筛选' : '只看有此问题的行'}
                onClick={toggle}
                onKeyDown={(event) => {
                  // Ctrl+Enter on a focused tag is the seal shortcut, not a second toggle of the filter.
                  if ((event.key === 'Enter' || event.key === ' ') && !event.ctrlKey && !event.metaKey && !event.altKey) {
                    event.preventDefault();
                    toggle();
                  }
                }}
              >
                {FINDING_LABEL[code]} {rowsPerCode.get(code)}
              </Tag>
            );
          })}
        </Space>
      )}
    </Space>
  );
}

/** Rows, not findings: a row with the code twice still counts once, as the filter shows it. */
function countRowsPerCode(rows: VisitRow[]): Map<FindingCode, number> {
  const counts = new Map<FindingCode, number>();
  for (const row of rows) {
    for (const code of new Set(row.findings.map((f) => f.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}
