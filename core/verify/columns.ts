import { openWorkbook } from '../files/readSheet';
import { cellName, ImportError, type Cell, type Sheet } from '../files/sheet';
import { normalizeText } from './text';

/** The columns the app understands, whatever each office calls them. */
export const FIELD_HEADERS = {
  seq: ['序号'],
  certNo: ['证书编号', '证书号', '证书号码', '预编号'],
  workUnit: ['工作单位', '单位', '单位名称'],
  department: ['主管部门'],
  name: ['姓名'],
  gender: ['性别'],
  idNumber: ['身份证号码', '身份证号', '公民身份号码', '证件号码', '身份证件号码'],
  major: ['专业名称', '专业', '工种'],
  qualification: ['资格名称', '资格', '职称名称'],
  level: ['级别', '等级'],
  approvedOn: ['批准时间', '批准日期', '取得时间'],
  approvalDoc: ['批准文号', '文号'],
  remark: ['备注'],
  langRequirement: ['外语要求', '外语'],
  managementNo: ['管理号'],
} as const;

export type Field = keyof typeof FIELD_HEADERS;

export const FIELD_LABEL: Record<Field, string> = {
  seq: '序号', certNo: '证书编号', workUnit: '工作单位', department: '主管部门', name: '姓名', gender: '性别',
  idNumber: '身份证号码', major: '专业名称', qualification: '资格名称', level: '级别', approvedOn: '批准时间',
  approvalDoc: '批准文号', remark: '备注', langRequirement: '外语要求', managementNo: '管理号',
};

// A Map, not an object literal: header text comes from untrusted files ("__proto__" included).
const HEADER_TO_FIELD = new Map<string, Field>();
for (const [field, names] of Object.entries(FIELD_HEADERS) as [Field, readonly string[]][]) {
  for (const name of names) HEADER_TO_FIELD.set(name, field);
}

function headerKey(cell: Cell): string {
  return normalizeText(cell == null ? '' : String(cell))
    .replace(/\s/g, '')
    .replace(/[（(][^）)]*[）)]$/, '');
}

export interface LocatedTable {
  /** The sheet the table was found in, and how many sheets the workbook has. */
  sheetName: string;
  sheetCount: number;
  headerLine: number;
  /** Column index of every recognised field. */
  columns: Map<Field, number>;
  /** Non-empty text of the lines above the header: titles, "批准文号：…", "填报单位（盖章）：…". */
  preamble: string[];
  dataRows: { line: number; cells: Cell[] }[];
}

const HEADER_SEARCH_LINES = 30;

interface Header { index: number; columns: Map<Field, number> }

/** The line among the first HEADER_SEARCH_LINES that names the most known columns (at least three). */
function findHeader(rows: readonly (readonly Cell[] | undefined)[]): Header | null {
  let best: Header | null = null;
  const limit = Math.min(rows.length, HEADER_SEARCH_LINES);
  for (let index = 0; index < limit; index++) {
    const columns = new Map<Field, number>();
    (rows[index] ?? []).forEach((cell, column) => {
      const field = HEADER_TO_FIELD.get(headerKey(cell));
      if (field && !columns.has(field)) columns.set(field, column);
    });
    if (columns.size >= 3 && (!best || columns.size > best.columns.size)) best = { index, columns };
  }
  return best;
}

/**
 * Reads a roster or list file: of its visible sheets, the first whose header has the required
 * columns is the table (a workbook often carries an instructions sheet or an old copy beside the
 * roster), read whole and located as locateTable does. A header only on a hidden sheet is refused:
 * the clerk and the unit see the visible sheets, and a hidden one is not what they checked.
 */
