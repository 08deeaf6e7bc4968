import { approvalDocIn, locateTable, textOf, cellOf } from './columns';
import { inferCertificateType, type CertificateType } from './certificateTypes';
import { checkIdNumber } from './idNumber';
import { ImportError, readSheet } from './sheet';
import { normalizeDate, normalizeName } from './text';

/** One approved person (合格人员 / 评审通过人员), as kept after import. */
export interface ApprovedRow {
  line: number;
  name: string;
  gender: string;
  idNumber: string;
  workUnit: string;
  department: string;
  major: string;
  qualification: string;
  level: string;
  approvedOn: string;
  langRequirement: string;
  managementNo: string;
  approvalDoc: string;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface ParsedApprovedList {
  approvalDoc: string;
  title: string;
  certificateType: CertificateType;
  headerLine: number;
  rows: ApprovedRow[];
  rejected: RejectedRow[];
}

export interface ListOverrides {
  approvalDoc?: string | undefined;
  title?: string | undefined;
  certificateType?: CertificateType | undefined;
}

export function parseApprovedList(fileName: string, bytes: Uint8Array, today: string, overrides: ListOverrides = {}): ParsedApprovedList {
  const table = locateTable(readSheet(fileName, bytes), fileName, ['name', 'idNumber', 'qualification']);
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
    rows,
    rejected,
  };
}

export const ID_PROBLEM_TEXT = {
  ID_MANGLED: '被表格软件转成了数字，请把该列设为“文本”格式后重新录入',
  ID_FORMAT: '应为 18 位数字，最后一位可为 X',
  ID_CHECKSUM: '校验位不正确',
  ID_BIRTHDATE: '出生日期不存在或晚于今天',
} as const;

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [v, n] of counts) if (n > bestCount) { best = v; bestCount = n; }
  return best;
}
