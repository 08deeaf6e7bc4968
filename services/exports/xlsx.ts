import type ExcelJS from 'exceljs';
import { neutraliseCell, type WorkbookForm } from '../../core/exports/forms';

/**
 * Writes a form as .xlsx with exceljs. Every text cell goes through neutraliseCell (formula
 * injection, DDE), here, once, for every export; columns marked text are stored as strings with
 * the text format, so an ID or certificate number never turns into a number when opened.
 */
/**
 * exceljs, loaded when the first workbook is written: every command-line run and the app's start
 * would otherwise pay for it (about half a second) whether they write a workbook or not.
 */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  return new excel.Workbook();
}

const THIN = { style: 'thin' as const, color: { argb: 'FF333333' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

export async function writeWorkbook(form: WorkbookForm, meta: { creator: string; created: Date }): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = meta.creator;
  workbook.created = meta.created;
  workbook.modified = meta.created;
  const sheet = workbook.addWorksheet(form.sheetName, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const width = form.columns.length;
  sheet.columns = form.columns.map((column) => ({ width: column.width }));

  let rowNo = 0;
  for (const [index, title] of form.titleRows.entries()) {
    rowNo++;
    const row = sheet.getRow(rowNo);
    row.getCell(1).value = neutraliseCell(title);
    row.getCell(1).font = index === 0 ? { bold: true, size: 16 } : { size: 11 };
    row.getCell(1).alignment = { horizontal: index === 0 ? 'center' : 'left', vertical: 'middle' };
    row.height = index === 0 ? 30 : 20;
    sheet.mergeCells(rowNo, 1, rowNo, width);
  }

  const grouped = form.columns.some((c) => c.group !== undefined);
  const headerFirst = rowNo + 1;
  const headerLast = grouped ? rowNo + 2 : rowNo + 1;
  form.columns.forEach((column, index) => {
    const col = index + 1;
    if (column.group === undefined) {
      sheet.getCell(headerFirst, col).value = column.header;
      if (grouped) sheet.mergeCells(headerFirst, col, headerLast, col);
    } else {
      sheet.getCell(headerLast, col).value = column.header;
      const first = form.columns.findIndex((c) => c.group === column.group) + 1;
      if (first === col) {
        const last = form.columns.length - [...form.columns].reverse().findIndex((c) => c.group === column.group);
        sheet.getCell(headerFirst, col).value = column.group;
        sheet.mergeCells(headerFirst, first, headerFirst, last);
      }
    }
  });
  for (let r = headerFirst; r <= headerLast; r++) {
    for (let col = 1; col <= width; col++) {
      const cell = sheet.getCell(r, col);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    }
  }
  rowNo = headerLast;
  // Print the header again on every page of a long form.
  sheet.pageSetup.printTitlesRow = `${headerFirst}:${headerLast}`;

  for (const values of form.rows) {
    rowNo++;
    const row = sheet.getRow(rowNo);
    form.columns.forEach((column, index) => {
      const cell = row.getCell(index + 1);
      const value = values[index] ?? '';
      cell.value = typeof value === 'number' && !column.text ? value : neutraliseCell(String(value));
      if (column.text) cell.numFmt = '@';
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
  }
  for (const note of form.footnotes) {
    rowNo += 1;
    sheet.getCell(rowNo, 1).value = neutraliseCell(note);
    sheet.mergeCells(rowNo, 1, rowNo, width);
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer);
}
