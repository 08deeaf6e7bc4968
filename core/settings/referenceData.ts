import { readSheet } from '../files/readSheet';
import { ImportError } from '../files/sheet';
import type { CalendarDay } from '../verify/calendar';
import type { AuthorisedSigner, IssuedSlip } from '../verify/slips';
import { normalizeDate, normalizeText } from '../verify/text';

/**
 * Small reference tables an administrator imports: stamp slips issued (slips.csv), authorised
 * signers (signers.csv) and the holiday calendar (holidays.csv). Each is a header row and rows.
 */
function readRows<K extends string>(fileName: string, bytes: Uint8Array, columns: Record<K, readonly string[]>): { line: number; get(key: K): string }[] {
  const sheet = readSheet(fileName, bytes);
  const headerIndex = sheet.rows.findIndex((row) => row.some((cell) => cell != null && normalizeText(String(cell)) !== ''));
  const header = (sheet.rows[headerIndex] ?? []).map((cell) => normalizeText(cell == null ? '' : String(cell)));
  const positions = new Map<K, number>();
  for (const [key, names] of Object.entries(columns) as [K, readonly string[]][]) {
    const at = header.findIndex((h) => names.includes(h));
    if (at === -1) throw new ImportError(`文件“${fileName}”缺少“${names[0]}”列。`);
    positions.set(key, at);
  }
  return sheet.rows.slice(headerIndex + 1)
    .map((cells, i) => ({ line: headerIndex + 2 + i, cells }))
    .filter(({ cells }) => cells.some((c) => c != null && normalizeText(String(c)) !== ''))
    .map(({ line, cells }) => ({ line, get: (key: K) => { const c = cells[positions.get(key)!]; return c == null ? '' : normalizeText(String(c)); } }));
}

function requireDate(fileName: string, line: number, label: string, value: string): string {
  const date = normalizeDate(value);
  if (!date) throw new ImportError(`文件“${fileName}”第 ${line} 行的${label}“${value}”不是有效日期。`);
  return date;
}

export function parseSlips(fileName: string, bytes: Uint8Array): IssuedSlip[] {
  return readRows(fileName, bytes, { slipNo: ['凭条编号'], unit: ['用章单位', '单位名称'], year: ['年度'], issuedOn: ['发放日期'] }).map((row) => {
    const year = Number(row.get('year'));
    if (!Number.isInteger(year) || year < 2000) throw new ImportError(`文件“${fileName}”第 ${row.line} 行的年度“${row.get('year')}”无效。`);
    return { slipNo: row.get('slipNo').toUpperCase(), unit: row.get('unit'), year, issuedOn: requireDate(fileName, row.line, '发放日期', row.get('issuedOn')) };
  });
}

export function parseSigners(fileName: string, bytes: Uint8Array): AuthorisedSigner[] {
  return readRows(fileName, bytes, { name: ['姓名'], title: ['职务'], from: ['起始日期'], to: ['截止日期'] }).map((row) => ({
    name: row.get('name').replace(/ /g, ''),
    title: row.get('title'),
    from: requireDate(fileName, row.line, '起始日期', row.get('from')),
    to: row.get('to') ? requireDate(fileName, row.line, '截止日期', row.get('to')) : null,
  }));
}

export function parseHolidays(fileName: string, bytes: Uint8Array): CalendarDay[] {
  return readRows(fileName, bytes, { date: ['date', '日期'], kind: ['kind', '类型'], name: ['name', '名称'] }).map((row) => {
    const kind = row.get('kind');
    if (kind !== '休' && kind !== '班') throw new ImportError(`文件“${fileName}”第 ${row.line} 行的类型应为“休”或“班”，实为“${kind}”。`);
    return { date: requireDate(fileName, row.line, '日期', row.get('date')), kind, name: row.get('name') };
  });
}

export interface UnitRecord {
  name: string;
  category: string;
  regionCode: string;
  /** Pinyin initials of the name, lower case (成都市人力资源和社会保障局 → cdsrlzyhshbzj). */
  initials: string;
}

/**
 * The visiting units (units.csv): 单位名称, 单位类别, 地区代码. `initialsOf` is core/settings/pinyin.ts,
 * passed in so that its dictionary loads only when units are imported, not with every start.
 */
export function parseUnits(fileName: string, bytes: Uint8Array, initialsOf: (name: string) => string): UnitRecord[] {
  return readRows(fileName, bytes, { name: ['单位名称', '用章单位'], category: ['单位类别'], regionCode: ['地区代码'] }).map((row) => {
    const name = row.get('name');
    if (!name) throw new ImportError(`文件“${fileName}”第 ${row.line} 行没有单位名称。`);
    return { name, category: row.get('category'), regionCode: row.get('regionCode'), initials: initialsOf(name) };
  });
}
