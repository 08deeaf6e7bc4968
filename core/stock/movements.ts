import { UserError } from '../errors';
import { WORKER_CERTIFICATE } from '../verify/certificateTypes';
import { normalizeCode } from '../verify/text';
import type { IssueFact, ReceiptFact, SpoiledFact } from './balance';
import { compareRanges, formatRange, formatRanges, overlapping, rangeCoveredBy, rangesContain, rangesOverlap, subtractRanges, takeLowest, totalSize, type NumberRange } from './ranges';
import { positiveCount, sparesFor, wholeCount } from './rules';
import { WORKER_GRADES, type IssueBasis, type WorkerGrade } from './terms';

/**
 * The rules of each stock movement (DOMAIN.md §10), decided before anything is written: a movement
 * that breaks one is refused as a whole with one sentence, so a refused movement changes nothing.
 */

/** Ranges of other movements, with whom they went to, so a refusal can say whose they are. */
export interface IssuedRange extends NumberRange {
  unit: string;
  year: number;
}

export interface ReceivedRange extends NumberRange {
  certificateType: string;
  year: number;
  at: string;
}

const MAX_LISTED = 3;

function refuseAll(problems: string[], nothing: string): void {
  if (problems.length === 0) return;
  const listed = problems.slice(0, MAX_LISTED).join('；');
  throw new UserError(`${listed}${problems.length > MAX_LISTED ? `；另有 ${problems.length - MAX_LISTED} 处` : ''}。${nothing}`);
}

/** Ranges given together must not overlap each other. */
function checkDisjoint(ranges: readonly NumberRange[], what: string): void {
  const sorted = [...ranges].sort(compareRanges);
  for (let i = 1; i < sorted.length; i++) {
    if (rangesOverlap(sorted[i - 1]!, sorted[i]!)) throw new UserError(`${what}中的号段 ${formatRange(sorted[i - 1]!)} 与 ${formatRange(sorted[i]!)} 互相重叠。`);
  }
}

/** A receipt from the printer: a count, or pre-numbered ranges that must be new to the office. */
export function planReceipt(ask: { count: number | null; ranges: NumberRange[] }, received: readonly ReceivedRange[]): { count: number; ranges: NumberRange[] } {
  if (ask.ranges.length === 0) return { count: positiveCount(ask.count, '入库数量'), ranges: [] };
  checkDisjoint(ask.ranges, '本次入库');
  for (const range of ask.ranges) {
    const clash = overlapping(range, received);
    if (clash) throw new UserError(`入库号段 ${formatRange(range)} 与 ${clash.at.slice(0, 10)} 已入库的${clash.year}年度“${clash.certificateType}”号段 ${formatRange(clash)} 重叠，本次入库未登记。`);
  }
  const size = totalSize(ask.ranges);
  if (ask.count !== null && ask.count !== size) throw new UserError(`入库数量 ${ask.count} 本与号段 ${formatRanges(ask.ranges)} 的 ${size} 个号不符，本次入库未登记。`);
  return { count: size, ranges: [...ask.ranges].sort(compareRanges) };
}

export interface IssueAsk {
  unit: string;
  certificateType: string;
  year: number;
  basis: IssueBasis;
  grades: Partial<Record<WorkerGrade, unknown>> | null;
  /** The 登记表's data rows (basis roster). */
  rosterRows: number | null;
  /** Blanks asked for in exchange (basis exchange, other than worker grades). */
  count: unknown;
  /** null: the rule's spares. */
  spares: unknown;
  sparesReason: string;
  ranges: NumberRange[];
}

export interface StockOfType {
  /** Receipts of this type and year. */
  receipts: readonly ReceiptFact[];
  /** Issues of this type and year, to every unit. */
  issues: readonly IssueFact[];
  /** Every range ever issued, of any type and year: a number goes to one unit only. */
  issuedRanges: readonly IssuedRange[];
  /** Spoiled certificates this unit returned for this type and year. */
  spoiledByUnit: number;
}

export interface PlannedIssue {
  base: number;
  spares: number;
  sparesReason: string;
  count: number;
  grades: Record<WorkerGrade, number> | null;
  ranges: NumberRange[];
}

const NOTHING_ISSUED = '本次未发放。';

