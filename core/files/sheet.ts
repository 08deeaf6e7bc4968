import { UserError } from '../errors';

/**
 * A cell as the file gave it: text, a number (a spreadsheet cell stored as a number, which
 * matters for ID numbers), or empty.
 */
export type Cell = string | number | null;

/** Rows of one sheet; `rows[0]` is line 1 of the file. */
export interface Sheet {
  name: string;
  rows: Cell[][];
}

/** A problem with a file as a whole, told to the clerk in one Chinese sentence. */
export class ImportError extends UserError {
  override name = 'ImportError';
}

/** Excel's own sheet holds 1,048,576 rows; no genuine list or roster comes near 32 MB. */
export const FILE_LIMITS = {
  maxFileBytes: 32 * 1024 * 1024,
  maxUnzippedBytes: 256 * 1024 * 1024,
  maxRows: 1_048_576,
};
