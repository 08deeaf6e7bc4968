import { z } from 'zod';

/**
 * Certificate-number rules per certificate type (DOMAIN.md §6). An office configures a regular
 * expression per type; the Sichuan worker-grade format is built in because its class letter must
 * also agree with the row's 级别, which a regular expression cannot say.
 */
export const CertNoRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sichuanWorker11') }),
  z.object({ kind: z.literal('regex'), regex: z.string().min(1), description: z.string().default('') }),
]);
export type CertNoRule = z.infer<typeof CertNoRuleSchema>;

const WORKER_CLASS_LETTER: Record<string, string> = { 技师: 'J', 高级技师: 'J', 高级工: 'G', 中级工: 'Z', 初级工: 'C' };

/** Why `certNo` does not fit `rule`, or null when it does. */
export function certNoProblem(rule: CertNoRule, certNo: string, level: string): string | null {
  if (rule.kind === 'regex') {
    return new RegExp(rule.regex).test(certNo) ? null : `不符合本类证书的编号规则${rule.description ? `（${rule.description}）` : ''}`;
  }
  const m = /^([JGZC])(\d{2})22(\d{2})(\d{4})$/.exec(certNo);
  if (!m) return '应为 11 位：等级字母（J/G/Z/C）+ 2 位年份 + 22 + 2 位发证机构代码 + 4 位顺序号';
  const [, letter, , office, sequence] = m;
  if (Number(office) > 21) return `发证机构代码 22${office} 不在 2200–2221 之内`;
  if (sequence === '0000') return '顺序号应在 0001–9999 之内';
  const expected = WORKER_CLASS_LETTER[level];
  if (expected && expected !== letter) return `等级字母 ${letter} 与级别“${level}”不符（应为 ${expected}）`;
  return null;
}
