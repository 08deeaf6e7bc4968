import { readSheet } from '../files/readSheet';
import { ImportError, type Cell } from '../files/sheet';
import { checkIdNumber, ID_PROBLEM_TEXT } from '../verify/idNumber';
import { normalizeDate, normalizeName, normalizeText } from '../verify/text';
import { addMonths } from './dates';

/** One revoked qualification (取消资格, DOMAIN.md §14), as recorded or published. */
export interface RevocationEntry {
  idNumber: string;
  name: string;
  qualification: string;
  document: string;
  revokedOn: string;
  barUntil: string | null;
  reason: string;
}

/** Where the list gives no end of the bar: `years` from the revocation, the day before the anniversary. */
export function defaultBarUntil(revokedOn: string, years: number): string | null {
  if (years <= 0) return null;
  const anniversary = addMonths(revokedOn, years * 12);
  const day = new Date(Date.parse(`${anniversary}T00:00:00Z`) - 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** The same revocation whatever the file's spelling: what a publication and a local record are matched by. */
export function revocationKey(r: { idNumber: string; qualification: string; document: string }): string {
  return `${r.idNumber}|${normalizeName(r.qualification)}|${normalizeName(r.document)}`;
}

const COLUMNS = {
  name: ['姓名'],
  idNumber: ['身份证号码', '身份证号', '公民身份号码', '证件号码', '身份证件号码'],
  qualification: ['资格名称', '资格', '职称名称', '取消资格名称', '证书名称'],
  document: ['文号', '取消文号', '处理文号', '依据文件', '文件', '决定文号'],
  revokedOn: ['取消日期', '取消时间', '处理日期', '决定日期', '日期'],
  barUntil: ['限制截止', '限制截止日期', '禁止报考截止日期', '禁考截止', '不得报考至', '限制至'],
  reason: ['原因', '取消原因', '事由', '备注'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['name', 'idNumber', 'qualification', 'document', 'revokedOn'];
const LABEL: Record<Column, string> = { name: '姓名', idNumber: '身份证号码', qualification: '资格名称', document: '文号', revokedOn: '取消日期', barUntil: '限制截止', reason: '原因' };
const HEADER_SEARCH_LINES = 30;

const textOf = (cell: Cell | undefined): string => (cell == null ? '' : normalizeText(String(cell)));

/**
 * A list of revocations (.xlsx, .xls or .csv): a header row — title rows may stand above it — with
 * 姓名, 身份证号码, 资格名称, 文号 and 取消日期, and optionally 限制截止 and 原因. All or nothing: a
 * row that cannot be read makes the whole file refused, naming the lines.
 */
export function parseRevocationList(fileName: string, bytes: Uint8Array, today: string, barYears: number): RevocationEntry[] {
  const sheet = readSheet(fileName, bytes);
  let header: { line: number; columns: Map<Column, number> } | null = null;
  for (let line = 0; line < Math.min(sheet.rows.length, HEADER_SEARCH_LINES) && !header; line++) {
    const texts = (sheet.rows[line] ?? []).map((c) => textOf(c).replace(/\s/g, ''));
    const columns = new Map<Column, number>();
    for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
      const at = texts.findIndex((t) => names.includes(t));
      if (at !== -1) columns.set(column, at);
    }
    if (columns.has('idNumber') && columns.has('qualification')) header = { line, columns };
  }
  if (!header) throw new ImportError(`文件“${fileName}”的前 ${HEADER_SEARCH_LINES} 行中找不到表头（应包含“姓名”“身份证号码”“资格名称”“文号”“取消日期”列）。`);
  const missing = REQUIRED.filter((c) => !header.columns.has(c));
  if (missing.length > 0) throw new ImportError(`文件“${fileName}”缺少必需的列：${missing.map((c) => `“${LABEL[c]}”`).join('、')}（表头在第 ${header.line + 1} 行）。`);

  const entries: RevocationEntry[] = [];
  const problems: string[] = [];
  const cellOf = (cells: Cell[], column: Column) => cells[header.columns.get(column) ?? -1];
  for (let index = header.line + 1; index < sheet.rows.length; index++) {
    const cells = sheet.rows[index] ?? [];
    if (cells.every((c) => textOf(c) === '')) continue;
    const line = index + 1;
    const get = (column: Column) => textOf(cellOf(cells, column));
    const idCell = cellOf(cells, 'idNumber');
    const id = checkIdNumber(typeof idCell === 'number' ? idCell : textOf(idCell), today);
    const revokedOn = normalizeDate(get('revokedOn'));
    const barText = get('barUntil');
    const barUntil = barText ? normalizeDate(barText) : defaultBarUntil(revokedOn ?? today, barYears);
    const problem = !get('name') ? '姓名为空'
      : !id.ok ? `身份证号码“${id.shown}”${ID_PROBLEM_TEXT[id.problem]}`
      : !get('qualification') ? '资格名称为空'
      : !get('document') ? '文号为空'
      : !revokedOn ? `取消日期“${get('revokedOn')}”不是有效日期`
      : revokedOn > today ? `取消日期 ${revokedOn} 晚于今天`
      : barText && !barUntil ? `限制截止“${barText}”不是有效日期`
      : null;
    if (problem || !id.ok || !revokedOn) { problems.push(`第 ${line} 行：${problem ?? '无效'}`); continue; }
    entries.push({ idNumber: id.id, name: normalizeName(get('name')), qualification: get('qualification'), document: get('document'), revokedOn, barUntil, reason: get('reason') });
  }
  if (problems.length > 0) {
    throw new ImportError(`取消资格名单“${fileName}”有 ${problems.length} 行无法导入，整份名单未导入。${problems.slice(0, 5).join('；')}${problems.length > 5 ? '；……' : ''}`);
  }
  if (entries.length === 0) throw new ImportError(`取消资格名单“${fileName}”在表头之下没有数据行。`);
  return entries;
}
