import { UserError } from '../errors';

/**
 * A cell as the file gave it: text, a number (a spreadsheet cell stored as a number, which
 * matters for ID numbers), or empty. A number in a date-formatted cell arrives as its date,
 * "YYYY-MM-DD", floored to the day as Excel shows it.
 */
export type Cell = string | number | null;

/** Rows of one sheet; `rows[0]` is line 1 of the file. */
export interface Sheet {
  name: string;
  rows: Cell[][];
  /** The first formula cell saved without its result (written by a program, never calculated). */
  formulaWithoutValue?: { row: number; column: number };
}

/** A problem with a file as a whole, told to the clerk in one Chinese sentence. */
export class ImportError extends UserError {
  override name = 'ImportError';
}

/**
 * Limits per file. No genuine list or roster comes near them (a province's largest exam pass list
 * is tens of thousands of people); they are there so that a hostile file costs a clear refusal
 * instead of the worker's memory. The row limit keeps a full-height sheet (Excel's 1,048,576
 * rows) out: parsed, it would need several times the parse worker's memory.
 */
export const FILE_LIMITS = {
  maxFileBytes: 32 * 1024 * 1024,
  maxUnzippedBytes: 256 * 1024 * 1024,
  maxRows: 200_000,
  /** Excel's own width (XFD). */
  maxColumns: 16_384,
};

export function tooManyRows(fileName: string): ImportError {
  return new ImportError(`文件“${fileName}”超过 ${FILE_LIMITS.maxRows} 行，无法导入。`);
}

/** The one sentence for a file whose bytes do not hold together, with where it was noticed. */
export function damaged(fileName: string, where: string): ImportError {
  return new ImportError(`文件“${fileName}”已损坏，无法读取（${where}）。请在 Excel 中打开并另存后再导入。`);
}

/** "A1"-style name of a cell, for messages. */
export function cellName(row: number, column: number): string {
  let letters = '';
  for (let c = column + 1; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `${letters}${row + 1}`;
}
