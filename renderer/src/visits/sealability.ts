import type { Visit, VisitRow } from '../../../core/contract';

/**
 * Whether a row waits for the clerk's acknowledgement. LANG_CERT_REQUIRED is cleared only by
 * ticking 外语合格证复印件 for the visit, never by a reason, so it alone does not count; an error
 * row can never be sealed, so acknowledging its warnings would change nothing.
 */
export function needsAcknowledgement(row: VisitRow): boolean {
  return row.verdict === 'warning' && row.acknowledgement === null && row.findings.some((f) => f.severity === 'warning' && f.code !== 'LANG_CERT_REQUIRED');
}

export function rowsWithLangRequirement(rows: VisitRow[]): VisitRow[] {
  return rows.filter((row) => row.verdict === 'warning' && row.findings.some((f) => f.code === 'LANG_CERT_REQUIRED'));
}

/** Why the seal button is disabled for an open visit, in the clerk's words; null when sealing may start. */
export function sealBlockReason(visit: Visit): string | null {
  if (visit.status !== 'open') return null;
  if (visit.slipFindings.length > 0) return `签章凭条未通过核验（${visit.slipFindings.length} 项问题），不能签章`;
  if (visit.dayWarning !== null && visit.dayAcknowledgement === null) return '今天不是高级证书办证日：请先确认并填写理由';
  if (!visit.rosterFile) return '请先导入发证名册';
  if (visit.counts.sealable === 0) return '没有可签章的行';
  return null;
}
