import { UserError } from '../errors';

/**
 * How the office numbers the stamp slips it grants (DOMAIN.md §13): a pattern such as
 * `QZ{年}-{0000}`, where {年} is the year and {0000} the sequence with as many digits as zeros.
 * Slip numbers are matched upper-case at the counter, so the pattern's letters are too.
 */
export interface SlipPattern {
  text: string;
  format(year: number, sequence: number): string;
  /** The sequence number of `slipNo` if it was made by this pattern for `year`. */
  sequenceOf(slipNo: string, year: number): number | null;
  maxSequence: number;
}

const TOKEN = /\{年\}|\{0+\}/g;

export function slipPattern(text: string): SlipPattern {
  const pattern = text.trim().toUpperCase();
  const sequences = pattern.match(/\{0+\}/g) ?? [];
  if (sequences.length !== 1) throw new UserError(`凭条编号规则“${text}”应含一个且只含一个顺序号位置，如 {0000}（四位顺序号）。`);
  const literal = pattern.replace(TOKEN, '');
  if (/[{}]/.test(literal) || !/^[A-Z0-9\-_/]*$/.test(literal)) {
    throw new UserError(`凭条编号规则“${text}”只能由字母、数字、-、_、/ 和 {年}、{0000} 组成。`);
  }
  const width = sequences[0].length - 2;
  if (width > 8) throw new UserError(`凭条编号规则“${text}”的顺序号位数不能超过 8 位。`);
  const format = (year: number, sequence: number) =>
    pattern.replace(TOKEN, (token) => (token === '{年}' ? String(year) : String(sequence).padStart(width, '0')));
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return {
    text: pattern,
    format,
    maxSequence: 10 ** width - 1,
    sequenceOf(slipNo, year) {
      const source = pattern.split(TOKEN);
      const tokens = pattern.match(TOKEN)!;
      let regex = '^';
      source.forEach((part, i) => {
        regex += escape(part);
        const token = tokens[i];
        if (token) regex += token === '{年}' ? String(year) : `(\\d{${width}})`;
      });
      const m = new RegExp(`${regex}$`).exec(slipNo.toUpperCase());
      return m ? Number(m[1]) : null;
    },
  };
}

/**
 * The numbers for `count` more slips after those already issued for the year under this pattern:
 * the sequence continues from the highest, so a slip once granted keeps its number.
 */
export function nextSlipNumbers(pattern: SlipPattern, year: number, existing: Iterable<string>, count: number): string[] {
  let highest = 0;
  for (const slipNo of existing) highest = Math.max(highest, pattern.sequenceOf(slipNo, year) ?? 0);
  if (highest + count > pattern.maxSequence) {
    throw new UserError(`按编号规则“${pattern.text}”，${year} 年度的顺序号已到 ${highest}，再编 ${count} 张会超过 ${pattern.maxSequence}，请改用位数更多的规则。`);
  }
  return Array.from({ length: count }, (_, i) => pattern.format(year, highest + 1 + i));
}
