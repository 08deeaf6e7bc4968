import { wallClockMinutes } from '../time';
import type { BalanceLine, OfficeStockLine } from './balance';
import { formatRanges } from './ranges';
import { OFFICE_STOCK_COLUMNS, STATEMENT_COLUMNS, STATEMENT_TITLE } from './forms';
import { neutraliseCell } from '../exports/forms';

/**
 * The reconciliation statement as worksheet cells, for the .xlsx export (services/stock/export.ts
 * writes them). Text is text and counts are numbers; a certificate number is always text, so Excel
 * never shows 51202500000101 as 5.12025E+13.
 */
export type SheetCell = { text: string } | { number: number };


const text = (value: string): SheetCell => ({ text: neutraliseCell(value) });

export interface StatementSheet {
  name: string;
  rows: SheetCell[][];
  /** Column widths in characters. */
  widths: number[];
}

export interface SpoiledLine {
  unit: string;
  certificateType: string;
  certNo: string;
  at: string;
  clerk: string;
}

export const SPOILED_COLUMNS = ['用章单位', '证书类型', '废证编号', '退回时间', '窗口经办人'] as const;

/** The statement, and every spoiled certificate returned that year by number. */
export function statementSheets(input: { officeName: string; year: number; unit: string | null; printedAt: string; lines: BalanceLine[]; office: OfficeStockLine[]; spoiled: SpoiledLine[] }): StatementSheet[] {
  const rows: SheetCell[][] = [
    [text(`${input.officeName}　${input.year}年度${STATEMENT_TITLE}`)],
    [text(`范围：${input.unit ?? '全部用章单位'}　导出时间：${input.printedAt}　领取 = 已签章 + 退回废证 + 尚持有`)],
    STATEMENT_COLUMNS.map(text),
    ...input.lines.map((l): SheetCell[] => [
      text(l.unit), text(l.certificateType), { number: l.issued }, { number: l.spares }, { number: l.exchanged }, { number: l.sealed }, { number: l.spoiled }, { number: l.held },
      text(l.ranges.length > 0 ? formatRanges(l.ranges) : ''), text(l.flags.length > 0 ? l.flags.map((f) => f.message).join('') : '相符'),
    ]),
  ];
  if (!input.unit) {
    rows.push([], [text('本窗口库存')], OFFICE_STOCK_COLUMNS.map(text));
    for (const o of input.office) rows.push([text(o.certificateType), { number: o.received }, { number: o.issued }, { number: o.onHand }, text(o.rangesOnHand.length > 0 ? formatRanges(o.rangesOnHand) : '')]);
  }
  const spoiled: SheetCell[][] = [
    SPOILED_COLUMNS.map(text),
    ...input.spoiled.map((s) => [text(s.unit), text(s.certificateType), text(s.certNo), text(wallClockMinutes(s.at)), text(s.clerk)]),
  ];
  return [
    { name: `${input.year}年度对账单`, rows, widths: [30, 26, 8, 9, 9, 8, 9, 8, 40, 40] },
    { name: '废证明细', rows: spoiled, widths: [30, 26, 18, 18, 12] },
  ];
}
