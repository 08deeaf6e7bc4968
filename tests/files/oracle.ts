import * as XLSX from '@e965/xlsx';
import type { Cell } from '../../core/files/sheet';

/**
 * SheetJS (the maintained 0.20 line) as an independent reader: its cells put in the shape ours
 * give — text as text, numbers as numbers, a number in a date format as the day it shows, TRUE
 * and FALSE, error text, merged ranges filled — so that the two can be compared cell by cell.
 * Dates use SheetJS's own format test and date arithmetic, not ours.
 */
export interface OracleSheet { name: string; visible: boolean; rows: Cell[][] }

export function sheetjsRead(bytes: Uint8Array): OracleSheet[] {
  const book = XLSX.read(bytes, { type: 'array', dense: true, cellNF: true, cellText: false, cellDates: false });
  const date1904 = Boolean(book.Workbook?.WBProps?.date1904);
  return book.SheetNames.map((name, index) => {
    const sheet = book.Sheets[name]!;
    const hidden = book.Workbook?.Sheets?.[index]?.Hidden ?? 0;
    const data = (sheet['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
    const rows: Cell[][] = [];
    data.forEach((row, r) => {
      if (!row) return;
      const cells: Cell[] = [];
      row.forEach((cell, c) => {
        const value = cellValue(cell, date1904);
        if (value === null) return;
        while (cells.length < c) cells.push(null);
        cells[c] = value;
      });
      if (cells.length > 0) {
        while (rows.length < r) rows.push([]);
        rows[r] = cells;
      }
    });
    for (const merge of (sheet['!merges'] ?? [])) fill(rows, merge);
    return { name, visible: hidden === 0, rows };
  });
}

/** The number-format part of SheetJS, typed as far as this oracle uses it. */
const SSF = XLSX.SSF as unknown as {
  is_date(format: string): boolean;
  parse_date_code(value: number, options: { date1904: boolean }): { y: number; m: number; d: number } | null;
};

/** SheetJS keeps an error cell as its BIFF code. */
const ERRORS: Record<number, string> = { 0x00: '#NULL!', 0x07: '#DIV/0!', 0x0f: '#VALUE!', 0x17: '#REF!', 0x1d: '#NAME?', 0x24: '#NUM!', 0x2a: '#N/A', 0x2b: '#GETTING_DATA' };

function cellValue(cell: XLSX.CellObject | undefined, date1904: boolean): Cell {
  if (!cell || cell.v === undefined || cell.v === null) return null;
  switch (cell.t) {
    case 'b': return cell.v ? 'TRUE' : 'FALSE';
    case 'e': return ERRORS[cell.v as number] ?? null;
    case 's': return cell.v === '' ? null : String(cell.v);
    case 'd': return cell.v instanceof Date ? cell.v.toISOString().slice(0, 10) : String(cell.v).slice(0, 10);
    case 'n': {
      const v = cell.v as number;
      const format = typeof cell.z === 'string' ? cell.z : 'General';
      if (SSF.is_date(format) && !timeOnly(format)) {
        const d = SSF.parse_date_code(v, { date1904 });
        if (d && d.y >= 1900 && d.y <= 9999) return `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
      }
      return v;
    }
    default: return null;
  }
}

/** SheetJS counts time-of-day formats as dates; ours keeps those numbers (a roster has no use for 13:45 alone). */
function timeOnly(format: string): boolean {
  const bare = format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').toLowerCase();
  return !/[yde]/.test(bare) && !/m+[^hs]*$/.test(bare.replace(/h+[^a-z]*m+|m+[^a-z]*s+/g, ''));
}

function fill(rows: Cell[][], merge: XLSX.Range): void {
  let width = 0;
  for (const row of rows) if (row && row.length > width) width = row.length;
  const value = rows[merge.s.r]?.[merge.s.c] ?? null;
  if (value === null) return;
  for (let r = merge.s.r; r <= Math.min(merge.e.r, rows.length - 1); r++) {
    const row = (rows[r] ??= []);
    for (let c = merge.s.c; c <= Math.min(merge.e.c, width - 1); c++) {
      while (row.length < c) row.push(null);
      if (row[c] == null) row[c] = value;
    }
  }
}

/** Rows as plain arrays, trailing empty cells and rows dropped, so that two readers compare equal when their cells do. */
export function canonical(rows: readonly (readonly Cell[] | undefined)[]): Cell[][] {
  const out: Cell[][] = rows.map((row) => {
    const cells = [...(row ?? [])].map((c) => (c === undefined ? null : c));
    while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });
  while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
  return out;
}
