import { parseCsv } from './csv';
import { decodeText } from './encoding';
import { FILE_LIMITS, ImportError, type Sheet } from './sheet';
import { readXls } from './xls';
import { readXlsx } from './xlsx';

/** Reads the file the way its name says it is written; the sheet's cells are as the file gave them. */
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
