import { newWorkbook } from '../exports/xlsx';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from '../../core/contract';
import { UserError } from '../../core/errors';
import { issueSlipDocument, planFormDocument, statementDocument } from '../../core/stock/forms';
import { statementSheets } from '../../core/stock/statementSheet';
import { wallClockMinutes } from '../../core/time';
import { WORKER_CERTIFICATE } from '../../core/verify/certificateTypes';
import type { ServiceContext } from '../context';
import { renderPdf } from '../print/pdf';
import { loadSettings } from '../settings/settings';
import { stockBalance } from './balance';
import { issueAt } from './movements';
import { stockRecords } from './store';

/** A unit's name is typed by a clerk: nothing in it may name another folder or trouble a file system. */
function safeFileName(name: string): string {
  return [...name].map((ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');
}

/** Papers go where the register sheets go (prints/ beside the database), and back to the screen. */
function keep(ctx: ServiceContext, fileName: string, bytes: Buffer): string {
  mkdirSync(ctx.printsDir, { recursive: true });
  const path = join(ctx.printsDir, safeFileName(fileName));
  writeFileSync(path, bytes);
  return path;
}

/** The 发放单 or 申领计划表 of an issue, or the year's reconciliation statement, as PDF. */
export async function printStockPaper(ctx: ServiceContext, request: Request<'stock.print'>): Promise<Response<'stock.print'>> {
  const settings = loadSettings(ctx.db);
  const printedAt = wallClockMinutes(ctx.clock.timestamp());
  let fileName: string;
  let pdf: Buffer;
  if (request.document === 'statement') {
    const unit = request.unit?.trim() || null;
    const balance = stockBalance(ctx.db, { year: request.year, unit: unit ?? undefined });
    pdf = await renderPdf(statementDocument({ officeName: settings.officeName, year: request.year, unit, lines: balance.lines, office: balance.office, printedAt }));
    fileName = `空白证书领用对账单-${request.year}${unit ? `-${unit}` : ''}.pdf`;
  } else {
    const issue = issueAt(ctx, request.seq);
    const date = issue.at.slice(0, 10);
    if (request.document === 'planForm') {
      if (issue.basis !== 'plan' || !issue.grades) throw new UserError(`第 ${issue.entrySeq} 号发放不是按申领计划表发放的，没有申领计划表可打印。`);
      pdf = await renderPdf(planFormDocument({ officeName: settings.officeName, unit: issue.unit, contact: issue.contact, phone: issue.phone, date, grades: issue.grades, printedAt }));
      fileName = `申领计划表-${issue.unit}-第${issue.entrySeq}号.pdf`;
    } else {
      pdf = await renderPdf(issueSlipDocument({
        officeName: settings.officeName, seq: issue.entrySeq, unit: issue.unit, certificateType: issue.certificateType, date, basis: issue.basis, base: issue.base,
        spares: issue.spares, count: issue.count, grades: issue.certificateType === WORKER_CERTIFICATE ? issue.grades : null, ranges: issue.ranges, clerk: issue.clerk, printedAt,
      }));
      fileName = `发放单-${issue.unit}-第${issue.entrySeq}号.pdf`;
    }
  }
  return { fileName, path: keep(ctx, fileName, pdf), pdfBase64: pdf.toString('base64') };
}

/** The reconciliation statement as .xlsx: a sheet of balances and one of the spoiled certificates by number. */
export async function exportStatement(ctx: ServiceContext, request: Request<'stock.exportStatement'>): Promise<Response<'stock.exportStatement'>> {
  const settings = loadSettings(ctx.db);
  const unit = request.unit?.trim() || null;
  const balance = stockBalance(ctx.db, { year: request.year, unit: unit ?? undefined });
  const spoiled = stockRecords(ctx.db, 'stock-spoiled').filter((s) => s.year === request.year && (!unit || s.unit === unit))
    .map((s) => ({ unit: s.unit, certificateType: s.certificateType, certNo: s.certNo, at: s.at, clerk: s.clerk }));
  const workbook = await newWorkbook();
  workbook.creator = '签章窗口';
  // The workbook's own dates are the office's, not the PC's zone (a Date here would be written as UTC).
  workbook.created = new Date(`${ctx.clock.timestamp().slice(0, 19)}Z`);
  workbook.modified = workbook.created;
  for (const sheet of statementSheets({ officeName: settings.officeName, year: request.year, unit, printedAt: wallClockMinutes(ctx.clock.timestamp()), lines: balance.lines, office: balance.office, spoiled })) {
    const worksheet = workbook.addWorksheet(sheet.name);
    sheet.widths.forEach((width, i) => { worksheet.getColumn(i + 1).width = width; });
    for (const row of sheet.rows) {
      // Text cells are given as strings and counts as numbers: ExcelJS writes a string as a string
      // cell whatever it looks like, so a certificate number never turns into a number.
      worksheet.addRow(row.map((cell) => ('text' in cell ? cell.text : cell.number)));
    }
  }
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  const fileName = `空白证书领用对账单-${request.year}${unit ? `-${unit}` : ''}.xlsx`;
  return { fileName, path: keep(ctx, fileName, bytes), xlsxBase64: bytes.toString('base64') };
}
