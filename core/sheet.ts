import { decodeText } from './encoding';
import { UserError } from './errors';
import { parseCsv } from './csv';
import { readXls } from './xls';
import { readXlsx } from './xlsx';

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

export function readSheet(fileName: string, bytes: Uint8Array): Sheet {
  if (bytes.length === 0) throw new ImportError(`文件“${fileName}”是空的。`);
  if (bytes.length > FILE_LIMITS.maxFileBytes) {
    throw new ImportError(`文件“${fileName}”超过 ${FILE_LIMITS.maxFileBytes / 1024 / 1024} MB，无法导入。`);
  }
  const extension = fileName.toLowerCase().split('.').pop();
  if (extension === 'xlsx') return readXlsx(fileName, bytes);
  if (extension === 'csv' || extension === 'txt') {
    const rows = parseCsv(decodeText(bytes), FILE_LIMITS.maxRows);
    if (rows === null) throw new ImportError(`文件“${fileName}”超过 ${FILE_LIMITS.maxRows} 行，无法导入。`);
    return { name: fileName, rows };
  }
  if (extension === 'xls') return readXls(fileName, bytes);
  throw new ImportError(`无法识别文件“${fileName}”的格式：请使用 .xlsx、.xls 或 .csv 文件。`);
}
