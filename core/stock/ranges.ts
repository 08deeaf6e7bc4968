import { UserError } from '../errors';
import { normalizeCode } from '../verify/text';

/**
 * A run of certificate numbers (号段, DOMAIN.md §6): first and last inclusive. Numbers are compared
 * as the office writes them: the same letters in front (Z, 51…, none) and then a run of digits of
 * the same length, so 51202500000101–51202500000142 holds 42 numbers and Z1122020001 never falls
 * inside a range of 14-digit numbers.
 */
export interface NumberRange {
  first: string;
  last: string;
}

interface SplitNumber {
  prefix: string;
  digits: string;
}

/** The letters in front and the digits at the end: where a range's counting happens. */
function split(certNo: string): SplitNumber | null {
  const m = /^(.*?)(\d+)$/.exec(certNo);
  return m ? { prefix: m[1]!, digits: m[2]! } : null;
}

/** A checked range as numbers: ends of the same prefix and width (checkedRange makes sure). */
function frame(range: NumberRange): { prefix: string; from: bigint; to: bigint; width: number } {
  const a = split(range.first)!;
  const b = split(range.last)!;
  return { prefix: a.prefix, from: BigInt(a.digits), to: BigInt(b.digits), width: a.digits.length };
}

/** How many numbers the range holds. */
export function rangeSize(range: NumberRange): number {
  const { from, to } = frame(range);
  return Number(to - from) + 1;
}

export function formatRange(range: NumberRange): string {
  return range.first === range.last ? range.first : `${range.first}–${range.last}`;
}

export function formatRanges(ranges: readonly NumberRange[]): string {
  return ranges.length === 0 ? '（无号段）' : ranges.map(formatRange).join('、');
}

/**
 * A range typed or given by the clerk, checked: both ends numbers with the same letters in front
 * and as many digits, the first not after the last. `where` names the field in the sentence.
 */
export function checkedRange(firstText: string, lastText: string, where: string): NumberRange {
  const first = normalizeCode(firstText);
  const last = normalizeCode(lastText || firstText);
  const a = split(first);
  const b = split(last);
  if (!a || !b) throw new UserError(`${where}的号段“${first}–${last}”两端都应以数字结尾，例如 51202500000101–51202500000142。`);
  if (a.prefix !== b.prefix || a.digits.length !== b.digits.length) {
    throw new UserError(`${where}的号段“${first}–${last}”两端的位数或字母部分不同，不是同一组编号。`);
  }
  if (BigInt(a.digits) > BigInt(b.digits)) throw new UserError(`${where}的号段“${first}–${last}”起号大于止号。`);
  if (rangeSize({ first, last }) > 1_000_000) throw new UserError(`${where}的号段“${first}–${last}”超过 100 万个号，请核对。`);
  return { first, last };
}

/** "51202500000101-51202500000142", with –, —, ～, ~ or 至 between; one number alone is a range of one. */
export function parseRangeText(text: string, where: string): NumberRange {
  const parts = text.trim().split(/\s*(?:-|–|—|～|~|至)\s*/);
  if (parts.length > 2 || parts.some((p) => p === '')) throw new UserError(`${where}的号段“${text}”应写成“起号-止号”。`);
  return checkedRange(parts[0]!, parts[1] ?? parts[0]!, where);
}

export function rangeContains(range: NumberRange, certNo: string): boolean {
  const n = split(certNo);
  const r = frame(range);
  if (!n || n.digits.length !== r.width || n.prefix !== r.prefix) return false;
  const value = BigInt(n.digits);
  return value >= r.from && value <= r.to;
}

export function rangesContain(ranges: readonly NumberRange[], certNo: string): boolean {
  return ranges.some((range) => rangeContains(range, certNo));
}

export function rangesOverlap(a: NumberRange, b: NumberRange): boolean {
  const x = frame(a);
  const y = frame(b);
  return x.prefix === y.prefix && x.width === y.width && x.from <= y.to && y.from <= x.to;
}

/** The first range of `others` that `range` overlaps, if any. */
export function overlapping<T extends NumberRange>(range: NumberRange, others: readonly T[]): T | undefined {
  return others.find((other) => rangesOverlap(range, other));
}

function make(prefix: string, width: number, from: bigint, to: bigint): NumberRange {
  const text = (value: bigint) => `${prefix}${value.toString().padStart(width, '0')}`;
  return { first: text(from), last: text(to) };
}

/** What is left of `ranges` once every number in `taken` is removed, in order. */
export function subtractRanges(ranges: readonly NumberRange[], taken: readonly NumberRange[]): NumberRange[] {
  let left = ranges.map(frame);
  for (const cut of taken.map(frame)) {
    left = left.flatMap((piece) => {
      if (piece.prefix !== cut.prefix || piece.width !== cut.width || cut.to < piece.from || cut.from > piece.to) return [piece];
      const kept = [];
      if (cut.from > piece.from) kept.push({ ...piece, to: cut.from - 1n });
      if (cut.to < piece.to) kept.push({ ...piece, from: cut.to + 1n });
      return kept;
    });
  }
  return left.map((piece) => make(piece.prefix, piece.width, piece.from, piece.to));
}

/** Whether every number of `range` lies in one of `within` (which do not overlap each other). */
export function rangeCoveredBy(range: NumberRange, within: readonly NumberRange[]): boolean {
  return subtractRanges([range], within).length === 0;
}

/** The lowest `count` numbers of `free`, as ranges; null when there are not that many. */
export function takeLowest(free: readonly NumberRange[], count: number): NumberRange[] | null {
  const ordered = [...free].sort(compareRanges);
  const taken: NumberRange[] = [];
  let wanted = BigInt(count);
  for (const piece of ordered.map(frame)) {
    if (wanted === 0n) break;
    const size = piece.to - piece.from + 1n;
    const used = size < wanted ? size : wanted;
    taken.push(make(piece.prefix, piece.width, piece.from, piece.from + used - 1n));
    wanted -= used;
  }
  return wanted === 0n ? taken : null;
}

export function totalSize(ranges: readonly NumberRange[]): number {
  return ranges.reduce((sum, range) => sum + rangeSize(range), 0);
}

export function compareRanges(a: NumberRange, b: NumberRange): number {
  const x = frame(a);
  const y = frame(b);
  if (x.prefix !== y.prefix) return x.prefix < y.prefix ? -1 : 1;
  if (x.width !== y.width) return x.width - y.width;
  return x.from < y.from ? -1 : x.from > y.from ? 1 : 0;
}
