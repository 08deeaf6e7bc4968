import { damaged, type Cell, type ImportError, type Sheet } from './sheet';

/** A sheet as the workbook lists it. */
export interface WorkbookSheet {
  name: string;
  /** false for a sheet hidden (or "very hidden") in Excel. */
  visible: boolean;
}

/** A workbook whose sheets are read on demand, so that looking for the header does not read every sheet whole. */
export interface Workbook {
  sheets: readonly WorkbookSheet[];
  /** The sheet's rows, merged ranges filled in. With `maxLines`, only its first lines (merges not applied). */
  read(index: number, maxLines?: number): Sheet;
}

/** What reading one worksheet needs to know from the rest of its workbook. */
export interface SheetReading {
  fileName: string;
  sheetName: string;
  /** The shared-string table. */
  shared: readonly string[];
  /** Per cell style (XF index): whether its number format shows a date. */
  dateStyles: readonly boolean[];
  date1904: boolean;
  /** Stop after this many lines (looking for the header), or read all. */
  maxLines: number;
}

/** Stands for a line with nothing on it, so that a sparse sheet does not cost an array per empty line. */
export const EMPTY_ROW: readonly Cell[] = Object.freeze([]);

/**
 * A merged range shows its value in every cell it covers, as the clerk sees it in Excel. Only the
 * columns some row actually uses are filled, and overlapping ranges (which Excel never writes) cannot
 * make the work grow past the sheet itself.
 */
export function fillMergedCells(rows: Cell[][], merges: readonly (readonly [number, number, number, number])[], onOverflow: () => never): void {
  let width = 0;
  for (const row of rows) if (row && row.length > width) width = row.length;
  let budget = rows.length * Math.max(width, 1) + 1_000_000;
  for (const [r1, c1, r2, c2] of merges) {
    const value = rows[r1]?.[c1] ?? null;
    if (value === null) continue;
    const lastRow = Math.min(r2, rows.length - 1);
    const lastColumn = Math.min(c2, width - 1);
    for (let r = r1; r <= lastRow; r++) {
      let row = rows[r];
      if (!row || row === EMPTY_ROW) row = rows[r] = [];
      for (let c = c1; c <= lastColumn; c++) {
        if (--budget < 0) onOverflow();
        if (r === r1 && c === c1) continue;
        while (row.length < c) row.push(null);
        if (row[c] == null) row[c] = value;
      }
    }
  }
}

/** Damage found inside a worksheet, named with its sheet. */
export function sheetDamaged(sheet: SheetReading, what: string): ImportError {
  return damaged(sheet.fileName, `工作表“${sheet.sheetName}”${what}`);
}
