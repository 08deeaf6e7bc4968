import { isCompoundFile } from './cfb';
import { detectSeparator, parseCsv } from './csv';
import { decodeText } from './encoding';
import { damaged, FILE_LIMITS, ImportError, tooManyRows, type Sheet } from './sheet';
import type { Workbook } from './workbook';
import { openXls } from './xls';
import { openXlsx } from './xlsx';

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/**
 * Opens a spreadsheet or text table brought to the counter. What the bytes are decides how they
 * are read (an .xlsx renamed .xls opens, as it does in Excel); the name only decides between a
 * text table and a refusal. Any failure inside a reader that is not already a clear sentence
 * (a record shorter than its type requires, say) is reported as a damaged file, never as an
 * internal error.
 */
export function openWorkbook(fileName: string, bytes: Uint8Array): Workbook {
  if (bytes.length === 0) throw new ImportError(`文件“${fileName}”是空的。`);
  if (bytes.length > FILE_LIMITS.maxFileBytes) {
    throw new ImportError(`文件“${fileName}”超过 ${FILE_LIMITS.maxFileBytes / 1024 / 1024} MB，无法导入。`);
  }
  const workbook = guarded(fileName, () => open(fileName, bytes));
  return { sheets: workbook.sheets, read: (index, maxLines) => guarded(fileName, () => workbook.read(index, maxLines)) };
}

function open(fileName: string, bytes: Uint8Array): Workbook {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const spreadsheet = extension === 'xlsx' || extension === 'xlsm' || extension === 'xls';
  if (ZIP_SIGNATURE.every((b, i) => bytes[i] === b) && (spreadsheet || extension === 'csv')) return openXlsx(fileName, bytes);
  if (isCompoundFile(bytes) && (spreadsheet || extension === 'csv')) return openXls(fileName, bytes);
  if (extension === 'csv' || extension === 'txt') return textTable(fileName, bytes);
  if (spreadsheet) throw notAWorkbook(fileName, bytes, extension);
  throw new ImportError(`无法识别文件“${fileName}”的格式：请使用 .xlsx、.xls 或 .csv 文件。`);
}

function textTable(fileName: string, bytes: Uint8Array): Workbook {
  const { text } = decodeText(fileName, bytes);
  const { separator, skipFirstLine } = detectSeparator(text);
  const rows = parseCsv(skipFirstLine ? text.slice(text.indexOf('\n') + 1) : text, FILE_LIMITS.maxRows, separator);
  if (rows === null) throw tooManyRows(fileName);
  const sheet: Sheet = { name: fileName, rows };
  return { sheets: [{ name: fileName, visible: true }], read: () => sheet };
}

/** Many "Excel exports" of web systems are HTML pages or Excel 2003 XML saved as .xls: say what they are. */
function notAWorkbook(fileName: string, bytes: Uint8Array, extension: string): ImportError {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<html') || head.startsWith('<!doctype html') || head.includes('<table')) {
    return new ImportError(`文件“${fileName}”实际是网页（HTML）而不是 Excel 工作簿，请在 Excel 中打开后另存为 .xlsx 再导入。`);
  }
  if (head.startsWith('<?xml') && head.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    return new ImportError(`文件“${fileName}”是 Excel 2003 XML 表格，请在 Excel 中打开后另存为 .xlsx 再导入。`);
  }
  return new ImportError(`文件“${fileName}”不是有效的 .${extension} 文件（可能已损坏，或扩展名与实际格式不符）。`);
}

function guarded<T>(fileName: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ImportError) throw error;
    // A RangeError from a DataView or the like: the file's structure does not hold together.
    throw damaged(fileName, '文件结构无效');
  }
}

/**
 * The first visible sheet, read whole: for files that are one table (reference lists). Rosters
 * and approved lists go through locateTable, which looks for the sheet that holds the header.
 */
export function readSheet(fileName: string, bytes: Uint8Array): Sheet {
  const workbook = openWorkbook(fileName, bytes);
  const index = Math.max(0, workbook.sheets.findIndex((s) => s.visible));
  return workbook.read(index);
}
