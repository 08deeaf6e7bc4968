import { formatDate, isRealDate, normalizeCode } from './text';

/**
 * Resident ID numbers (GB 11643-1999): 17 digits and a check character. A spreadsheet that
 * treated the ID as a number either shows it in E+ notation or zeroes its last digits; such an
 * ID must never be matched to anyone, because the digits that tell people apart are gone.
 */

export type IdProblem = 'ID_MANGLED' | 'ID_FORMAT' | 'ID_CHECKSUM' | 'ID_BIRTHDATE';

export type IdCheck =
  | { ok: true; id: string; gender: '男' | '女'; birthDate: string }
  | { ok: false; problem: IdProblem; shown: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** `raw` is the cell as read: a number means the spreadsheet stored the ID as a number. */
export function checkIdNumber(raw: string | number | null | undefined, today: string): IdCheck {
  if (typeof raw === 'number') return { ok: false, problem: 'ID_MANGLED', shown: numberAsShown(raw) };
  const id = normalizeCode(raw);
  if (/^\d(\.\d+)?E\+?\d+$/.test(id)) return { ok: false, problem: 'ID_MANGLED', shown: id };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'ID_FORMAT', shown: id };
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'ID_CHECKSUM', shown: id };
  const [year, month, day] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birthDate = formatDate(year, month, day);
  if (!isRealDate(year, month, day) || birthDate > today || year < 1900) {
    return { ok: false, problem: 'ID_BIRTHDATE', shown: id };
  }
  return { ok: true, id, gender: Number(id[16]) % 2 === 1 ? '男' : '女', birthDate };
}

/** What is wrong with an unusable ID, as the clerk is told it. */
export const ID_PROBLEM_TEXT = {
  ID_MANGLED: '被表格软件转成了数字，请把该列设为“文本”格式后重新录入',
  ID_FORMAT: '应为 18 位数字，最后一位可为 X',
  ID_CHECKSUM: '校验位不正确',
  ID_BIRTHDATE: '出生日期不存在或晚于今天',
} as const;

function numberAsShown(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : value.toExponential(5).toUpperCase();
}
