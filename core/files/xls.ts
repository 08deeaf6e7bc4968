import { compoundFileStream } from './cfb';
import { isDateFormatId, serialToDate } from './dates';
import { damaged, FILE_LIMITS, ImportError, tooManyRows, type Cell } from './sheet';
import { EMPTY_ROW, fillMergedCells, sheetDamaged, type SheetReading, type Workbook, type WorkbookSheet } from './workbook';

/**
 * Excel 97–2003 workbooks (.xls: BIFF8 inside an OLE compound file, [MS-XLS]), as Excel, WPS,
 * LibreOffice and Apache POI write them. Cell values, dates (1900 and 1904 systems), merged
 * ranges and every worksheet with its visibility; formatting is otherwise ignored. A record that
 * does not fit its stream, a string that runs past its record, or a worksheet without its end is
 * damage and is said to be, never read as a shorter sheet.
 */

const BOF = 0x0809, EOF = 0x000a, CONTINUE = 0x003c, FILEPASS = 0x002f, DATEMODE = 0x0022, FORMAT = 0x041e, XF = 0x00e0;
const BOUNDSHEET = 0x0085, SST = 0x00fc, LABELSST = 0x00fd, LABEL = 0x0204, RSTRING = 0x00d6, NUMBER = 0x0203, RK = 0x027e;
const MULRK = 0x00bd, BOOLERR = 0x0205, FORMULA = 0x0006, STRING = 0x0207, MERGEDCELLS = 0x00e5;

const ERRORS: Record<number, string> = { 0x00: '#NULL!', 0x07: '#DIV/0!', 0x0f: '#VALUE!', 0x17: '#REF!', 0x1d: '#NAME?', 0x24: '#NUM!', 0x2a: '#N/A', 0x2b: '#GETTING_DATA' };

interface SheetEntry extends WorkbookSheet { offset: number }

export function openXls(fileName: string, bytes: Uint8Array): Workbook {
  const stream = compoundFileStream(fileName, bytes, ['Workbook', 'Book']);
  if (!stream) throw new ImportError(`文件“${fileName}”中没有工作簿内容，不是 Excel 97–2003 文件。`);
  const broken = (where: string): never => { throw damaged(fileName, where); };
  const records = new Records(stream, broken);

  const first = records.next();
  if (!first || first.type !== BOF || first.data.length < 4) throw new ImportError(`文件“${fileName}”不是有效的 Excel 97–2003 文件（.xls）。`);
  const version = u16(first.data, 0);
  if (version !== 0x0600) throw new ImportError(`文件“${fileName}”是 Excel 5.0/95 或更早的格式，请在 Excel 中另存为 .xlsx 后再导入。`);

  let shared: string[] = [];
  let date1904 = false;
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  const sheets: SheetEntry[] = [];
  for (let record = records.next(); ; record = records.next()) {
    if (!record) broken('工作簿的全局部分不完整');
    const { type, data } = record!;
    if (type === EOF) break;
    need(data, type === FILEPASS ? 0 : type === BOUNDSHEET ? 8 : type === FORMAT ? 5 : type === XF ? 4 : type === DATEMODE ? 2 : type === SST ? 8 : 0, broken);
    if (type === FILEPASS) throw new ImportError(`文件“${fileName}”设置了打开密码（已加密），请在 Excel 中取消密码后再导入。`);
    else if (type === DATEMODE) date1904 = u16(data, 0) === 1;
    else if (type === FORMAT) formats.set(u16(data, 0), new StringCursor([data], 2, broken).unicodeString());
    else if (type === XF) xfFormats.push(u16(data, 2));
    else if (type === BOUNDSHEET) {
      // Worksheets only (dt 0): chart sheets, macro sheets and VBA modules hold no cells.
      if (data[5] === 0) sheets.push({ offset: u32(data, 0), visible: (data[4]! & 0x03) === 0, name: new StringCursor([data], 6, broken).shortString() });
    } else if (type === SST) {
      const segments = [data];
      while (records.peekType() === CONTINUE) segments.push(records.next()!.data);
      shared = readSharedStrings(segments, broken);
    }
  }
  if (sheets.length === 0) throw new ImportError(`文件“${fileName}”中没有工作表。`);
  const dateStyles = xfFormats.map((id) => isDateFormatId(id, formats));

  return {
    sheets,
    read(index, maxLines) {
      const sheet = sheets[index]!;
      const where = `工作表“${sheet.name}”`;
      const sheetRecords = new Records(stream, broken, sheet.offset);
      const bof = sheetRecords.next();
      if (!bof || bof.type !== BOF) broken(`${where}的位置无效`);
      const reader = new WorksheetReader({ fileName, sheetName: sheet.name, shared, dateStyles, date1904, maxLines: maxLines ?? Number.POSITIVE_INFINITY });
      const complete = reader.read(sheetRecords);
      if (maxLines === undefined) {
        if (!complete) broken(`${where}不完整（文件可能被截断）`);
        fillMergedCells(reader.rows, reader.merges, () => broken(`${where}的合并单元格互相重叠`));
      }
      return { name: sheet.name, rows: reader.rows };
    },
  };
}

