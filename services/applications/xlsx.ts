import type ExcelJS from 'exceljs';
import { newWorkbook } from '../exports/xlsx';
import { neutraliseCell } from '../../core/exports/forms';
import { type FormDocument, type GridForm, type TableForm } from '../../core/applications/forms';

/**
 * Writes a form (core/applications/forms.ts) as an .xlsx workbook, one worksheet per sheet, laid
 * out as the paper form: attachment number, title merged over the table, the lines above it,
 * ruled cells, A4 page set-up. Every text cell is a text cell (ID and certificate numbers stay
 * text, also when retyped: their columns are formatted "@"), and formula-like text is neutralised.
 */
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
};
const FONT = '宋体';

function text(value: string | number): string | number {
  return typeof value === 'number' ? value : neutraliseCell(value);
}

function heading(sheet: ExcelJS.Worksheet, attachment: string, title: string, width: number): number {
  sheet.getCell(1, 1).value = attachment;
  sheet.getCell(1, 1).font = { name: FONT, size: 11, bold: true };
  sheet.mergeCells(2, 1, 2, width);
  const titleCell = sheet.getCell(2, 1);
  titleCell.value = title;
  titleCell.font = { name: FONT, size: 16, bold: true };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(2).height = 30;
  return 3;
}

function tableSheet(workbook: ExcelJS.Workbook, form: TableForm): void {
  const sheet = workbook.addWorksheet(form.sheetName, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const width = form.columns.length;
  let row = heading(sheet, form.attachment, form.title, width);
  for (const line of form.preamble) {
    sheet.mergeCells(row, 1, row, width);
    sheet.getCell(row, 1).value = text(line);
    sheet.getCell(row, 1).font = { name: FONT, size: 10 };
    row++;
  }
  const headerRow = row;
  form.columns.forEach((column, index) => {
    const cell = sheet.getCell(headerRow, index + 1);
    cell.value = column.title;
    cell.font = { name: FONT, size: 10, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = THIN;
    sheet.getColumn(index + 1).width = column.width;
    if (column.text) sheet.getColumn(index + 1).numFmt = '@';
  });
  for (const values of form.rows) {
    row++;
    values.forEach((value, index) => {
      const cell = sheet.getCell(row, index + 1);
      cell.value = text(value);
      cell.font = { name: FONT, size: 10 };
      cell.alignment = { vertical: 'middle', wrapText: true };
      cell.border = THIN;
      if (form.columns[index]!.text) cell.numFmt = '@';
    });
  }
  for (const line of form.footer) {
    row++;
    sheet.mergeCells(row, 1, row, width);
    sheet.getCell(row, 1).value = text(line);
    sheet.getCell(row, 1).font = { name: FONT, size: 10 };
  }
  // The title rows and the header repeat on every printed page.
  sheet.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
}

function gridSheet(workbook: ExcelJS.Workbook, form: GridForm): void {
  const sheet = workbook.addWorksheet(form.sheetName, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 1 } });
  form.columns.forEach((width, index) => { sheet.getColumn(index + 1).width = width; });
  let row = heading(sheet, form.attachment, form.title, form.columns.length);
  for (const line of form.rows) {
    let column = 1;
    for (const cell of line.cells) {
      const span = cell.span ?? 1;
      if (span > 1) sheet.mergeCells(row, column, row, column + span - 1);
      const target = sheet.getCell(row, column);
      target.value = text(cell.text);
      target.font = { name: FONT, size: 11, bold: cell.label === true };
      target.alignment = cell.right ? { horizontal: 'right', vertical: 'bottom' } : { horizontal: cell.label ? 'center' : 'left', vertical: 'middle', wrapText: true };
      target.numFmt = '@';
      for (let c = column; c < column + span; c++) sheet.getCell(row, c).border = THIN;
      column += span;
    }
    sheet.getRow(row).height = line.tall ? 60 : 28;
    row++;
  }
}

export async function formWorkbook(doc: FormDocument, createdAt: Date): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '签章窗口';
  // The workbook's own dates are fixed by the office clock, so the same export gives the same file.
  workbook.created = createdAt;
  workbook.modified = createdAt;
  for (const sheet of doc.sheets) {
    if (sheet.layout === 'table') tableSheet(workbook, sheet);
    else gridSheet(workbook, sheet);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
