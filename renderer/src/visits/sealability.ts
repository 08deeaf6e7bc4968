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
  const slipErrors = visit.slipFindings.filter((f) => f.severity === 'error');
  if (slipErrors.length > 0) return `签章凭条未通过核验（${slipErrors.length} 项问题），不能签章`;
  if (visit.dayWarning !== null && visit.dayAcknowledgement === null) return '今天不是高级证书办证日：请先确认并填写理由';
  if (!visit.rosterFile) return '请先导入发证名册';
  if (visit.counts.sealable === 0) return '没有可签章的行';
  if (unconfirmedSlipCount(visit)) return '可签章的证书少于凭条上的数量：请确认退回的证书并填写理由';
  return null;
}

/** Errors first, then warnings, each in roster order: what the clerk must look at is at the top. */
export function problemsFirst(rows: VisitRow[]): VisitRow[] {
  const rank = { error: 0, warning: 1, pass: 2 } as const;
  return [...rows].sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.rowNo - b.rowNo);
}

/** The slip-count warning (fewer to seal than the slip names) not yet confirmed with a reason. */
export function unconfirmedSlipCount(visit: Visit): boolean {
  return visit.slipFindings.some((f) => f.code === 'SLIP_COUNT_MISMATCH' && f.severity === 'warning');
}

/** Why sealing cannot start, leaving out what Ctrl+Enter leads the clerk through (warnings and the slip count). */
export function hardBlockReason(visit: Visit): string | null {
  if (visit.status !== 'open') return null;
  const errors = visit.slipFindings.filter((f) => f.severity === 'error');
  if (errors.length > 0) return `签章凭条未通过核验（${errors.length} 项问题），不能签章`;
  if (!visit.rosterFile) return '请先导入发证名册';
  return null;
}