function u16(data: Uint8Array, at: number): number {
  return data[at]! | (data[at + 1]! << 8);
}

function u32(data: Uint8Array, at: number): number {
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
}

function f64(data: Uint8Array, at: number): number {
  return new DataView(data.buffer, data.byteOffset + at, 8).getFloat64(0, true);
}

function need(data: Uint8Array, length: number, broken: (where: string) => never): void {
  if (data.length < length) broken('记录长度不足');
}

interface BiffRecord { type: number; data: Uint8Array }

/** The records of the workbook stream from `offset` on; one that runs past the stream is damage. */
class Records {
  private at: number;

  constructor(private readonly stream: Uint8Array, private readonly broken: (where: string) => never, offset = 0) {
    if (offset < 0 || offset > stream.length) broken('工作表位置超出文件末尾');
    this.at = offset;
  }

  peekType(): number {
    return this.at + 4 <= this.stream.length ? u16(this.stream, this.at) : -1;
  }

  next(): BiffRecord | null {
    const { stream, at } = this;
    if (at + 4 > stream.length) return null;
    const type = u16(stream, at);
    const length = u16(stream, at + 2);
    if (at + 4 + length > stream.length) this.broken('记录超出文件末尾');
    this.at = at + 4 + length;
    return { type, data: stream.subarray(at + 4, at + 4 + length) };
  }
}

/**
 * Reads strings that may continue across CONTINUE records. [MS-XLS] 2.5.294: a string's header and
 * first character are never split; where its characters continue in the next record, that record
 * starts with a fresh option byte saying whether they are one byte or two. A character cut in half
 * is damage.
 */
class StringCursor {
  private segment = 0;

  constructor(private readonly segments: readonly Uint8Array[], private pos: number, private readonly broken: (where: string) => never) {}

  private get data(): Uint8Array {
    return this.segments[this.segment]!;
  }

  /** Moves to the next segment when this one is used up; false at the very end. */
  private advance(): boolean {
    while (this.pos >= this.data.length) {
      if (this.segment + 1 >= this.segments.length) return false;
      this.segment++;
      this.pos = 0;
    }
    return true;
  }

  atEnd(): boolean {
    return !this.advance();
  }

  u8(): number {
    if (!this.advance()) this.broken('字符串表不完整');
    return this.data[this.pos++]!;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  skip(count: number): void {
    for (let left = count; left > 0;) {
      if (!this.advance()) this.broken('字符串表不完整');
      const step = Math.min(left, this.data.length - this.pos);
      this.pos += step;
      left -= step;
    }
  }

  private chars(count: number, wideAtStart: boolean): string {
    let wide = wideAtStart;
    let text = '';
    let left = count;
    while (left > 0) {
      if (this.pos >= this.data.length) {
        if (this.segment + 1 >= this.segments.length) this.broken('字符串超出记录末尾');
        this.segment++;
        this.pos = 0;
        wide = (this.u8() & 0x01) !== 0;
        continue;
      }
      const data = this.data;
      const room = data.length - this.pos;
      if (wide && room === 1) this.broken('字符串在记录边界处被截断');
      const take = Math.min(left, wide ? room >> 1 : room);
      text += wide ? decodeUtf16(data, this.pos, take) : decodeLatin1(data, this.pos, take);
      this.pos += take * (wide ? 2 : 1);
      left -= take;
    }
    return text;
  }

  /** ShortXLUnicodeString: 1-byte length, option byte, characters. */
  shortString(): string {
    const count = this.u8();
    return this.chars(count, (this.u8() & 0x01) !== 0);
  }

  /** XLUnicodeString: 2-byte length, option byte, characters. */
  unicodeString(): string {
    const count = this.u16();
    return this.chars(count, (this.u8() & 0x01) !== 0);
  }

  /** XLUnicodeRichExtendedString, as in the SST: rich-text runs and phonetic data are skipped. */
  richString(): string {
    const count = this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const extended = flags & 0x04 ? this.u32() : 0;
    const text = this.chars(count, (flags & 0x01) !== 0);
    this.skip(runs * 4 + extended);
    return text;
  }
}

const utf16 = new TextDecoder('utf-16le');

function decodeUtf16(data: Uint8Array, at: number, count: number): string {
  return utf16.decode(data.subarray(at, at + count * 2));
}

/** "Compressed" BIFF8 characters are UTF-16 code units with the high byte left out: Latin-1. */
function decodeLatin1(data: Uint8Array, at: number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String.fromCharCode(data[at + i]!);
  return out;
}

function readSharedStrings(segments: Uint8Array[], broken: (where: string) => never): string[] {
  const total = u32(segments[0]!, 4);
  const cursor = new StringCursor(segments, 8, broken);
  const strings: string[] = [];
  // The count in the header is trusted only as far as the records go.
  for (let n = 0; n < total && !cursor.atEnd(); n++) strings.push(cursor.richString());
  return strings;
}

/** An RK number: a 30-bit integer or the top of a double, optionally divided by 100. */
function rkNumber(rk: number): number {
  let value: number;
  if (rk & 0x02) {
    value = rk >> 2;
  } else {
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setUint32(4, rk & 0xfffffffc, true);
    value = buffer.getFloat64(0, true);
  }
  return rk & 0x01 ? value / 100 : value;
}

class WorksheetReader {
  readonly rows: Cell[][] = [];
  readonly merges: [number, number, number, number][] = [];

