/**
 * Certificate numbers as runs: 51202501000001–51202501000040 for forty numbers in a row. A run
 * keeps the same prefix and the same width of its numeric tail, so Z1122020123 and Z1122020124 are
 * one run and G1122020125 starts another.
 */
export interface CertRange {
  first: string;
  last: string;
  count: number;
}

function split(certNo: string): { prefix: string; tail: bigint | null; width: number } {
  const match = /^(.*?)(\d+)$/.exec(certNo);
  return match ? { prefix: match[1]!, tail: BigInt(match[2]!), width: match[2]!.length } : { prefix: certNo, tail: null, width: 0 };
}

export function certRanges(certNos: readonly string[]): CertRange[] {
  const sorted = [...new Set(certNos)].map((certNo) => ({ certNo, ...split(certNo) })).sort((a, b) =>
    a.prefix === b.prefix && a.width === b.width && a.tail !== null && b.tail !== null
      ? (a.tail < b.tail ? -1 : a.tail > b.tail ? 1 : 0)
      : a.certNo < b.certNo ? -1 : a.certNo > b.certNo ? 1 : 0);
  const ranges: CertRange[] = [];
  let current: { range: CertRange; prefix: string; width: number; tail: bigint | null } | null = null;
  for (const item of sorted) {
    if (current && current.tail !== null && item.tail !== null && item.prefix === current.prefix && item.width === current.width && item.tail === current.tail + 1n) {
      current.range.last = item.certNo;
      current.range.count++;
      current.tail = item.tail;
      continue;
    }
    current = { range: { first: item.certNo, last: item.certNo, count: 1 }, prefix: item.prefix, width: item.width, tail: item.tail };
    ranges.push(current.range);
  }
  return ranges;
}

export const rangeText = (range: CertRange) => (range.count === 1 ? range.first : `${range.first}–${range.last}`);
