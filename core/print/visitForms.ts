import { wallClockMinutes } from '../time';
import { asClauses } from '../verify/text';
import type { CheckedRosterRow, LedgerCertificate, VisitPrintData } from './inputs';
import { certRanges } from './ranges';
import { totalsOf } from './registerSheet';
import { RETURN_ADVICE } from './returnAdvice';
import type { PrintedSheet, SheetColumn, SheetPart, SheetRow } from './sheet';

/**
 * The papers of one visit: the roster as verified (kept with the visit's file), the refused rows
 * for the unit to correct, and the agent's receipt. Each is built from what the visit kept at
 * sealing and what the register and ledger hold.
 */
export const ROSTER_TITLE = '核验后的发证名册';
export const RETURNS_TITLE = '退回清单';
export const RECEIPT_TITLE = '签章回执';

export type RowOutcome = '已签章' | '补发' | '退回';

export function rowOutcome(row: CheckedRosterRow, certificate: LedgerCertificate | undefined): RowOutcome {
  if (!row.sealed) return '退回';
  return certificate?.reissue ? '补发' : '已签章';
}

/** Why a row was not sealed, in the finding messages the clerk saw. */
export function refusalReasons(row: CheckedRosterRow): string {
  const errors = row.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) return `${asClauses(errors.map((f) => f.message))}。`;
  const warnings = row.findings.filter((f) => row.acknowledgement === null || f.code === 'LANG_CERT_REQUIRED');
  return warnings.length > 0 ? `${asClauses(warnings.map((f) => f.message))}（未经确认放行）。` : '未签章';
}

export function returnAdvice(row: CheckedRosterRow): string {
  const codes = [...new Set(row.findings.filter((f) => f.severity === 'error' || row.acknowledgement === null || f.code === 'LANG_CERT_REQUIRED').map((f) => f.code))];
  return codes.map((code) => RETURN_ADVICE[code]).join('；') || '请与窗口联系';
}

const subtitleOf = (data: VisitPrintData) => `第 ${data.visit.id} 号办证：${data.visit.unit}`;

function visitFacts(data: VisitPrintData): SheetPart {
  const { visit } = data;
  return {
    kind: 'facts',
    items: [
      { label: '用章单位', value: visit.unit },
      { label: '经办人', value: `${visit.agentName}（${visit.agentPhone}）` },
      { label: '证书类型', value: visit.certificateType },
      { label: '签章凭条', value: visit.slipNo ? `${visit.slipNo}${visit.slipCount === null ? '' : `（凭条所列 ${visit.slipCount} 本）`}` : '无' },
      { label: '窗口经办人', value: visit.clerk },
      { label: '签章时间', value: visit.sealedAt ? wallClockMinutes(visit.sealedAt) : '未签章' },
    ],
  };
}

function certificatesByNo(data: VisitPrintData): Map<string, LedgerCertificate> {
  return new Map(data.certificates.map((c) => [c.certNo, c]));
}

const ROSTER_COLUMNS: readonly SheetColumn[] = [
  { title: '序号', width: 24, align: 'center' },
  { title: '证书编号', width: 74 },
  { title: '姓名', width: 40 },
  { title: '性别', width: 22, align: 'center' },
  { title: '身份证号码', width: 88 },
  { title: '工作单位', width: 84 },
  { title: '专业名称', width: 54 },
  { title: '资格名称', width: 54 },
  { title: '批准文号', width: 90 },
  { title: '核验结果', width: 36, align: 'center' },
  { title: '说明', width: '*' },
];

