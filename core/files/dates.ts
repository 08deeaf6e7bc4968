/**
 * Dates in workbooks are numbers (days since the epoch) that a number format shows as dates.
 * Both .xlsx and .xls readers turn a number whose format shows a date into "YYYY-MM-DD", the day
 * Excel shows, so that a 批准时间 of 2025/6/12 13:45 is the 12th and a 1904-system workbook (Excel
 * for Mac) gives the same day as any other. A number whose format shows only a time, or that lies
 * outside Excel's calendar, stays a number.
 */

/** Built-in formats (ECMA-376 18.8.30 and the zh-CN ids Excel and WPS write without a code) that show a date. */
const BUILT_IN_DATE = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);

/** The last day Excel can show: 9999-12-31. */
const MAX_SERIAL = 2958465;

export function isDateFormatId(id: number, codes: ReadonlyMap<number, string>): boolean {
  const code = codes.get(id);
  return code !== undefined ? isDateFormat(code) : BUILT_IN_DATE.has(id);
}

/**
 * Whether a number format code shows a date (a year, month, day or era), as opposed to a number,
 * text or a time of day alone. Quoted text, escaped characters, colours and locale tags do not
 * count; an "m" next to hours or seconds is minutes.
 */
export function isDateFormat(code: string): boolean {
  let previous = '';
  let pendingMonth = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    const lower = c.toLowerCase();
    if (c === '"') {
      const close = code.indexOf('"', i + 1);
      i = close === -1 ? code.length : close;
      continue;
    }
    if (c === '\\' || c === '_' || c === '*') { i++; continue; }
    if (c === '[') {
      const close = code.indexOf(']', i + 1);
      const inside = code.slice(i + 1, close === -1 ? code.length : close).toLowerCase();
      // [h], [mm], [ss]: elapsed time, not a date.
      if (/^(h+|m+|s+)$/.test(inside)) previous = inside[0]!;
      i = close === -1 ? code.length : close;
      continue;
    }
    if (lower === 'g' && code.slice(i, i + 7).toLowerCase() === 'general') { i += 6; continue; }
    // "G/通用格式" is General in a Chinese Excel or WPS.
    if (c === 'G' && code.startsWith('G/通用格式', i)) { i += 5; continue; }
    if (lower === 'a' && code.slice(i, i + 5).toLowerCase() === 'am/pm') { i += 4; continue; }
    if (lower === 'a' && code.slice(i, i + 3).toLowerCase() === 'a/p') { i += 2; continue; }
    if (lower === 'e' && (code[i + 1] === '+' || code[i + 1] === '-')) { i++; continue; }
    if (lower === 'y' || lower === 'd' || lower === 'e' || lower === 'g' || (lower === 'b' && (code[i + 1] === '1' || code[i + 1] === '2'))) return true;
    if (lower === 'm') {
      while (code[i + 1]?.toLowerCase() === 'm') i++;
      if (previous === 'h') { previous = 'm'; continue; }
      pendingMonth = true;
      previous = 'm';
      continue;
    }
    if (lower === 'h') { previous = 'h'; pendingMonth = false; continue; }
    if (lower === 's') {
      // "mm:ss": the m before seconds was minutes after all.
      if (previous === 'm') pendingMonth = false;
      previous = 's';
      continue;
    }
    if (c === ';') {
      if (pendingMonth) return true;
      previous = '';
    }
  }
  return pendingMonth;
}

/**
 * The day a date serial shows, or null outside Excel's calendar. Day 60 of the 1900 system is
 * the 29 February 1900 that Excel (after Lotus 1-2-3) believes in; it is kept as Excel shows it.
 */
export function serialToDate(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  let days = Math.floor(serial);
  // A time within a ten-thousandth of a second of midnight shows as the next day, as Excel rounds it.
  if (86400 * (serial - days) > 86399.9999) days += 1;
  if (date1904) days += 1462;
  if (days < 1 || days > MAX_SERIAL) return null;
  if (days === 60) return '1900-02-29';
  const epoch = Date.UTC(1899, 11, days < 60 ? 31 : 30);
  return new Date(epoch + days * 86_400_000).toISOString().slice(0, 10);
}
