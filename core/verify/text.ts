/**
 * Normalisation applied before any comparison (DOMAIN.md §4): offices type full-width digits,
 * stray spaces and lower-case x, and none of that may make two equal values differ.
 */

export function toHalfWidth(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/**
 * Text normalizeText would change: a full-width character, white space other than a plain space,
 * two spaces in a row, or a space at either end. Nearly every cell has none, and testing for them
 * is far cheaper than rebuilding the text character by character (most of the time spent reading
 * a 100,000-row list, before this shortcut).
 */
const NEEDS_NORMALIZING = /[\uff01-\uff5e]|[^\S ]| {2}|^ | $/;

/** Trimmed, half-width, inner runs of white space collapsed to one space. */
export function normalizeText(value: string | null | undefined): string {
  if (value == null) return '';
  const text = String(value);
  return NEEDS_NORMALIZING.test(text) ? rebuildNormalized(text) : text;
}

/** The full normalisation, character by character; exported so tests can hold the shortcut to it. */
export function rebuildNormalized(text: string): string {
  return toHalfWidth(text).replace(/\s+/g, ' ').trim();
}

/** Names are compared without any inner spaces ("王 芳" is "王芳"). */
export function normalizeName(value: string | null | undefined): string {
  return normalizeText(value).replace(/ /g, '');
}

/** ID and certificate numbers: no spaces at all, upper case. */
export function normalizeCode(value: string | null | undefined): string {
  return normalizeText(value).replace(/ /g, '').toUpperCase();
}

/** Text compared loosely for equality: half-width, no spaces at all. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return normalizeName(a) === normalizeName(b);
}

/**
 * A date written as 2025-06-12, 2025/6/12, 2025.6.12, 2025年6月12日 or 20250612 becomes
 * "2025-06-12"; anything else gives null so that the caller can report it.
 */
export function normalizeDate(value: string | number | null | undefined): string | null {
  if (value == null) return null;
  if (typeof value === 'number') return excelSerialToDate(value);
  const text = normalizeText(value);
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text) && text.length <= 6) return excelSerialToDate(Number(text));
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(year, month, day) ? formatDate(year, month, day) : null;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Excel stores dates as days since 1899-12-30 (its 1900 leap-year bug included) and the time of
 * day as the fraction: 2025/6/12 13:45 is still the 12th, so the serial is floored, not rounded.
 */
function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const ms = Math.floor(serial) * 86400000 + Date.UTC(1899, 11, 30);
  return new Date(ms).toISOString().slice(0, 10);
}

/** Sentences as the clauses of one (each one's closing 。 gives way to ；), for the caller to close. */
export function asClauses(sentences: readonly string[]): string {
  return sentences.map((s) => s.replace(/[。；]+$/, '')).join('；');
}
