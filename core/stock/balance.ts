import { formatRanges, overlapping, subtractRanges, type NumberRange } from './ranges';
import { CERTIFICATE_TYPES } from '../verify/certificateTypes';
import type { BalanceFlag, IssueBasis } from './terms';

/** One issue of blanks to a unit, as the reconciliation needs it. */
export interface IssueFact {
  seq: number;
  unit: string;
  certificateType: string;
  year: number;
  basis: IssueBasis;
  spares: number;
  count: number;
  ranges: NumberRange[];
}

export interface ReceiptFact {
  certificateType: string;
  year: number;
  count: number;
  ranges: NumberRange[];
}

export interface SpoiledFact {
  unit: string;
  certificateType: string;
  year: number;
  certNo: string;
}

/** Certificates sealed for a unit, of a type, in the year (the ledger, through its visits). */
export interface SealedFact {
  unit: string;
  certificateType: string;
  count: number;
}

/**
 * A unit's blanks of one type for one year (DOMAIN.md §10): issued = sealed + spoiled returned +
 * still held. `held` is what the equation leaves, so it is negative when the unit sealed or
 * returned more than it was given — which is flagged, never hidden.
 */
export interface BalanceLine {
  unit: string;
  certificateType: string;
  year: number;
  issued: number;
  spares: number;
  /** Of `issued`: blanks given in exchange for spoiled ones. */
  exchanged: number;
  sealed: number;
  spoiled: number;
  held: number;
  ranges: NumberRange[];
  flags: { code: BalanceFlag; message: string }[];
}

/** The office's own stock of one type for the year: received from the printer, issued, on hand. */
export interface OfficeStockLine {
  certificateType: string;
  year: number;
  received: number;
  issued: number;
  onHand: number;
  /** The pre-numbered blanks still on the shelf. */
  rangesOnHand: NumberRange[];
}

/** Certificate types in the order the counter lists them (DOMAIN.md §1). */
function byType(a: string, b: string): number {
  const rank = (type: string) => { const i = (CERTIFICATE_TYPES as readonly string[]).indexOf(type); return i === -1 ? CERTIFICATE_TYPES.length : i; };
  return rank(a) - rank(b) || a.localeCompare(b, 'zh-CN');
}

const key = (unit: string, certificateType: string) => `${unit}\u0000${certificateType}`;

/**
 * The reconciliation of `year`. A unit appears for a type it was issued blanks of, or — where the
 * office keeps stock of that type this year — that it sealed certificates of without blanks.
 * `allIssues` are the issues of every year, so that a range given to two units is seen whenever.
 */
export function reconcile(year: number, facts: { receipts: readonly ReceiptFact[]; issues: readonly IssueFact[]; spoiled: readonly SpoiledFact[]; sealed: readonly SealedFact[]; allIssues: readonly IssueFact[] }): { lines: BalanceLine[]; office: OfficeStockLine[] } {
  const lines = new Map<string, BalanceLine>();
  const line = (unit: string, certificateType: string): BalanceLine => {
    let found = lines.get(key(unit, certificateType));
    if (!found) {
      found = { unit, certificateType, year, issued: 0, spares: 0, exchanged: 0, sealed: 0, spoiled: 0, held: 0, ranges: [], flags: [] };
      lines.set(key(unit, certificateType), found);
    }
    return found;
  };
  const yearIssues = facts.issues.filter((issue) => issue.year === year);
  for (const issue of yearIssues) {
    const l = line(issue.unit, issue.certificateType);
    l.issued += issue.count;
    l.spares += issue.spares;
    if (issue.basis === 'exchange') l.exchanged += issue.count;
    l.ranges.push(...issue.ranges);
  }
  const tracked = new Set([...facts.receipts.filter((r) => r.year === year).map((r) => r.certificateType), ...yearIssues.map((i) => i.certificateType)]);
  for (const sealed of facts.sealed) {
    if (sealed.count > 0 && (lines.has(key(sealed.unit, sealed.certificateType)) || tracked.has(sealed.certificateType))) line(sealed.unit, sealed.certificateType).sealed += sealed.count;
  }
  for (const spoiled of facts.spoiled.filter((s) => s.year === year)) line(spoiled.unit, spoiled.certificateType).spoiled += 1;

  for (const l of lines.values()) {
    l.held = l.issued - l.sealed - l.spoiled;
    if (l.held < 0) {
      l.flags.push({ code: 'sealed-more-than-issued', message: `已签章 ${l.sealed} 本、退回废证 ${l.spoiled} 本，比领取的 ${l.issued} 本多 ${-l.held} 本。` });
    }
    const others = facts.allIssues.filter((issue) => issue.unit !== l.unit);
    const clashes = new Set<string>();
    for (const range of l.ranges) {
      const other = overlapping(range, others.flatMap((issue) => issue.ranges.map((r) => ({ ...r, unit: issue.unit }))));
      if (other) clashes.add(`${formatRanges([range])} 与发给“${other.unit}”的 ${formatRanges([other])} 重叠`);
    }
    if (clashes.size > 0) l.flags.push({ code: 'ranges-overlap', message: `号段${[...clashes].join('；')}。` });
  }

  const office = [...tracked].sort(byType).map((certificateType): OfficeStockLine => {
    const receipts = facts.receipts.filter((r) => r.year === year && r.certificateType === certificateType);
    const issues = yearIssues.filter((i) => i.certificateType === certificateType);
    const received = receipts.reduce((sum, r) => sum + r.count, 0);
    const issued = issues.reduce((sum, i) => sum + i.count, 0);
    return {
      certificateType, year, received, issued, onHand: received - issued,
      rangesOnHand: subtractRanges(receipts.flatMap((r) => r.ranges), issues.flatMap((i) => i.ranges)),
    };
  });
  const sorted = [...lines.values()].sort((a, b) => byType(a.certificateType, b.certificateType) || a.unit.localeCompare(b.unit, 'zh-CN'));
  return { lines: sorted, office };
}

