import { wallClockMinutes } from '../time';
import type { HashedRegisterEntry } from '../register/entries';
import type { CertificateRecord } from '../register/records';

/**
 * The Excel forms of the notices, column for column, filled from what was sealed: they are sent
 * up or handed back as .xlsx (services/exports writes them). A form is data here — its title rows,
 * its columns, its rows — so that the writer is one and the tests read the same definitions.
 */
export const EXPORT_FORMS = ['chongqing-register', 'senior-issuance', 'worker-approval', 'worker-review', 'returns', 'register'] as const;
export type ExportForm = (typeof EXPORT_FORMS)[number];

export const EXPORT_FORM_TITLE: Record<ExportForm, string> = {
  'chongqing-register': '职称证书领取、办理登记表',
  'senior-issuance': '四川省高级专业技术职务资格证书发证名册',
  'worker-approval': '中央在川和省直机关事业单位工人技术等级（职务）证书审批名册',
  'worker-review': '四川省机关事业单位工人技师资格证书审核名册',
  returns: '退回清单',
  register: '印章使用登记簿',
};

export interface ExportColumn {
  header: string;
  /** Excel's column width, in characters. */
  width: number;
  /** Kept as text whatever it looks like: ID and certificate numbers must never become numbers. */
  text?: boolean;
  /** A heading over several columns (附件4's 考试考核结果). */
  group?: string;
}

export type ExportCell = string | number;

export interface WorkbookForm {
  form: ExportForm;
  sheetName: string;
  /** Merged across the columns above the header, the first one in large type. */
  titleRows: string[];
  columns: ExportColumn[];
  rows: ExportCell[][];
  /** Below the table: the notice's 填表说明, and who printed it when. */
  footnotes: string[];
}

/** A certificate sealed here, with what the approved list and the roster say about its holder. */
/** A sealed certificate (its ledger record) with its holder's row of the approved list. */
export type SealedCertificateRow = Omit<CertificateRecord, 'kind'> & {
  gender: string;
  workUnit: string;
  department: string;
  major: string;
  level: string;
  approvedOn: string;
  /** Where the holder stands in the approved list: worker-grade certificates are embossed in that order. */
  listLine: number;
};

export interface ExportContext {
  officeName: string;
  /** What the export covers, in words: 第 12 号办证, 2026年11月24日, 2026年度 …. */
  period: string;
  /** The office's wall-clock time of the export. */
  exportedAt: string;
}

const stated = (ctx: ExportContext) => `${ctx.officeName}　　${ctx.period}　　导出时间：${wallClockMinutes(ctx.exportedAt)}（签章窗口）`;

/** 出生年月 and 出生日期 from the ID number (GB 11643: digits 7–14). */
export function birthOf(idNumber: string): { month: string; date: string } {
  const match = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(idNumber);
  return match ? { month: `${match[1]}-${match[2]}`, date: `${match[1]}-${match[2]}-${match[3]}` } : { month: '', date: '' };
}

const reissueNote = (row: SealedCertificateRow) => (row.reissue ? `补发，原证书编号${row.replacesCertNo ?? ''}作废` : '');

/** Chongqing 2018 附件1: the title row, the 填报单位 line and exactly its eleven columns. */
export function chongqingRegister(rows: readonly SealedCertificateRow[], ctx: ExportContext & { reportingUnit: string; department: string; year: string }): WorkbookForm {
  return {
    form: 'chongqing-register',
    sheetName: '登记表',
    titleRows: [
      `(区县、部门、单位）${ctx.year}年度职称证书领取、办理登记表`,
      `填报单位（签章）：${ctx.reportingUnit}　　区县、主管部门（签章）：${ctx.department}　　填报人：　　　　联系电话：`,
    ],
    columns: [
      { header: '序号', width: 6 },
      { header: '证书编号', width: 18, text: true },
      { header: '工作单位', width: 28 },
      { header: '主管部门', width: 22 },
      { header: '姓名', width: 10 },
      { header: '性别', width: 6 },
      { header: '身份证号码', width: 21, text: true },
      { header: '专业名称', width: 16 },
      { header: '资格名称', width: 14 },
      { header: '批准时间', width: 12, text: true },
      { header: '批准文号', width: 20 },
    ],
    rows: rows.map((r, i) => [i + 1, r.certNo, r.workUnit, r.department, r.name, r.gender, r.idNumber, r.major, r.qualification, r.approvedOn, r.approvalDoc]),
    footnotes: ['填表说明：1.领取各级职称证书均须填写此表。2.填报单位无自主管理权限的，须经主管部门签章后报送。3.此表须同时报送纸质件、excel格式电子件。', stated(ctx)],
  };
}