export function readTable(fileName: string, bytes: Uint8Array, required: readonly Field[]): LocatedTable {
  const workbook = openWorkbook(fileName, bytes);
  const several = workbook.sheets.length > 1;
  const headers = workbook.sheets.map((sheet, index) => ({ sheet, index, header: findHeader(workbook.read(index, HEADER_SEARCH_LINES).rows) }));
  const complete = (h: (typeof headers)[number]) => h.header !== null && required.every((f) => h.header!.columns.has(f));
  const chosen = headers.find((h) => h.sheet.visible && complete(h)) ?? headers.find((h) => h.sheet.visible && h.header !== null) ?? headers.find((h) => h.sheet.visible);
  const hidden = headers.find((h) => !h.sheet.visible && complete(h));
  if (hidden && (!chosen || !complete(chosen))) {
    throw new ImportError(`文件“${fileName}”的表头只在隐藏的工作表“${hidden.sheet.name}”中：请在 Excel 中取消隐藏该工作表（或把名单放到可见的工作表）后再导入。`);
  }
  if (!chosen) throw new ImportError(`文件“${fileName}”中没有可见的工作表。`);
  const sheet = workbook.read(chosen.index);
  const place = several ? `文件“${fileName}”的工作表“${sheet.name}”` : `文件“${fileName}”`;
  const table = locateTable(sheet, fileName, required, place);
  table.sheetCount = workbook.sheets.length;
  const formula = sheet.formulaWithoutValue;
  if (formula && formula.row >= table.headerLine - 1 && [...table.columns.values()].includes(formula.column)) {
    throw new ImportError(`${place}的 ${cellName(formula.row, formula.column)} 单元格是没有保存计算结果的公式（文件由程序生成、未经 Excel 计算）：请在 Excel 中打开并保存后再导入。`);
  }
  return table;
}

/**
 * Finds the header row (title rows may sit above it), checks that the required columns are
 * there, and returns the data rows below it with their line numbers in the file.
 */
export function locateTable(sheet: Sheet, fileName: string, required: readonly Field[], place = `文件“${fileName}”`): LocatedTable {
  const best = findHeader(sheet.rows);
  if (!best) {
    throw new ImportError(`${place}的前 ${HEADER_SEARCH_LINES} 行中找不到表头（应包含“姓名”“身份证号码”等列名）。`);
  }
  const missing = required.filter((field) => !best.columns.has(field));
  if (missing.length > 0) {
    throw new ImportError(`${place}缺少必需的列：${missing.map((f) => `“${FIELD_LABEL[f]}”`).join('、')}（表头在第 ${best.index + 1} 行）。`);
  }
  const preamble: string[] = [];
  for (let i = 0; i < best.index; i++) {
    const texts = [...new Set((sheet.rows[i] ?? []).map((c) => normalizeText(c == null ? '' : String(c))).filter(Boolean))];
    if (texts.length > 0) preamble.push(texts.join(' '));
  }
  const dataRows: LocatedTable['dataRows'] = [];
  for (let i = best.index + 1; i < sheet.rows.length; i++) {
    const cells = sheet.rows[i] ?? [];
    // normalizeText(c) is '' exactly when c is white space only (U+3000 included); a number never is.
    if (cells.every((c) => c == null || (typeof c === 'string' && BLANK.test(c)))) continue;
    dataRows.push({ line: i + 1, cells });
  }
  if (dataRows.length === 0) throw new ImportError(`${place}在表头（第 ${best.index + 1} 行）之下没有数据行。`);
  return { sheetName: sheet.name, sheetCount: 1, headerLine: best.index + 1, columns: best.columns, preamble, dataRows };
}

export function cellOf(table: LocatedTable, cells: Cell[], field: Field): Cell {
  const column = table.columns.get(field);
  return column === undefined ? null : (cells[column] ?? null);
}

const BLANK = /^\s*$/;

/** The cell as trimmed half-width text ('' when empty). */
export function textOf(table: LocatedTable, cells: Cell[], field: Field): string {
  const cell = cellOf(table, cells, field);
  return cell == null ? '' : normalizeText(String(cell));
}

/** "川职改〔2025〕12号" and the like, as written in a title row. */
export function approvalDocIn(text: string): string | null {
  const labelled = /批准文号\s*[:：]\s*(\S+)/.exec(text);
  if (labelled) return labelled[1]!;
  const bare = /[\u4e00-\u9fa5]+[〔[(（]\d{4}[〕\])）]\d+号/.exec(text);
  return bare ? bare[0] : null;
}
