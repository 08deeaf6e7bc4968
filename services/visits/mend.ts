import type { Request, VisitDetail, VisitMendable } from '../../core/contract';
import { UserError } from '../../core/errors';
import { normalizeText } from '../../core/verify/text';
import type { ServiceContext } from '../context';
import type { FieldChange } from './amendments';
import { getVisitDetail, requireOpenVisit } from './visits';

const COLUMN: Record<VisitMendable, string> = {
  slipNo: 'slip_no', slipCount: 'slip_count', slipSigner: 'slip_signer', agentName: 'agent_name', agentPhone: 'agent_phone',
};

/** As visits.create stores them, so that a mended value compares and checks like a first one. */
function stored(field: VisitMendable, value: string | number): string | number {
  if (field === 'slipNo') return normalizeText(String(value)).toUpperCase();
  if (field === 'slipSigner') return normalizeText(String(value)).replace(/ /g, '');
  return typeof value === 'number' ? value : value.trim();
}

/**
 * Mends an open visit (slip, its count or signer, the agent): the visit takes the new values and
 * keeps what they were, who changed them and why. A sealed visit is corrected only by a 更正 entry.
 */
export function mendVisit(ctx: ServiceContext, request: Request<'visits.mend'>): VisitDetail {
  return ctx.db.transaction(() => {
    const visit = requireOpenVisit(ctx.db, request.visitId) as unknown as Record<string, string | number | null>;
    const changes: FieldChange[] = [];
    const assignments: string[] = [];
    const values: (string | number)[] = [];
    for (const [field, value] of Object.entries(request.changes) as [VisitMendable, string | number | undefined][]) {
      if (value === undefined) continue;
      const column = COLUMN[field];
      const after = stored(field, value);
      const before = visit[column];
      if (before === after) continue;
      changes.push({ field, before: before == null ? '' : String(before), after: String(after) });
      assignments.push(`${column} = ?`);
      values.push(after);
    }
    if (changes.length === 0) throw new UserError('填写的内容与原来相同，没有需要修改的。');
    // A reason for sealing fewer than the slip names was given for the old count.
    if (changes.some((c) => c.field === 'slipCount')) assignments.push('slip_count_reason = NULL');
    ctx.db.prepare(`UPDATE visits SET ${assignments.join(', ')} WHERE id = ?`).run(...values, request.visitId);
    ctx.db.prepare('INSERT INTO visit_amendments (visit_id, at, clerk, changes_json, reason) VALUES (?, ?, ?, ?, ?)')
      .run(request.visitId, ctx.clock.timestamp(), ctx.session.requireAccount().displayName, JSON.stringify(changes), request.reason.trim());
    return getVisitDetail(ctx, request.visitId);
  }).immediate();
}

/** 作废本次办证: the visit stays, marked with who and why; its slip is not consumed, nothing is sealed. */
export function voidVisit(ctx: ServiceContext, request: Request<'visits.void'>): VisitDetail {
  requireOpenVisit(ctx.db, request.visitId);
  ctx.db.prepare('UPDATE visits SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?')
    .run(ctx.clock.timestamp(), ctx.session.requireAccount().displayName, request.reason.trim(), request.visitId);
  return getVisitDetail(ctx, request.visitId);
}

/** Fewer rows to seal than the slip names (certificates handed back): confirmed with a reason the register keeps. */
export function acknowledgeSlipCount(ctx: ServiceContext, request: Request<'visits.acknowledgeSlipCount'>): VisitDetail {
  requireOpenVisit(ctx.db, request.visitId);
  const { visit } = getVisitDetail(ctx, request.visitId);
  if (!visit.slipFindings.some((f) => f.code === 'SLIP_COUNT_MISMATCH' && f.severity === 'warning')) {
    throw new UserError('本次可签章的证书数没有少于凭条上的数量，无需确认。');
  }
  ctx.db.prepare('UPDATE visits SET slip_count_reason = ? WHERE id = ?').run(request.reason.trim(), request.visitId);
  return getVisitDetail(ctx, request.visitId);
}