/**
 * Sichuan 2015 附件3. The notice names the form but its text does not reach us; the columns are
 * the roster's of DOMAIN.md §4 that a senior issuance roster carries, with 备注 for replacements.
 */
export function seniorIssuance(rows: readonly SealedCertificateRow[], ctx: ExportContext & { reportingUnit: string }): WorkbookForm {
  return {
    form: 'senior-issuance',
    sheetName: '发证名册',
    titleRows: [EXPORT_FORM_TITLE['senior-issuance'], `填报单位（盖章）：${ctx.reportingUnit}　　填报日期：${ctx.exportedAt.slice(0, 10)}`],
    columns: [
      { header: '序号', width: 6 },
      { header: '姓名', width: 10 },
      { header: '性别', width: 6 },
      { header: '身份证号码', width: 21, text: true },
      { header: '工作单位', width: 28 },
      { header: '专业名称', width: 16 },
      { header: '资格名称', width: 14 },
      { header: '批准文号', width: 20 },
      { header: '批准时间', width: 12, text: true },
      { header: '证书编号', width: 18, text: true },
      { header: '备注', width: 30 },
    ],
    rows: rows.map((r, i) => [i + 1, r.name, r.gender, r.idNumber, r.workUnit, r.major, r.qualification, r.approvalDoc, r.approvedOn, r.certNo, reissueNote(r)]),
    footnotes: [stated(ctx)],
  };
}

const inListOrder = (rows: readonly SealedCertificateRow[]) => [...rows].sort((a, b) => a.approvalDoc.localeCompare(b.approvalDoc) || a.listLine - b.listLine);

/**
 * Sichuan 2012 附件4 (审批名册), rows in 拓印 order. The counter knows the holder, the trade and the
 * grade and the number it embossed; 参加工作时间, the wage grade and the exam results are the
 * unit's to fill in, so those columns stay empty rather than guessed.
 */
export function workerApproval(rows: readonly SealedCertificateRow[], ctx: ExportContext): WorkbookForm {
  const results = '考试考核结果';
  return {
    form: 'worker-approval',
    sheetName: '审批名册',
    titleRows: [EXPORT_FORM_TITLE['worker-approval']],
    columns: [
      { header: '姓名', width: 10 },
      { header: '性别', width: 6 },
      { header: '出生年月', width: 10, text: true },
      { header: '参加工作时间', width: 12 },
      { header: '原岗位证书号（未获工种年限）', width: 18 },
      { header: '执行工资等级起始时间', width: 14 },
      { header: '报考年度', width: 9, text: true },
      { header: '报考工种', width: 12 },
      { header: '报考等级', width: 10 },
      { header: '思想政治表现', width: 10, group: results },
      { header: '生产工作成绩', width: 10, group: results },
      { header: '职业道德', width: 10, group: results },
      { header: '技术业务理论', width: 10, group: results },
      { header: '实际操作技能', width: 10, group: results },
      { header: '颁发证书编号', width: 16, text: true },
    ],
    rows: inListOrder(rows).map((r) => [r.name, r.gender, birthOf(r.idNumber).month, '', '', '', r.approvedOn.slice(0, 4), r.major, r.level || r.qualification, '', '', '', '', '', r.certNo]),
    footnotes: ['填报单位意见：　　经办人：　　批准人：　　　　主管部门审查意见：　　经办人：　　批准人：', stated(ctx)],
  };
}

/** Sichuan 2012 附件5 (审核名册), rows in 拓印 order; 文化程度 is the unit's to fill in. */
export function workerReview(rows: readonly SealedCertificateRow[], ctx: ExportContext): WorkbookForm {
  return {
    form: 'worker-review',
    sheetName: '审核名册',
    titleRows: [EXPORT_FORM_TITLE['worker-review'], `申报日期：${ctx.exportedAt.slice(0, 10)}`],
    columns: [
      { header: '序号', width: 6 },
      { header: '姓名', width: 10 },
      { header: '性别', width: 6 },
      { header: '出生日期', width: 12, text: true },
      { header: '文化程度', width: 10 },
      { header: '工作单位', width: 28 },
      { header: '报考年度', width: 9, text: true },
      { header: '报考工种', width: 12 },
      { header: '批准文号', width: 20 },
      { header: '颁发证书编号', width: 16, text: true },
    ],
    rows: inListOrder(rows).map((r, i) => [i + 1, r.name, r.gender, birthOf(r.idNumber).date, '', r.workUnit, r.approvedOn.slice(0, 4), r.major, r.approvalDoc, r.certNo]),
    footnotes: [stated(ctx)],
  };
}