  constructor(private readonly sheet: SheetReading) {}

  private broken(what: string): never {
    throw sheetDamaged(this.sheet, what);
  }

  private put(row: number, column: number, value: Cell): void {
    if (value === null || value === '') return;
    if (row >= FILE_LIMITS.maxRows) throw tooManyRows(this.sheet.fileName);
    if (column >= FILE_LIMITS.maxColumns) this.broken('的列号无效');
    const rows = this.rows;
    while (rows.length <= row) rows.push(EMPTY_ROW as Cell[]);
    let cells = rows[row]!;
    if (cells === EMPTY_ROW) cells = rows[row] = [];
    while (cells.length < column) cells.push(null);
    cells[column] = value;
  }

  private number(value: number, xf: number): Cell {
    return this.sheet.dateStyles[xf] ? (serialToDate(value, this.sheet.date1904) ?? value) : value;
  }

  /** True when the worksheet's EOF was reached; false when the stream ended first (or maxLines stopped the read). */
  read(records: Records): boolean {
    let pendingString: [number, number] | null = null;
    for (let record = records.next(); record; record = records.next()) {
      const { type, data } = record;
      if (type === EOF) return true;
      if (type === BOF) this.broken('中嵌套了无法识别的子流');
      const cellRecord = type === LABELSST || type === LABEL || type === RSTRING || type === NUMBER || type === RK || type === MULRK || type === BOOLERR || type === FORMULA;
      if (cellRecord) {
        if (data.length < 6) this.broken('的单元格记录长度不足');
        if (u16(data, 0) >= this.sheet.maxLines) return false;
      }
      const row = u16(data, 0);
      const column = u16(data, 2);
      switch (type) {
        case LABELSST: {
          if (data.length < 10) this.broken('的单元格记录长度不足');
          const text = this.sheet.shared[u32(data, 6)];
          if (text === undefined) this.broken(`的单元格引用了不存在的共享字符串（第 ${row + 1} 行）`);
          this.put(row, column, text);
          break;
        }
        case LABEL:
        case RSTRING:
          this.put(row, column, new StringCursor([data], 6, (w) => this.broken(w)).unicodeString());
          break;
        case NUMBER:
          if (data.length < 14) this.broken('的单元格记录长度不足');
          this.put(row, column, this.number(f64(data, 6), u16(data, 4)));
          break;
        case RK:
          if (data.length < 10) this.broken('的单元格记录长度不足');
          this.put(row, column, this.number(rkNumber(u32(data, 6)), u16(data, 4)));
          break;
        case MULRK: {
          const count = (data.length - 6) / 6;
          if (!Number.isInteger(count)) this.broken('的单元格记录长度不足');
          for (let k = 0; k < count; k++) this.put(row, column + k, this.number(rkNumber(u32(data, 6 + k * 6)), u16(data, 4 + k * 6)));
          break;
        }
        case BOOLERR:
          if (data.length < 8) this.broken('的单元格记录长度不足');
          this.put(row, column, data[7] === 0 ? (data[6] ? 'TRUE' : 'FALSE') : (ERRORS[data[6]!] ?? '#N/A'));
          break;
        case FORMULA: {
          // A formula's cached result: a number, or (marked by 0xFFFF) a string in the next STRING record, a boolean, an error or empty.
          if (data.length < 20) this.broken('的公式记录长度不足');
          pendingString = null;
          if (u16(data, 12) === 0xffff) {
            if (data[6] === 0) pendingString = [row, column];
            else if (data[6] === 1) this.put(row, column, data[8] ? 'TRUE' : 'FALSE');
            else if (data[6] === 2) this.put(row, column, ERRORS[data[8]!] ?? '#N/A');
          } else {
            this.put(row, column, this.number(f64(data, 6), u16(data, 4)));
          }
          break;
        }
        case STRING: {
          const segments = [data];
          while (records.peekType() === CONTINUE) segments.push(records.next()!.data);
          if (pendingString) this.put(pendingString[0], pendingString[1], new StringCursor(segments, 0, (w) => this.broken(w)).unicodeString());
          pendingString = null;
          break;
        }
        case MERGEDCELLS: {
          if (data.length < 2) this.broken('的合并单元格记录长度不足');
          const count = u16(data, 0);
          if (data.length < 2 + count * 8) this.broken('的合并单元格记录长度不足');
          for (let k = 0; k < count; k++) {
            const at = 2 + k * 8;
            const [r1, r2, c1, c2] = [u16(data, at), u16(data, at + 2), u16(data, at + 4), u16(data, at + 6)];
            this.merges.push([Math.min(r1, r2), Math.min(c1, c2), Math.max(r1, r2), Math.max(c1, c2)]);
          }
          break;
        }
      }
    }
    return false;
  }
}