function gradeCounts(grades: Partial<Record<WorkerGrade, unknown>> | null): Record<WorkerGrade, number> {
  if (!grades) throw new UserError(`工人技术等级资格证书须按等级填写数量（${WORKER_GRADES.join('、')}）。${NOTHING_ISSUED}`);
  const counts = Object.fromEntries(WORKER_GRADES.map((grade) => [grade, wholeCount(grades[grade] ?? 0, `${grade}数量`)])) as Record<WorkerGrade, number>;
  if (WORKER_GRADES.every((grade) => counts[grade] === 0)) throw new UserError(`各等级数量都是 0，至少应有一个等级的数量为正整数。${NOTHING_ISSUED}`);
  return counts;
}

/**
 * What an issue hands out: the count its basis gives, the spares (5% of a 登记表 rounded up; none
 * on a 申领计划表, Sichuan 2012 "严格按实际合格人数发放"; none on an exchange), and which numbers.
 */
export function planIssue(ask: IssueAsk, stock: StockOfType): PlannedIssue {
  const worker = ask.certificateType === WORKER_CERTIFICATE;
  let base: number;
  let grades: Record<WorkerGrade, number> | null = null;
  let ruleSpares = 0;
  switch (ask.basis) {
    case 'plan':
      if (!worker) throw new UserError(`申领计划表只用于工人技术等级资格证书（川人社函〔2012〕389号）；“${ask.certificateType}”请按登记表人数发放。${NOTHING_ISSUED}`);
      grades = gradeCounts(ask.grades);
      base = WORKER_GRADES.reduce((sum, grade) => sum + grades![grade], 0);
      break;
    case 'roster':
      if (worker) throw new UserError(`工人技术等级资格证书按申领计划表发放（川人社函〔2012〕389号），不按登记表人数。${NOTHING_ISSUED}`);
      base = positiveCount(ask.rosterRows, '登记表人数');
      ruleSpares = sparesFor(base);
      break;
    case 'exchange': {
      if (worker) {
        grades = gradeCounts(ask.grades);
        base = WORKER_GRADES.reduce((sum, grade) => sum + grades![grade], 0);
      } else base = positiveCount(ask.count, '换领数量');
      const sparesGiven = stock.issues.filter((i) => i.unit === ask.unit).reduce((sum, i) => sum + i.spares, 0);
      const exchanged = stock.issues.filter((i) => i.unit === ask.unit && i.basis === 'exchange').reduce((sum, i) => sum + i.count, 0);
      const exchangeable = stock.spoiledByUnit - sparesGiven - exchanged;
      if (base > exchangeable) {
        throw new UserError(stock.spoiledByUnit <= sparesGiven
          ? `“${ask.unit}”${ask.year}年度已退回废证 ${stock.spoiledByUnit} 本，未超过已领的备用证书 ${sparesGiven} 本：应先用备用证书重制，备用证书用完后才能凭废证换领。${NOTHING_ISSUED}`
          : `“${ask.unit}”${ask.year}年度退回的废证中还可换领 ${Math.max(exchangeable, 0)} 本（退回 ${stock.spoiledByUnit} 本，减去备用证书 ${sparesGiven} 本和已换领的 ${exchanged} 本），不能换领 ${base} 本。${NOTHING_ISSUED}`);
      }
      break;
    }
  }

  let spares = ruleSpares;
  let sparesReason = '';
  if (ask.spares !== null && ask.spares !== undefined && ask.spares !== '') {
    spares = wholeCount(ask.spares, '备用证书数');
    if (ask.basis === 'exchange' && spares > 0) throw new UserError(`凭废证换领不另发备用证书。${NOTHING_ISSUED}`);
    if (spares !== ruleSpares) {
      sparesReason = ask.sparesReason.trim();
      if (sparesReason.length < 2) throw new UserError(`备用证书按规定应为 ${ruleSpares} 本，改为 ${spares} 本须填写理由。${NOTHING_ISSUED}`);
    }
  }
  const count = base + spares;
  return { base, spares, sparesReason, count, grades, ranges: issueRanges(ask, stock, count) };
}

