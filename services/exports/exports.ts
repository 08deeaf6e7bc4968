import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request } from '../../core/contract';
import { UserError } from '../../core/errors';
import {
  chongqingRegister, EXPORT_FORM_TITLE, registerWorkbook, returnsWorkbook, seniorIssuance, workerApproval, workerReview,
  type ExportContext, type ExportForm, type ReturnedRow, type SealedCertificateRow, type WorkbookForm,
} from '../../core/exports/forms';
import { refusalReasons, refusedRows, returnAdvice } from '../../core/print/visitForms';
import { SENIOR_CERTIFICATE, WORKER_CERTIFICATE } from '../../core/verify/certificateTypes';
import type { ServiceContext } from '../context';
import type { CertificateViewRow } from '../visits/ledger';
import { dateSubtitle } from '../print/print';
import { visitPrintData } from '../print/sources';
import { registerEntriesBetween } from '../register/entries';
import { loadSettings } from '../settings/settings';
import { writeWorkbook } from './xlsx';

export type ExportScope = Request<'exports.form'>['scope'];

interface Period {
  /** A condition on the certificate's visit or sealing time, and its parameters. */
  where: string;
  params: (string | number)[];
  words: string;
  fileTag: string;
  /** For the register: the office dates it covers. */
  from?: string;
  to?: string;
}

function periodOf(scope: ExportScope): Period {
  if ('visitId' in scope) return { where: 'c.visit_id = ?', params: [scope.visitId], words: `第 ${scope.visitId} 号办证`, fileTag: `办证${scope.visitId}` };
  if ('date' in scope) return { where: 'c.sealed_at >= ? AND c.sealed_at < ?', params: [scope.date, `${scope.date}\uffff`], words: dateSubtitle(scope.date), fileTag: scope.date, from: scope.date, to: scope.date };
  if ('from' in scope) {
    if (scope.to < scope.from) throw new UserError(`结束日期 ${scope.to} 早于开始日期 ${scope.from}。`);
    return { where: 'c.sealed_at >= ? AND c.sealed_at < ?', params: [scope.from, `${scope.to}\uffff`], words: `${dateSubtitle(scope.from)}至${dateSubtitle(scope.to)}`, fileTag: `${scope.from}至${scope.to}`, from: scope.from, to: scope.to };
  }
  const unit = scope.unit?.trim();
  return {
    where: `c.sealed_at >= ? AND c.sealed_at < ?${unit ? ' AND c.unit = ?' : ''}`,
    params: [`${scope.year}-`, `${scope.year}-\uffff`, ...(unit ? [unit] : [])],
    words: `${scope.year}年度${unit ? `（${unit}）` : ''}`,
    fileTag: `${scope.year}${unit ? `-${unit}` : ''}`,
    from: `${scope.year}-01-01`,
    to: `${scope.year}-12-31`,
  };
}

/** A certificate with its holder's row of the approved list. */
type CertificateQueryRow = Omit<CertificateViewRow, 'id' | 'entry_seq'> & {
  certificate_type: string;
  gender: string | null;
  work_unit: string | null;
  department: string | null;
  major: string | null;
  level: string | null;
  approved_on: string | null;
  line: number | null;
};

/**
 * The certificates sealed in a period, each with its holder as the approved list has them (the
 * list is what the forms must agree with; Chongqing 2018 says so of its 登记表), oldest first.
 */
export function sealedCertificates(ctx: ServiceContext, period: Period, certificateType?: string): SealedCertificateRow[] {
  const rows = ctx.db.prepare(`
    SELECT c.cert_no, c.id_number, c.name, c.qualification, c.approval_doc, c.unit, c.visit_id, c.sealed_at, c.reissue, c.replaces_cert_no, v.certificate_type,
           p.gender, p.work_unit, p.department, p.major, p.level, p.approved_on, p.line
    FROM certificates c
    JOIN visits v ON v.id = c.visit_id
    LEFT JOIN approved_lists l ON l.approval_doc = c.approval_doc
    LEFT JOIN approved_people p ON p.list_id = l.id AND p.id_number = c.id_number
    WHERE ${period.where}${certificateType ? ' AND v.certificate_type = ?' : ''}
    GROUP BY c.id
    ORDER BY c.id`).all(...period.params, ...(certificateType ? [certificateType] : [])) as CertificateQueryRow[];
  return rows.map((r) => ({
    certNo: r.cert_no, idNumber: r.id_number, name: r.name, gender: r.gender ?? '', workUnit: r.work_unit ?? r.unit, department: r.department ?? '', major: r.major ?? '',
    qualification: r.qualification, level: r.level ?? '', approvedOn: r.approved_on ?? '', approvalDoc: r.approval_doc, unit: r.unit, visitId: r.visit_id, sealedAt: r.sealed_at,
    reissue: r.reissue === 1, replacesCertNo: r.replaces_cert_no, listLine: r.line ?? 0,
  }));
}

