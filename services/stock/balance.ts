import type { BalanceView, Request } from '../../core/contract';
import { reconcile } from '../../core/stock/balance';
import type { UnitRanges } from '../../core/verify/verifyRoster';
import type { Db } from '../../db/database';
import { issueFacts, sealedCounts, stockRecords } from './store';

/** issued = sealed + spoiled returned + still held, per unit and type, for the year (DOMAIN.md §10). */
export function stockBalance(db: Db, request: Request<'stock.balance'>): BalanceView {
  const unit = request.unit?.trim() || undefined;
  const allIssues = issueFacts(db);
  const { lines, office } = reconcile(request.year, {
    receipts: stockRecords(db, 'stock-receipt'),
    issues: allIssues,
    spoiled: stockRecords(db, 'stock-spoiled'),
    sealed: sealedCounts(db, request.year),
    allIssues,
  });
  const wanted = lines.filter((l) => (!unit || l.unit === unit) && (!request.certificateType || l.certificateType === request.certificateType));
  return { year: request.year, lines: wanted, office: office.filter((o) => !request.certificateType || o.certificateType === request.certificateType) };
}

/**
 * The number ranges a unit holds for a certificate type and year, for CERTNO_FORMAT (DOMAIN.md §6):
 * null where that type's blanks of the year are not pre-numbered (no range was received or
 * issued), so types the office does not hand out by number are not checked.
 */
export function unitRangesFor(db: Db, unit: string, certificateType: string, year: number): UnitRanges | null {
  const ofType = (r: { certificateType: string; year: number; ranges: readonly unknown[] }) => r.certificateType === certificateType && r.year === year && r.ranges.length > 0;
  const issues = issueFacts(db).filter(ofType);
  if (issues.length === 0 && !stockRecords(db, 'stock-receipt').some(ofType)) return null;
  return { unit, year, ranges: issues.filter((i) => i.unit === unit).flatMap((i) => i.ranges) };
}

