import type { Content, CustomTableLayout, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { PRINT_FONT } from '../print/layout';
import type { FormDocument, GridForm, TableForm } from './forms';

/**
 * The summary forms printed (DOMAIN.md §11): the same sheets the .xlsx export holds, laid out on
 * A4 the way the notices' attachments are — the lists landscape, Chongqing's 附件2 one portrait
 * page per person.
 */
const MARGIN = 28;
const A4 = { width: 595.28, height: 841.89 };

const RULED: CustomTableLayout = {
  hLineWidth: () => 0.6,
  vLineWidth: () => 0.6,
  hLineColor: '#222222',
  vLineColor: '#222222',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

/** pdfmake adds each cell's padding and rule to its width: what is shared out is what is left. */
const CELL_EXTRA = 3 + 3 + 0.6;

function scaled(widths: readonly number[], available: number): number[] {
  const total = widths.reduce((a, b) => a + b, 0);
  const room = available - widths.length * CELL_EXTRA - 0.6;
  return widths.map((w) => (w / total) * room);
}

function attachmentHeading(attachment: string, title: string): Content[] {
  return [
    { text: attachment, fontSize: 11, bold: true, margin: [0, 0, 0, 4] },
    { text: title, alignment: 'center', fontSize: 16, bold: true, margin: [0, 0, 0, 8] },
  ];
}

function tableSheet(sheet: TableForm, available: number, first: boolean): Content[] {
  const header: TableCell[] = sheet.columns.map((c) => ({ text: c.title, bold: true, alignment: 'center', fillColor: '#eeeeee' }));
  const body: TableCell[][] = sheet.rows.map((row) => row.map((cell, i) => ({ text: String(cell), alignment: sheet.columns[i]!.width <= 8 ? 'center' : 'left' })));
  return [
    { text: '', pageBreak: first ? undefined : 'before' },
    ...attachmentHeading(sheet.attachment, sheet.title),
    ...sheet.preamble.map((line): Content => ({ text: line, fontSize: 9, margin: [0, 0, 0, 4] })),
    {
      layout: RULED,
      fontSize: 8,
      table: { headerRows: 1, dontBreakRows: true, widths: scaled(sheet.columns.map((c) => c.width), available), body: [header, ...(body.length > 0 ? body : [[{ text: '（无）', colSpan: header.length, alignment: 'center' as const }, ...header.slice(1).map(() => ({}))]])] },
    },
    ...sheet.footer.map((line): Content => ({ text: line, fontSize: 9, margin: [0, 6, 0, 0] })),
  ];
}

function gridSheet(sheet: GridForm, available: number, first: boolean): Content[] {
  const body: TableCell[][] = sheet.rows.map((row) => {
    const cells: TableCell[] = [];
    for (const cell of row.cells) {
      const span = cell.span ?? 1;
      cells.push({
        text: cell.text,
        colSpan: span > 1 ? span : undefined,
        alignment: cell.label ? 'center' : cell.right ? 'right' : 'left',
        bold: cell.label === true,
        fontSize: cell.label ? 10 : 10.5,
        // The space above 年 月 日 is where the opinion is written and signed.
        margin: row.tall ? (cell.right ? [0, 40, 12, 4] : [0, 22, 0, 0]) : [0, 6, 0, 6],
      });
      for (let i = 1; i < span; i++) cells.push({});
    }
    return cells;
  });
  return [
    { text: '', pageBreak: first ? undefined : 'before' },
    ...attachmentHeading(sheet.attachment, sheet.title),
    { layout: RULED, table: { widths: scaled(sheet.columns, available), body } },
  ];
}

export function formPdfDocument(doc: FormDocument, printedAt: string): TDocumentDefinitions {
  const width = doc.landscape ? A4.height : A4.width;
  const available = width - 2 * MARGIN;
  return {
    pageSize: 'A4',
    pageOrientation: doc.landscape ? 'landscape' : 'portrait',
    pageMargins: [MARGIN, MARGIN, MARGIN, 36],
    info: { title: doc.fileStem, creator: '签章窗口', producer: '签章窗口' },
    defaultStyle: { font: PRINT_FONT, fontSize: 9, lineHeight: 1.05 },
    footer: (currentPage, pageCount) => ({
      margin: [MARGIN, 12, MARGIN, 0],
      fontSize: 8,
      columns: [{ width: '*', text: `打印时间：${printedAt}　　由签章窗口生成` }, { width: 'auto', text: `第 ${currentPage} 页 / 共 ${pageCount} 页` }],
    }),
    content: doc.sheets.flatMap((sheet, index) => (sheet.layout === 'table' ? tableSheet(sheet, available, index === 0) : gridSheet(sheet, available, index === 0))),
  };
}
