import type { Content, ContentTable, CustomTableLayout, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { wallClockMinutes } from '../time';

/**
 * The printed register sheet (印章使用登记表, DOMAIN.md §7): the paper the visiting unit's agent
 * signs by hand. It only lays out what the register already holds; the register stays the record.
 */
export interface RegisterSheetEntry {
  seq: number;
  /** As stored, e.g. 2026-11-22T09:31:05+08:00; printed in the counter's own wall-clock time. */
  at: string;
  sealName: string;
  sealKind: string;
  documentKind: string;
  count: number;
  unit: string;
  purpose: string;
  slipNo: string;
  approver: string;
  clerk: string;
  agentName: string;
  agentPhone: string;
  /** The clerk's decisions the entry keeps (confirmed warnings, fewer than the slip and why), printed under 事由. */
  remarks?: string;
}

export interface RegisterSheetInput {
  /** e.g. 四川省人力资源和社会保障厅 */
  officeName: string;
  /** What this sheet covers, e.g. "2026年11月22日" or "第 12 号办证：成都市人力资源和社会保障局". */
  subtitle: string;
  /** Shown in the footer as given, so the caller decides the format. */
  printedAt: string;
  entries: RegisterSheetEntry[];
  /** A training database's sheet says 培训 across every page. */
  training?: boolean;
}

/** The family name services/print/pdf.ts registers; the document refers to nothing else. */
export const REGISTER_SHEET_FONT = 'NotoSansSC';

export const REGISTER_SHEET_TITLE = '印章使用登记表';

export const NO_ENTRIES_TEXT = '无登记记录';

/** Tall enough for a handwritten signature, which is what the sheet is printed for. */
export const SIGNATURE_ROW_HEIGHT = 28;

const PAGE_MARGIN_X = 24;
const HEADER_BAND_HEIGHT = 90;
const FOOTER_BAND_HEIGHT = 34;

type Column = {
  title: string;
  /** Fixed widths keep the sheet identical from page to page; 事由 takes what is left. */
  width: number | '*';
  alignment: 'left' | 'center';
  cell: (entry: RegisterSheetEntry) => string;
};

/** Room for a 13-character name such as 成都市人力资源和社会保障局 on one line. */
const UNIT_COLUMN_WIDTH = 118;

const COLUMNS: readonly Column[] = [
  { title: '序号', width: 26, alignment: 'center', cell: (entry) => String(entry.seq) },
  { title: '日期时间', width: 50, alignment: 'center', cell: (entry) => wallClockMinutes(entry.at) },
  { title: '印章名称', width: 84, alignment: 'left', cell: (entry) => `${entry.sealName}（${entry.sealKind}）` },
  { title: '用印文件', width: 36, alignment: 'center', cell: (entry) => entry.documentKind },
  { title: '数量', width: 26, alignment: 'center', cell: (entry) => String(entry.count) },
  { title: '用章单位', width: UNIT_COLUMN_WIDTH, alignment: 'left', cell: (entry) => entry.unit },
  { title: '事由', width: '*', alignment: 'left', cell: (entry) => (entry.remarks ? `${entry.purpose}\n备注：${entry.remarks}` : entry.purpose) },
  { title: '凭条编号', width: 58, alignment: 'center', cell: (entry) => entry.slipNo },
  { title: '审批人', width: 40, alignment: 'center', cell: (entry) => entry.approver },
  { title: '窗口经办人', width: 49, alignment: 'center', cell: (entry) => entry.clerk },
  { title: '经办人及电话', width: 60, alignment: 'center', cell: (entry) => [entry.agentName, entry.agentPhone].filter((part) => part !== '').join('\n') },
  { title: '经办人签字', width: 92, alignment: 'center', cell: () => '' },
];

export function registerSheetDocument(input: RegisterSheetInput): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [PAGE_MARGIN_X, HEADER_BAND_HEIGHT, PAGE_MARGIN_X, FOOTER_BAND_HEIGHT],
    info: { title: `${REGISTER_SHEET_TITLE} ${input.subtitle}`, author: input.officeName, creator: '签章窗口', producer: '签章窗口' },
    defaultStyle: { font: REGISTER_SHEET_FONT, fontSize: 8.5, lineHeight: 0.9 },
    // Every page carries the office and the title: pages are signed, filed and copied one by one.
    header: () => sheetHeader(input),
    footer: (currentPage, pageCount) => sheetFooter(input.printedAt, currentPage, pageCount),
    content: [registerTable(input.entries)],
    ...(input.training ? { watermark: { text: '培训', color: '#cf1322', opacity: 0.12, bold: true } } : {}),
  };
}

