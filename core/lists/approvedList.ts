import { approvalDocIn, readTable, textOf, cellOf } from '../verify/columns';
import { inferCertificateType, type CertificateType } from '../verify/certificateTypes';
import { checkIdNumber, ID_PROBLEM_TEXT } from '../verify/idNumber';
import type { ApprovedRow } from '../verify/verifyRoster';
import { ImportError } from '../files/sheet';
import { normalizeDate, normalizeName } from '../verify/text';

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface ParsedApprovedList {
  approvalDoc: string;
  title: string;
  certificateType: CertificateType;
  headerLine: number;
  /** The sheet the list was read from (a workbook may have several). */
  sheetName: string;
  rows: ApprovedRow[];
  rejected: RejectedRow[];
}

export interface ListOverrides {
  approvalDoc?: string | undefined;
  title?: string | undefined;
  certificateType?: CertificateType | undefined;
}

export function parseApprovedList(fileName: string, bytes: Uint8Array, today: string, overrides: ListOverrides = {}): ParsedApprovedList {
  const table = readTable(fileName, bytes, ['name', 'idNumber', 'qualification']);
  const docFromPreamble = table.preamble.map(approvalDocIn).find((d): d is string => d != null);
  const rows: ApprovedRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of table.dataRows) {
    const name = normalizeName(textOf(table, cells, 'name'));
    const id = checkIdNumber(cellOf(table, cells, 'idNumber'), today);
    const qualification = textOf(table, cells, 'qualification');
    if (!name) { rejected.push({ line, reason: '姓名为空' }); continue; }
    if (!id.ok) { rejected.push({ line, reason: `身份证号码“${id.shown}”无效（${ID_PROBLEM_TEXT[id.problem]}）` }); continue; }
    if (!qualification) { rejected.push({ line, reason: '资格名称为空' }); continue; }
    const key = `${id.id}|${qualification}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) { rejected.push({ line, reason: `与第 ${earlier} 行是同一人员的同一资格` }); continue; }
    seen.set(key, line);
    const rawDate = cellOf(table, cells, 'approvedOn');
    rows.push({
      line,
      name,
      gender: textOf(table, cells, 'gender'),
      idNumber: id.id,
      workUnit: textOf(table, cells, 'workUnit'),
      department: textOf(table, cells, 'department'),
      major: textOf(table, cells, 'major'),
      qualification,
      level: textOf(table, cells, 'level'),
      approvedOn: normalizeDate(rawDate) ?? textOf(table, cells, 'approvedOn'),
      langRequirement: textOf(table, cells, 'langRequirement'),
      managementNo: textOf(table, cells, 'managementNo'),
      approvalDoc: textOf(table, cells, 'approvalDoc'),
    });
  }
  const approvalDoc = overrides.approvalDoc?.trim() || docFromPreamble || mostCommon(rows.map((r) => r.approvalDoc));
  if (!approvalDoc) {
    throw new ImportError(`文件“${fileName}”中找不到批准文号：表中没有“批准文号”列，标题行中也没有“批准文号：…”。请在导入时填写批准文号。`);
  }
  for (const row of rows) if (!row.approvalDoc) row.approvalDoc = approvalDoc;
  const titleFromPreamble = table.preamble.find((text) => approvalDocIn(text) == null);
  const title = overrides.title?.trim() || titleFromPreamble || fileName.replace(/\.[^.]+$/, '');
  return {
    approvalDoc,
    title,
    certificateType: overrides.certificateType ?? inferCertificateType(title, rows.map((r) => r.level), rows.map((r) => r.qualification)),
    headerLine: table.headerLine,
    sheetName: table.sheetName,
    rows,
    rejected,
  };
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [v, n] of counts) if (n > bestCount) { best = v; bestCount = n; }
  return best;
}
