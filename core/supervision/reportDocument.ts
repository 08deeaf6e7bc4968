import type { Content, ContentTable, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { PRINT_FONT } from '../print/layout';

/**
 * The supervisor's papers (预审报告, 抽查记录, 统计表): an A4 report with the office and the title on
 * every page, a block of facts (who, what, when, the code to quote) and tables. The same font as
 * the counter's papers (core/print/layout.ts), registered once by services/print/pdf.ts. They prove
 * no register entries, so they carry no signed QR.
 */
export interface ReportTable {
  heading: string;
  columns: { title: string; width: number | '*' }[];
  rows: string[][];
  /** Printed in place of the rows when there are none, e.g. "全部通过，无需修改的行". */
  empty: string;
  /** A chart of the table as a PNG data URL, printed between the heading and the table (统计). */
  image?: string;
}

export interface ReportInput {
  officeName: string;
  title: string;
  subtitle: string;
  facts: [label: string, value: string][];
  /** A line set large under the facts: the 预审 code, the sample's seed. */
  code?: { label: string; value: string };
  tables: ReportTable[];
  printedAt: string;
  /** The last line of every page, e.g. what the paper is for and is not. */
  footnote: string;
  /** A training database's papers say 培训 across every page, as the register sheet does. */
  training?: boolean;
}

const MARGIN_X = 36;
/** Rows a chart's table may have and still be kept on the chart's page. */
const SHORT_TABLE_ROWS = 16;

export function reportDocument(input: ReportInput): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [MARGIN_X, 88, MARGIN_X, 40],
    info: { title: `${input.title} ${input.subtitle}`, author: input.officeName, creator: '签章窗口', producer: '签章窗口' },
    defaultStyle: { font: PRINT_FONT, fontSize: 9, lineHeight: 1.05 },
    ...(input.training ? { watermark: { text: '培训', color: '#cf1322', opacity: 0.12, bold: true } } : {}),
    header: () => ({
      margin: [MARGIN_X, 18, MARGIN_X, 0],
      stack: [
        { text: input.officeName, alignment: 'center', fontSize: 10 },
        { text: input.title, alignment: 'center', fontSize: 17, bold: true, characterSpacing: 4, margin: [0, 2, 0, 2] },
        { text: input.subtitle, alignment: 'center', fontSize: 9.5 },
      ],
    }),
    footer: (currentPage, pageCount) => ({
      margin: [MARGIN_X, 12, MARGIN_X, 0],
      fontSize: 8,
      columns: [
        { width: '*', text: `打印时间：${input.printedAt}　　${input.footnote}` },
        { width: 'auto', text: `第 ${currentPage} 页 / 共 ${pageCount} 页` },
      ],
    }),
    content: [factsBlock(input), ...(input.code ? [codeLine(input.code)] : []), ...input.tables.flatMap(tableBlock)],
  };
}

function factsBlock(input: ReportInput): ContentTable {
  return {
    layout: 'noBorders',
    margin: [0, 0, 0, 6],
    table: {
      widths: [70, '*'],
      body: input.facts.map(([label, value]): TableCell[] => [{ text: `${label}：`, bold: true }, { text: value }]),
    },
  };
}

function codeLine(code: { label: string; value: string }): Content {
  return { text: [{ text: `${code.label}：`, bold: true }, { text: code.value, fontSize: 14, bold: true, characterSpacing: 1 }], margin: [0, 2, 0, 8] };
}

function tableBlock(table: ReportTable): Content[] {
  const header: TableCell[] = table.columns.map((column) => ({ text: column.title, bold: true, fillColor: '#eeeeee', alignment: 'center' }));
  const body: TableCell[][] = table.rows.length > 0
    ? table.rows.map((row) => row.map((cell): TableCell => ({ text: cell })))
    : [[{ text: table.empty, colSpan: table.columns.length, alignment: 'center', margin: [0, 4, 0, 4] }, ...table.columns.slice(1).map((): TableCell => ({}))]];
  const heading: Content = { text: table.heading, bold: true, fontSize: 11, margin: [0, 6, 0, 4] };
  const grid: Content = {
    layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, hLineColor: '#555555', vLineColor: '#555555', paddingTop: () => 2, paddingBottom: () => 2 },
    table: { headerRows: 1, dontBreakRows: true, widths: table.columns.map((column) => column.width), body: [header, ...body] },
  };
  if (!table.image) return [heading, grid];
  // A chart stays on one page with its heading, and with its table where the table is short.
  const chart: Content = { image: table.image, fit: [595 - 2 * MARGIN_X, 230], alignment: 'center', margin: [0, 0, 0, 4] };
  return body.length <= SHORT_TABLE_ROWS ? [{ unbreakable: true, stack: [heading, chart, grid] }] : [{ unbreakable: true, stack: [heading, chart] }, grid];
}