export function rosterSheet(data: VisitPrintData, proofCaption: string): PrintedSheet {
  const byNo = certificatesByNo(data);
  const counts = { 已签章: 0, 补发: 0, 退回: 0 };
  const rows: SheetRow[] = data.rows.map((row) => {
    const certificate = row.sealed ? byNo.get(row.certNo) : undefined;
    const outcome = rowOutcome(row, certificate);
    counts[outcome]++;
    const note = outcome === '退回'
      ? refusalReasons(row)
      : [outcome === '补发' ? `补发，原证书编号${certificate!.replacesCertNo ?? ''}作废` : '', row.acknowledgement ? `警告经确认：${row.acknowledgement}` : ''].filter(Boolean).join('；');
    return {
      label: `序号 ${row.rowNo} 的一行`,
      cells: [String(row.rowNo), row.certNo, row.name, row.gender, row.idText, row.workUnit, row.major, row.qualification, row.approvalDoc, outcome, note],
    };
  });
  const sealed = counts.已签章 + counts.补发;
  return {
    form: 'roster',
    scope: { visitId: data.visit.id },
    officeName: data.officeName,
    title: ROSTER_TITLE,
    subtitle: subtitleOf(data),
    orientation: 'landscape',
    parts: [
      visitFacts(data),
      { kind: 'table', columns: [...ROSTER_COLUMNS], rows, empty: '名册没有数据行' },
      { kind: 'note', text: `共 ${data.rows.length} 行：已签章 ${sealed} 本（其中补发 ${counts.补发} 本），退回 ${counts.退回} 本。` },
      { kind: 'signatures', items: [`窗口经办人：${data.visit.clerk}`, '审核人签字：', '经办人签字：'] },
    ],
    proofCaption,
  };
}

const RETURNS_COLUMNS: readonly SheetColumn[] = [
  { title: '序号', width: 24, align: 'center' },
  { title: '证书编号', width: 74 },
  { title: '姓名', width: 40 },
  { title: '身份证号码', width: 92 },
  { title: '资格名称', width: 60 },
  { title: '退回原因', width: '*' },
  { title: '如何改正', width: 200 },
];

export function refusedRows(data: VisitPrintData): CheckedRosterRow[] {
  return data.rows.filter((row) => !row.sealed);
}

export function returnsSheet(data: VisitPrintData, proofCaption: string): PrintedSheet {
  const refused = refusedRows(data);
  return {
    form: 'returns',
    scope: { visitId: data.visit.id },
    officeName: data.officeName,
    title: RETURNS_TITLE,
    subtitle: subtitleOf(data),
    orientation: 'landscape',
    parts: [
      visitFacts(data),
      {
        kind: 'table',
        columns: [...RETURNS_COLUMNS],
        rows: refused.map((row) => ({ label: `序号 ${row.rowNo} 的一行`, cells: [String(row.rowNo), row.certNo, row.name, row.idText, row.qualification, refusalReasons(row), returnAdvice(row)] })),
        empty: '本次办证没有退回的证书',
      },
      { kind: 'note', text: `共退回 ${refused.length} 本。请按“如何改正”修改名册和证书后，连同本清单再来办理；改正后的名册可用本清单的电子表格修改。` },
      { kind: 'signatures', items: [`窗口经办人：${data.visit.clerk}`, '经办人签收：'] },
    ],
    proofCaption,
  };
}

export function receiptSheet(data: VisitPrintData, proofCaption: string): PrintedSheet {
  const totals = totalsOf(data.entries);
  const ranges = certRanges(data.certificates.map((c) => c.certNo));
  const refused = refusedRows(data).length;
  const reissued = data.certificates.filter((c) => c.reissue).length;
  return {
    form: 'receipt',
    scope: { visitId: data.visit.id },
    officeName: data.officeName,
    title: RECEIPT_TITLE,
    subtitle: subtitleOf(data),
    orientation: 'portrait',
    parts: [
      visitFacts(data),
      {
        kind: 'table',
        title: '签章情况',
        columns: [{ title: '印章', width: '*' }, { title: '用印文件', width: 80, align: 'center' }, { title: '数量', width: 80, align: 'center' }],
        rows: totals.map((t) => ({ label: `签章情况“${t.seal} ${t.documentKind}”`, cells: [t.seal, t.documentKind, String(t.count)] })),
        empty: '没有签章',
      },
      {
        kind: 'table',
        title: '证书编号',
        columns: [{ title: '序号', width: 40, align: 'center' }, { title: '起始编号', width: '*' }, { title: '终止编号', width: '*' }, { title: '本数', width: 60, align: 'center' }],
        rows: ranges.map((range, index) => ({ label: `证书编号第 ${index + 1} 段`, cells: [String(index + 1), range.first, range.last, String(range.count)] })),
        empty: '没有签章的证书',
      },
      { kind: 'note', text: `共签章 ${data.certificates.length} 本（其中补发 ${reissued} 本）${refused > 0 ? `；退回 ${refused} 本，见退回清单` : ''}。` },
      { kind: 'signatures', items: [`窗口经办人：${data.visit.clerk}`, '经办人签收：'] },
    ],
    proofCaption,
  };
}