function buildForm(ctx: ServiceContext, form: ExportForm, scope: ExportScope, context: ExportContext): WorkbookForm {
  const period = periodOf(scope);
  const reportingUnit = 'year' in scope && scope.unit ? scope.unit : '';
  switch (form) {
    case 'chongqing-register': {
      const rows = sealedCertificates(ctx, period);
      const units = [...new Set(rows.map((r) => r.unit))];
      const departments = [...new Set(rows.map((r) => r.department).filter(Boolean))];
      const year = 'year' in scope ? String(scope.year) : (rows[0]?.sealedAt ?? context.exportedAt).slice(0, 4);
      return chongqingRegister(rows, { ...context, reportingUnit: reportingUnit || units.join('、'), department: departments.join('、'), year });
    }
    case 'senior-issuance': {
      const rows = sealedCertificates(ctx, period, SENIOR_CERTIFICATE);
      return seniorIssuance(rows, { ...context, reportingUnit: reportingUnit || [...new Set(rows.map((r) => r.unit))].join('、') });
    }
    case 'worker-approval':
      return workerApproval(sealedCertificates(ctx, period, WORKER_CERTIFICATE), context);
    case 'worker-review':
      return workerReview(sealedCertificates(ctx, period, WORKER_CERTIFICATE), context);
    case 'returns': {
      if (!('visitId' in scope)) throw new UserError('退回清单按办证导出：请指定办证号。');
      const data = visitPrintData(ctx, scope.visitId);
      const rows: ReturnedRow[] = refusedRows(data).map((row) => ({
        rowNo: row.rowNo, certNo: row.certNo, name: row.name, gender: row.gender, idText: row.idText, workUnit: row.workUnit, major: row.major, qualification: row.qualification,
        approvedOn: row.approvedOn, approvalDoc: row.approvalDoc, remark: row.remark, reasons: refusalReasons(row), advice: returnAdvice(row),
      }));
      return returnsWorkbook(rows, { ...context, period: `${context.period}：${data.visit.unit}` });
    }
    case 'register': {
      if (!period.from || !period.to) throw new UserError('登记簿按日期范围导出：请指定 --date、--from/--to 或 --year。');
      const range = ctx.db.prepare('SELECT min(seq) AS first, max(seq) AS last FROM register_entries WHERE at >= ? AND at < ?').get(period.from, `${period.to}\uffff`) as { first: number | null; last: number | null };
      const entries = range.first === null ? [] : registerEntriesBetween(ctx.db, range.first, range.last!).filter((e) => e.at >= period.from! && e.at < `${period.to!}\uffff`);
      return registerWorkbook(entries, context);
    }
  }
}

export interface ExportedWorkbook {
  fileName: string;
  path: string;
  xlsx: Buffer;
  rowCount: number;
}

/** Writes one of the notices' Excel forms into the prints folder. */
export async function exportForm(ctx: ServiceContext, form: ExportForm, scope: ExportScope): Promise<ExportedWorkbook> {
  const settings = loadSettings(ctx.db);
  const period = periodOf(scope);
  const workbook = buildForm(ctx, form, scope, { officeName: settings.officeName, period: period.words, exportedAt: ctx.clock.timestamp() });
  const xlsx = await writeWorkbook(workbook, { creator: `签章窗口（${settings.officeName}）`, created: ctx.clock.now() });
  mkdirSync(ctx.printsDir, { recursive: true });
  const fileName = `${EXPORT_FORM_TITLE[form]}-${period.fileTag}.xlsx`;
  const path = join(ctx.printsDir, fileName);
  writeFileSync(path, xlsx);
  return { fileName, path, xlsx, rowCount: workbook.rows.length };
}
