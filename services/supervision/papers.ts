import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newWorkbook } from '../exports/xlsx';
import type { Papers } from '../../core/contract';
import { neutraliseCell } from '../../core/exports/forms';
import { reportDocument, type ReportInput } from '../../core/supervision/reportDocument';
import type { ServiceContext } from '../context';
import { renderPdf } from '../print/pdf';
import { isTrainingDb } from '../settings/reference';

/** One worksheet of an export: a few lines above the table (title, code, period), then the table. */
export interface SheetData {
  name: string;
  preamble: string[];
  columns: { header: string; width: number }[];
  rows: (string | number)[][];
}

/**
 * An .xlsx of several sheets (services/exports/xlsx.ts writes the notices' one-sheet forms):
 * every text cell neutralised, the header row bold and frozen.
 */
export async function workbookBytes(sheets: readonly SheetData[]): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '签章窗口';
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: sheet.preamble.length + 1 }] });
    for (const line of sheet.preamble) worksheet.addRow([neutraliseCell(line)]);
    const header = worksheet.addRow(sheet.columns.map((column) => column.header));
    header.font = { bold: true };
    sheet.columns.forEach((column, index) => { worksheet.getColumn(index + 1).width = column.width; });
    for (const row of sheet.rows) worksheet.addRow(row.map((cell) => (typeof cell === 'string' ? neutraliseCell(cell) : cell)));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The PDF and the .xlsx of one paper, kept in the prints folder under the same stem (as the
 * register sheet is) and handed back for the screen to show or save.
 */
export async function makePapers(ctx: ServiceContext, stem: string, report: ReportInput, sheets: readonly SheetData[]): Promise<Papers> {
  const [pdf, xlsx] = await Promise.all([renderPdf(reportDocument({ ...report, training: isTrainingDb(ctx.db) })), workbookBytes(sheets)]);
  mkdirSync(ctx.printsDir, { recursive: true });
  const pdfFileName = `${stem}.pdf`;
  const xlsxFileName = `${stem}.xlsx`;
  writeFileSync(join(ctx.printsDir, pdfFileName), pdf);
  writeFileSync(join(ctx.printsDir, xlsxFileName), xlsx);
  return { pdfFileName, pdfBase64: pdf.toString('base64'), xlsxFileName, xlsxBase64: xlsx.toString('base64') };
}
