import type { Content, ContentTable, CustomTableLayout, TableCell, TDocumentDefinitions, TDocumentInformation } from 'pdfmake/interfaces';
import { footerLeft, pageLabel, PROOF_HINT, TRAINING_MARK, sheetCanonical, type PrintedSheet, type SheetCell, type SheetPart } from './sheet';

/** The family name services/print/pdf.ts registers; no document refers to anything else. */
export const PRINT_FONT = 'NotoSansSC';

/** The PDF's info key that carries the sheet for a verifier (its digest is in the signed QR). */
export const SHEET_INFO_KEY = 'SealCounterSheet';

const PAGE_MARGIN_X = 24;
const HEADER_BAND_HEIGHT = 90;
const FOOTER_BAND_HEIGHT = 34;
/** 40 mm: a phone or a counter scanner reads it at arm's length, and pdftoppm at 150 dpi gives 5 px a module. */
const QR_SIZE = 113;
const SIGNATURE_IMAGE = { width: 84, height: 24 };

export interface SheetRendering {
  sheet: PrintedSheet;
  /** The QR as a PNG data URL, from the signed proof. */
  qrPng: string;
  /** PNG data URLs of the images the sheet's cells name by SHA-256. */
  images: Readonly<Record<string, string>>;
  /** As the footer shows it: the office's wall-clock time, e.g. 2026-11-24 10:15. */
  printedAt: string;
  /** The PDF's creation date (the office clock's now). */
  createdAt: Date;
}

/** One layout for every form: the office and title on every page, page x of y, the QR at the end. */
export function sheetDocument({ sheet, qrPng, images, printedAt, createdAt }: SheetRendering): TDocumentDefinitions {
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: sheet.orientation,
    pageMargins: [PAGE_MARGIN_X, HEADER_BAND_HEIGHT, PAGE_MARGIN_X, FOOTER_BAND_HEIGHT],
    // pdfkit writes every key of info into the PDF's information dictionary, custom ones too.
    info: { title: `${sheet.title} ${sheet.subtitle}`, author: sheet.officeName, creator: '签章窗口', producer: '签章窗口', creationDate: createdAt, [SHEET_INFO_KEY]: sheetCanonical(sheet) } as TDocumentInformation,
    defaultStyle: { font: PRINT_FONT, fontSize: 8.5, lineHeight: 0.95 },
    images: { ...images },
    // Every page carries the office and the title: pages are signed, filed and copied one by one.
    header: () => sheetHeader(sheet),
    footer: (currentPage, pageCount) => ({
      margin: [PAGE_MARGIN_X, 10, PAGE_MARGIN_X, 0],
      fontSize: 8,
      lineHeight: 1,
      columns: [{ width: '*', text: footerLeft(printedAt) }, { width: 'auto', text: pageLabel(currentPage, pageCount) }],
    }),
    content: [...sheet.parts.map(partContent), proofBlock(sheet, qrPng)],
  };
  if (sheet.training) doc.watermark = { text: TRAINING_MARK, color: '#cf1322', opacity: 0.12, bold: true };
  return doc;
}

function sheetHeader(sheet: PrintedSheet): Content {
  return {
    margin: [PAGE_MARGIN_X, 16, PAGE_MARGIN_X, 0],
    stack: [
      { text: sheet.officeName, alignment: 'center', fontSize: 11, lineHeight: 1 },
      { text: sheet.title, alignment: 'center', fontSize: 18, bold: true, characterSpacing: 4, lineHeight: 1, margin: [0, 2, 0, 2] },
      { text: sheet.subtitle, alignment: 'center', fontSize: 10, lineHeight: 1 },
    ],
  };
}

function partContent(part: SheetPart): Content {
  switch (part.kind) {
    case 'facts':
      // Two to a line, drawn in the order the sheet lists them (a verifier reads them in that order).
      return {
        margin: [0, 0, 0, 6],
        stack: Array.from({ length: Math.ceil(part.items.length / 2) }, (_, line) => ({
          columns: part.items.slice(line * 2, line * 2 + 2).map((item) => ({ width: '50%', text: `${item.label}：${item.value}`, fontSize: 10, lineHeight: 1.25 })),
        })),
      };
    case 'table':
      return { stack: [...(part.title ? [{ text: part.title, bold: true, fontSize: 10, margin: [0, 6, 0, 3] } as Content] : []), sheetTable(part)] };
    case 'note':
      return { text: part.text, fontSize: 9, margin: [0, 6, 0, 0] };
    case 'signatures':
      return {
        margin: [0, 18, 0, 0],
        columns: part.items.map((item) => ({ width: '*', text: item, fontSize: 10 })),
        unbreakable: true,
      };
  }
}

function sheetTable(part: Extract<SheetPart, { kind: 'table' }>): ContentTable {
  const header: TableCell[] = part.columns.map((column) => ({ text: column.title, bold: true, alignment: 'center', fillColor: '#eeeeee', verticalAlignment: 'middle' }));
  const rows: TableCell[][] = part.rows.map((row) => row.cells.map((cell, index) => tableCell(cell, part.columns[index]?.align ?? 'left', row.bold === true)));
  if (rows.length === 0) {
    rows.push([{ text: part.empty ?? '', colSpan: part.columns.length, alignment: 'center', margin: [0, 6, 0, 6] }, ...part.columns.slice(1).map(() => ({}))]);
  }
  const minHeight = part.minRowHeight;
  return {
    layout: SHEET_TABLE_LAYOUT,
    table: {
      headerRows: 1,
      // A row split over two pages would leave a signature detached from what it signs for.
      dontBreakRows: true,
      widths: part.columns.map((column) => column.width),
      ...(minHeight ? { heights: (rowIndex: number) => (rowIndex === 0 ? 'auto' : minHeight) } : {}),
      body: [header, ...rows],
    },
  };
}

function tableCell(cell: SheetCell, alignment: 'left' | 'center' | 'right', bold: boolean): TableCell {
  if (typeof cell === 'string') return { text: cell, alignment, bold, verticalAlignment: 'middle' };
  return { stack: [{ image: cell.image, fit: [SIGNATURE_IMAGE.width, SIGNATURE_IMAGE.height], alignment: 'center' }, { text: cell.text, fontSize: 6.5, alignment: 'center' }] };
}

function proofBlock(sheet: PrintedSheet, qrPng: string): Content {
  return {
    unbreakable: true,
    margin: [0, 14, 0, 0],
    columns: [
      { width: QR_SIZE, image: qrPng, fit: [QR_SIZE, QR_SIZE] },
      { width: '*', margin: [10, 30, 0, 0], stack: [{ text: PROOF_HINT, fontSize: 9 }, { text: sheet.proofCaption, fontSize: 8, color: '#444444', margin: [0, 3, 0, 0] }] },
    ],
  };
}

/** Thin, even rules like a ruled paper form; the frame and the rule under the column titles heavier. */
const SHEET_TABLE_LAYOUT: CustomTableLayout = {
  hLineWidth: (rowIndex, node) => (rowIndex <= 1 || rowIndex === node.table.body.length ? 0.9 : 0.5),
  vLineWidth: (columnIndex, node) => (columnIndex === 0 || columnIndex === (node.table.widths?.length ?? 0) ? 0.9 : 0.5),
  hLineColor: '#333333',
  vLineColor: '#333333',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: (rowIndex) => (rowIndex === 0 ? 4 : 2),
  paddingBottom: (rowIndex) => (rowIndex === 0 ? 4 : 2),
};