/** A refused roster row, as the unit will correct it. */
export interface ReturnedRow {
  rowNo: number;
  certNo: string;
  name: string;
  gender: string;
  idText: string;
  workUnit: string;
  major: string;
  qualification: string;
  approvedOn: string;
  approvalDoc: string;
  remark: string;
  reasons: string;
  advice: string;
}

/** The refused rows in the roster's own columns, so the unit corrects this file and brings it back. */
export function returnsWorkbook(rows: readonly ReturnedRow[], ctx: ExportContext): WorkbookForm {
  return {
    form: 'returns',
    sheetName: '退回清单',
    titleRows: [`${EXPORT_FORM_TITLE.returns}（${ctx.period}）`],
    columns: [
      { header: '序号', width: 6 },
      { header: '证书编号', width: 18, text: true },
      { header: '姓名', width: 10 },
      { header: '性别', width: 6 },
      { header: '身份证号码', width: 21, text: true },
      { header: '工作单位', width: 28 },
      { header: '专业名称', width: 16 },
      { header: '资格名称', width: 14 },
      { header: '批准时间', width: 12, text: true },
      { header: '批准文号', width: 20 },
      { header: '备注', width: 20 },
      { header: '退回原因', width: 40 },
      { header: '如何改正', width: 40 },
    ],
    rows: rows.map((r) => [r.rowNo, r.certNo, r.name, r.gender, r.idText, r.workUnit, r.major, r.qualification, r.approvedOn, r.approvalDoc, r.remark, r.reasons, r.advice]),
    footnotes: ['改正后请删去“退回原因”“如何改正”两列，与改正的证书一并带来办理。', stated(ctx)],
  };
}

/** Every field an auditor reads of an entry, as the register holds it. */
export type RegisterExportEntry = Pick<HashedRegisterEntry, 'seq' | 'at' | 'kind' | 'correctsSeq' | 'sealName' | 'sealKind' | 'documentKind' | 'count' | 'unit'
  | 'agentName' | 'agentPhone' | 'slipNo' | 'purpose' | 'clerk' | 'clerkAccount' | 'approver' | 'signMethod' | 'remarks' | 'visitId' | 'hash'>;

/** The register for auditors: every field of every entry in a date range, with its hash. */
export function registerWorkbook(entries: readonly RegisterExportEntry[], ctx: ExportContext): WorkbookForm {
  return {
    form: 'register',
    sheetName: '登记簿',
    titleRows: [`${EXPORT_FORM_TITLE.register}（${ctx.period}）`],
    columns: [
      { header: '序号', width: 7 },
      { header: '日期时间', width: 17, text: true },
      { header: '类别', width: 6 },
      { header: '更正第几号', width: 9 },
      { header: '印章名称', width: 24 },
      { header: '印章类别', width: 8 },
      { header: '用印文件', width: 8 },
      { header: '数量', width: 7 },
      { header: '用章单位', width: 28 },
      { header: '经办人', width: 10 },
      { header: '经办人电话', width: 14, text: true },
      { header: '凭条编号', width: 14, text: true },
      { header: '事由', width: 28 },
      { header: '窗口经办人', width: 10 },
      { header: '登录账号', width: 12 },
      { header: '审批人', width: 10 },
      { header: '签字方式', width: 14 },
      { header: '备注', width: 40 },
      { header: '办证号', width: 8 },
      { header: '哈希值（SHA-256）', width: 66, text: true },
    ],
    rows: entries.map((e) => [e.seq, e.at, e.kind, e.correctsSeq ?? '', e.sealName, e.sealKind, e.documentKind, e.count, e.unit, e.agentName, e.agentPhone, e.slipNo, e.purpose, e.clerk, e.clerkAccount, e.approver, e.signMethod, e.remarks, e.visitId, e.hash]),
    footnotes: [stated(ctx)],
  };
}

/**
 * A cell that a spreadsheet would take for a formula (or a command, through DDE) is kept as the
 * text it is: a leading ' before = + - @, a tab, a carriage return or NUL.
 */
export function neutraliseCell(text: string): string {
  return /^[=+\-@\t\r\0]/.test(text) ? `'${text}` : text;
}