/** Pre-numbered stock goes out as ranges: those the clerk typed, checked, or the lowest free numbers. */
function issueRanges(ask: IssueAsk, stock: StockOfType, count: number): NumberRange[] {
  const numbered = stock.receipts.flatMap((r) => r.ranges);
  const free = subtractRanges(numbered, stock.issuedRanges);
  const plainOnHand = stock.receipts.filter((r) => r.ranges.length === 0).reduce((sum, r) => sum + r.count, 0)
    - stock.issues.filter((i) => i.ranges.length === 0).reduce((sum, i) => sum + i.count, 0);
  const what = `${ask.year}年度“${ask.certificateType}”`;
  if (ask.ranges.length > 0) {
    if (numbered.length === 0) throw new UserError(`${what}入库时没有号段，发放时不能指定号段。${NOTHING_ISSUED}`);
    checkDisjoint(ask.ranges, '本次发放');
    for (const range of ask.ranges) {
      const clash = overlapping(range, stock.issuedRanges);
      if (clash) throw new UserError(`号段 ${formatRange(range)} 与已发给“${clash.unit}”的${clash.year}年度号段 ${formatRange(clash)} 重叠。${NOTHING_ISSUED}`);
      if (!rangeCoveredBy(range, numbered)) throw new UserError(`号段 ${formatRange(range)} 不在${what}入库的号段 ${formatRanges(numbered)} 之内。${NOTHING_ISSUED}`);
    }
    const size = totalSize(ask.ranges);
    if (size !== count) throw new UserError(`号段 ${formatRanges(ask.ranges)} 共 ${size} 个号，与本次发放的 ${count} 本不符。${NOTHING_ISSUED}`);
    return [...ask.ranges].sort(compareRanges);
  }
  if (plainOnHand >= count) return [];
  const lowest = takeLowest(free, count);
  if (lowest) return lowest;
  throw new UserError(`库存不足：${what}现有库存 ${Math.max(plainOnHand, 0) + totalSize(free)} 本${free.length > 0 ? `（有号段的 ${totalSize(free)} 本：${formatRanges(free)}）` : ''}，本次需发放 ${count} 本。${NOTHING_ISSUED}`);
}

export interface SpoiledLookup {
  /** The unit's ranges of this type and year (empty: its blanks are not pre-numbered). */
  unitRanges: readonly NumberRange[];
  /** Issued to the unit for this type and year, and what it has sealed and returned since. */
  issued: number;
  sealed: number;
  returned: number;
  /** Whose range a number is in, if another unit's. */
  otherHolder(certNo: string): IssuedRange | undefined;
  /** When and for whom a number was returned as spoiled before. */
  returnedBefore(certNo: string): (SpoiledFact & { at: string }) | undefined;
  /** When and for whom a number was sealed. */
  sealedAs(certNo: string): { name: string; sealedAt: string } | undefined;
}

/**
 * The spoiled certificates a unit hands back, each recorded once: a number sealed, returned
 * before, or not one of the unit's is refused with its reason, and the whole return with it.
 */
export function checkSpoiled(unit: string, certificateType: string, year: number, numbersTyped: readonly string[], lookup: SpoiledLookup): string[] {
  const numbers = numbersTyped.map(normalizeCode).filter((n) => n !== '');
  const nothing = '本次废证未登记。';
  if (numbers.length === 0) throw new UserError(`请扫描或输入退回的废证编号。${nothing}`);
  if (lookup.issued === 0) throw new UserError(`${year}年度从未向“${unit}”发放过“${certificateType}”空白证书，不能登记它退回的废证。${nothing}`);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const certNo of numbers) {
    if (seen.has(certNo)) { problems.push(`废证编号 ${certNo} 在本次录入中重复`); continue; }
    seen.add(certNo);
    const sealed = lookup.sealedAs(certNo);
    if (sealed) { problems.push(`证书编号 ${certNo} 已于 ${sealed.sealedAt} 签章给 ${sealed.name}，不是废证`); continue; }
    const before = lookup.returnedBefore(certNo);
    if (before) { problems.push(`废证 ${certNo} 已于 ${before.at.slice(0, 10)} 由“${before.unit}”退回登记过`); continue; }
    if (lookup.unitRanges.length > 0 && !rangesContain(lookup.unitRanges, certNo)) {
      const other = lookup.otherHolder(certNo);
      problems.push(other
        ? `证书编号 ${certNo} 属于发给“${other.unit}”的号段 ${formatRange(other)}，不是发给本单位的`
        : `证书编号 ${certNo} 不在发给“${unit}”的号段 ${formatRanges(lookup.unitRanges)} 之内，从未发给本单位`);
    }
  }
  refuseAll(problems, nothing);
  const held = lookup.issued - lookup.sealed - lookup.returned;
  if (lookup.unitRanges.length === 0 && numbers.length > held) {
    throw new UserError(`“${unit}”${year}年度领取“${certificateType}”${lookup.issued} 本，已签章 ${lookup.sealed} 本、退回废证 ${lookup.returned} 本，尚持有 ${Math.max(held, 0)} 本，不能退回 ${numbers.length} 本废证。${nothing}`);
  }
  return numbers;
}