function sheetHeader(input: RegisterSheetInput): Content {
  return {
    margin: [PAGE_MARGIN_X, 16, PAGE_MARGIN_X, 0],
    stack: [
      { text: input.officeName, alignment: 'center', fontSize: 11, lineHeight: 1 },
      { text: REGISTER_SHEET_TITLE, alignment: 'center', fontSize: 18, bold: true, characterSpacing: 6, lineHeight: 1, margin: [0, 2, 0, 2] },
      { text: input.subtitle, alignment: 'center', fontSize: 10, lineHeight: 1 },
    ],
  };
}

function sheetFooter(printedAt: string, currentPage: number, pageCount: number): Content {
  return {
    margin: [PAGE_MARGIN_X, 10, PAGE_MARGIN_X, 0],
    fontSize: 8,
    lineHeight: 1,
    columns: [
      { width: '*', text: `打印时间：${printedAt}　　本表由签章窗口生成，记录以系统登记簿为准` },
      { width: 'auto', text: `第 ${currentPage} 页 / 共 ${pageCount} 页` },
    ],
  };
}

function registerTable(entries: readonly RegisterSheetEntry[]): ContentTable {
  const headerRow: TableCell[] = COLUMNS.map((column) => ({ text: column.title, bold: true, alignment: 'center', fillColor: '#eeeeee', verticalAlignment: 'middle' }));
  const bodyRows = entries.length > 0 ? entries.map(entryRow) : [noEntriesRow()];
  return {
    layout: SHEET_TABLE_LAYOUT,
    table: {
      headerRows: 1,
      // A row split over two pages would leave a signature detached from what it signs for.
      dontBreakRows: true,
      widths: COLUMNS.map((column) => column.width),
      heights: (rowIndex) => (rowIndex === 0 ? 'auto' : SIGNATURE_ROW_HEIGHT),
      body: [headerRow, ...bodyRows],
    },
  };
}

function entryRow(entry: RegisterSheetEntry): TableCell[] {
  return COLUMNS.map((column) => ({ text: column.cell(entry), alignment: column.alignment, verticalAlignment: 'middle' }));
}

function noEntriesRow(): TableCell[] {
  const spanned: TableCell[] = COLUMNS.slice(1).map(() => ({}));
  return [{ text: NO_ENTRIES_TEXT, colSpan: COLUMNS.length, alignment: 'center', verticalAlignment: 'middle', margin: [0, 6, 0, 6] }, ...spanned];
}

/** Thin, even rules like a ruled paper form; the frame and the rule under the column titles heavier. */
const SHEET_TABLE_LAYOUT: CustomTableLayout = {
  hLineWidth: (rowIndex, node) => (rowIndex <= 1 || rowIndex === node.table.body.length ? 0.9 : 0.5),
  vLineWidth: (columnIndex) => (columnIndex === 0 || columnIndex === COLUMNS.length ? 0.9 : 0.5),
  hLineColor: '#333333',
  vLineColor: '#333333',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: (rowIndex) => (rowIndex === 0 ? 4 : 2),
  paddingBottom: (rowIndex) => (rowIndex === 0 ? 4 : 2),
};
