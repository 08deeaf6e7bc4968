import type { Request, Response } from '../../core/contract';
import { sealUsesFor } from '../../core/settings/settings';
import { SENIOR_CERTIFICATE } from '../../core/verify/certificateTypes';
import { checkSlip } from '../../core/verify/slips';
import { normalizeText } from '../../core/verify/text';
import type { ServiceContext } from '../context';
import { slipLookup } from '../settings/reference';
import { loadSettings } from '../settings/settings';

/** A slip number as a scanner or a clerk gives it, as the issuance list keeps it. */
export function normalizeSlipNo(text: string): string {
  return normalizeText(text).replace(/ /g, '').toUpperCase();
}

/**
 * The slip of a visit being filled in, checked before the visit exists: only what the clerk has
 * filled in is judged (an empty signer is not yet an unauthorised one), and the count waits for
 * the roster.
 */
export function checkDraft(ctx: ServiceContext, draft: Request<'visits.checkDraft'>): Response<'visits.checkDraft'> {
  const today = ctx.clock.date();
  const needsSlip = draft.certificateType
    ? sealUsesFor(loadSettings(ctx.db), draft.certificateType, today).some((use) => use.seal.requiresSlip)
    : draft.slipNo.trim() !== '';
  const slipNo = normalizeSlipNo(draft.slipNo);
  if (!needsSlip || slipNo === '') return { slipFindings: [], needsSlip };
  const signer = normalizeText(draft.slipSigner).replace(/ /g, '');
  const findings = checkSlip({ date: today, unit: draft.unit.trim(), slipNo, countOnSlip: 0, rowsToSeal: 0, signer }, slipLookup(ctx.db, -1));
  return {
    needsSlip,
    slipFindings: findings.filter((f) => f.code !== 'SLIP_COUNT_MISMATCH'
      && !(f.code === 'SLIP_WRONG_UNIT' && draft.unit.trim() === '')
      && !(f.code === 'SLIP_SIGNER_UNAUTHORIZED' && signer === '')),
  };
}

/** The agents this unit sent before (latest first), and who may sign a slip today: one alone is prefilled. */
export function visitHints(ctx: ServiceContext, unit: string): Response<'visits.hints'> {
  const agents = ctx.db.prepare(
    `SELECT agent_name AS name, agent_phone AS phone FROM visits WHERE unit = ? AND agent_name != ''
     GROUP BY agent_name, agent_phone ORDER BY max(id) DESC LIMIT 5`,
  ).all(unit.trim()) as { name: string; phone: string }[];
  const today = ctx.clock.date();
  const signers = ctx.db.prepare(
    `SELECT DISTINCT name FROM authorised_signers WHERE valid_from <= ? AND (valid_to IS NULL OR ? <= valid_to) ORDER BY valid_from DESC, name`,
  ).pluck().all(today, today) as string[];
  return { agents, signers, signer: signers.length === 1 ? signers[0]! : null };
}

/**
 * What a scanned number is. Slips are issued for senior certificates (DOMAIN.md §1), so a slip
 * opens a senior visit; a slip whose visit is still open goes back to that visit.
 */
export function scanCode(ctx: ServiceContext, code: string): Response<'visits.scan'> {
  const text = normalizeSlipNo(code);
  const slip = ctx.db.prepare('SELECT slip_no AS slipNo, unit, year FROM issued_slips WHERE slip_no = ?').get(text) as { slipNo: string; unit: string; year: number } | undefined;
  if (slip) {
    const openVisitId = ctx.db.prepare('SELECT id FROM visits WHERE slip_no = ? AND sealed_at IS NULL AND voided_at IS NULL ORDER BY id DESC LIMIT 1').pluck().get(slip.slipNo) as number | undefined;
    return { kind: 'slip', ...slip, certificateType: SENIOR_CERTIFICATE, openVisitId: openVisitId ?? null };
  }
  const certificate = ctx.db.prepare('SELECT cert_no FROM certificates WHERE cert_no = ? LIMIT 1').pluck().get(text) as string | undefined;
  if (certificate) return { kind: 'certificate', certNo: certificate };
  return { kind: 'unknown', message: `扫描到的编号“${text}”既不是已发放的签章凭条，也不是本窗口签章过的证书编号。` };
}
