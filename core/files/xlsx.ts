import { isDateFormatId, serialToDate } from './dates';
import { cellName, damaged, FILE_LIMITS, ImportError, tooManyRows, type Cell, type Sheet } from './sheet';
import { EMPTY_ROW, fillMergedCells, sheetDamaged, type SheetReading, type Workbook, type WorkbookSheet } from './workbook';
import { decodeEntities, hexDigit, XmlError, XmlScanner, type XmlHandler, type XmlTag } from './xml';
import { StopReading, ZipArchive } from './zip';

/**
 * Office Open XML workbooks (.xlsx, .xlsm; ECMA-376 SpreadsheetML, transitional or strict) as
 * Excel, WPS, LibreOffice, Apache POI and the Open XML SDK write them. Parts are found through
 * their relationships, not by conventional names; each is inflated and scanned as a stream, so a
 * 100,000-row sheet is never in memory as one string and a sheet past the row limit stops being
 * read where the limit is crossed.
 */

interface SheetEntry extends WorkbookSheet {
  path: string;
}

const SPREADSHEET_REL = '/officeDocument';

export function openXlsx(fileName: string, bytes: Uint8Array): Workbook {
  const zip = new ZipArchive(fileName, bytes);
  const part = (path: string, names: readonly string[], handler: XmlHandler & { scanner?: XmlScanner }) => scanPart(fileName, zip, path, names, handler);

  const root = readRelationships(zip, part, '_rels/.rels', '');
  const workbookPath = [...root.values()].find((r) => r.type.endsWith(SPREADSHEET_REL))?.target ?? 'xl/workbook.xml';
  if (!zip.has(workbookPath)) throw new ImportError(`文件“${fileName}”缺少工作簿内容，不是有效的 .xlsx 文件。`);
  const folder = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const rels = readRelationships(zip, part, `${folder}_rels/${workbookPath.slice(folder.length)}.rels`, folder);

  const book = new WorkbookPart();
  part(workbookPath, WorkbookPart.NAMES, book);
  const sheets: SheetEntry[] = [];
  for (const s of book.sheets) {
    const rel = s.relId === null ? undefined : rels.get(s.relId);
    // Chart sheets, dialog sheets and macro sheets hold no cells.
    if (!rel || (rel.type !== '' && !rel.type.endsWith('/worksheet'))) continue;
    sheets.push({ name: s.name, visible: s.visible, path: rel.target });
  }
  if (sheets.length === 0) throw new ImportError(`文件“${fileName}”中没有工作表。`);

  let shared: string[] | null = null;
  let dateStyles: boolean[] | null = null;
  const prepare = () => {
    if (shared && dateStyles) return;
    const sst = new SharedStringsPart(fileName);
    const sstRel = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'));
    if (sstRel) part(sstRel.target, SharedStringsPart.NAMES, sst);
    shared = sst.strings;
    const styles = new StylesPart();
    const stylesRel = [...rels.values()].find((r) => r.type.endsWith('/styles'));
    if (stylesRel) part(stylesRel.target, StylesPart.NAMES, styles);
    dateStyles = styles.xfFormats.map((id) => isDateFormatId(id, styles.formats));
  };

  return {
    sheets,
    read(index, maxLines) {
      const sheet = sheets[index]!;
      prepare();
      const reader = new WorksheetPart({ fileName, sheetName: sheet.name, shared: shared!, dateStyles: dateStyles!, date1904: book.date1904, maxLines: maxLines ?? Number.POSITIVE_INFINITY });
      try {
        if (!part(sheet.path, WorksheetPart.NAMES, reader)) throw new ImportError(`文件“${fileName}”中找不到工作表“${sheet.name}”。`);
      } catch (error) {
        if (!(error instanceof StopReading)) throw error;
      }
      const rows = reader.rows;
      if (maxLines === undefined) {
        fillMergedCells(rows, reader.merges, () => { throw damaged(fileName, `工作表“${sheet.name}”的合并单元格互相重叠`); });
      }
      const result: Sheet = { name: sheet.name, rows };
      if (reader.formulaWithoutValue) result.formulaWithoutValue = reader.formulaWithoutValue;
      return result;
    },
  };
}

/**
 * A worksheet's rows from its XML given in pieces, cut anywhere: what openXlsx does with the pieces
 * the inflater hands over. For tests that pin the reading to be the same however the text is cut.
 */
export function worksheetFromPieces(pieces: Iterable<string>, shared: readonly string[] = [], dateStyles: readonly boolean[] = []): Cell[][] {
  const reader = new WorksheetPart({ fileName: 't.xlsx', sheetName: 'Sheet1', shared, dateStyles, date1904: false, maxLines: Number.POSITIVE_INFINITY });
  const scanner = new XmlScanner(WorksheetPart.NAMES, reader);
  reader.scanner = scanner;
  try {
    for (const piece of pieces) scanner.push(piece);
    scanner.finish();
    reader.end();
  } catch (error) {
    if (error instanceof XmlError) throw damaged('t.xlsx', '工作表的内容不完整或格式错误');
    throw error;
  }
  fillMergedCells(reader.rows, reader.merges, () => { throw damaged('t.xlsx', '合并单元格互相重叠'); });
  return reader.rows;
}

const DECODE_BYTES = 32 * 1024;

/**
 * Inflates a part and feeds it to a handler; false when the archive has no such part. XML parts
 * are UTF-8 or UTF-16 (with a byte-order mark); a byte sequence invalid in the part's encoding is
 * damage, not something to guess about.
 */
function scanPart(fileName: string, zip: ZipArchive, path: string, names: readonly string[], handler: XmlHandler & { scanner?: XmlScanner }): boolean {
  const scanner = new XmlScanner(names, handler);
  handler.scanner = scanner;
  let decoder: TextDecoder | null = null;
  const label = path.slice(path.lastIndexOf('/') + 1);
  try {
    const found = zip.read(path, (chunk) => {
      if (!decoder) {
        const encoding = chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8';
        decoder = new TextDecoder(encoding, { fatal: true });
      }
      // Decoded in slices: a piece under V8's large-object size dies young (a cheap scavenge) instead of
      // waiting for a full collection, which kept the peak of a 100,000-row import 100 MB higher.
      for (let at = 0; at < chunk.length; at += DECODE_BYTES) scanner.push(decoder.decode(chunk.subarray(at, at + DECODE_BYTES), { stream: true }));
    });
    if (!found) return false;
    if (decoder) scanner.push((decoder as TextDecoder).decode());
    scanner.finish();
    handler.end?.();
    return true;
  } catch (error) {
    if (error instanceof ImportError || error instanceof StopReading) throw error;
    if (error instanceof XmlError || error instanceof TypeError) throw damaged(fileName, `“${label}”的内容不完整或格式错误`);
    throw error;
  }
}

interface Relationship { type: string; target: string }

function readRelationships(zip: ZipArchive, part: (path: string, names: readonly string[], handler: XmlHandler) => boolean, path: string, folder: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  part(path, ['Relationship'], {
    open(name, tag) {
      if (name !== 0) return -1;
      const id = tag.find('Id');
      const target = tag.find('Target');
      const mode = tag.find('TargetMode');
      if (id === -1 || target === -1 || (mode !== -1 && tag.value(mode) === 'External')) return -1;
      const type = tag.find('Type');
      rels.set(tag.value(id), { type: type === -1 ? '' : tag.value(type), target: resolvePartName(folder, tag.value(target)) });
      return -1;
    },
    close() {},
    text() {},
  });
  void zip;
  return rels;
}

/** A relationship target, relative to the source part's folder or absolute, as a part name. */
export function resolvePartName(folder: string, target: string): string {
  let path = target.replace(/\\/g, '/');
  try { path = decodeURIComponent(path); } catch { /* a literal % */ }
  const parts = (path.startsWith('/') ? path.slice(1) : folder + path).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

class WorkbookPart implements XmlHandler {
  static readonly NAMES = ['sheet', 'workbookPr'];
  sheets: { name: string; visible: boolean; relId: string | null }[] = [];
  date1904 = false;

  open(name: number, tag: XmlTag): number {
    if (name === 0) {
      const n = tag.find('name');
      const state = tag.find('state');
      const id = tag.find('id', true);
      const visibility = state === -1 ? 'visible' : tag.value(state);
      this.sheets.push({ name: n === -1 ? `Sheet${this.sheets.length + 1}` : tag.value(n), visible: visibility !== 'hidden' && visibility !== 'veryHidden', relId: id === -1 ? null : tag.value(id) });
    } else if (name === 1) {
      const flag = tag.find('date1904');
      if (flag !== -1) { const v = tag.value(flag); this.date1904 = v === '1' || v === 'true'; }
    }
    return -1;
  }

  close(): void {}
  text(): void {}
}

class StylesPart implements XmlHandler {
  static readonly NAMES = ['numFmt', 'cellXfs', 'xf'];
  formats = new Map<number, string>();
  xfFormats: number[] = [];
  private inCellXfs = false;

  open(name: number, tag: XmlTag): number {
    if (name === 0) {
      const id = tag.find('numFmtId');
      const code = tag.find('formatCode');
      if (id !== -1 && code !== -1) this.formats.set(tag.integer(id), tag.value(code));
    } else if (name === 1) {
      this.inCellXfs = true;
    } else if (name === 2 && this.inCellXfs) {
      const id = tag.find('numFmtId');
      this.xfFormats.push(id === -1 ? 0 : Math.max(0, tag.integer(id)));
    }
    return -1;
  }

  close(name: number): void {
    if (name === 1) this.inCellXfs = false;
  }

  text(): void {}
}

/**
 * Text as SpreadsheetML stores it: XML line ends are "\n", and characters XML cannot carry are
 * written "_xHHHH_" (ST_Xstring), "_x005F_" escaping a literal underscore.
 */
export function decodeOoxmlText(raw: string): string {
  let special = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 13 || c === 38 || c === 95) { special = true; break; }
  }
  if (!special) return raw;
  let text = raw.indexOf('\r') === -1 ? raw : raw.replace(/\r\n?/g, '\n');
  if (text.indexOf('&') !== -1) text = decodeEntities(text);
  if (text.indexOf('_x') === -1) return text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf('_x'); at !== -1; at = text.indexOf('_x', at + 1)) {
    if (at < from || at + 7 > text.length || text.charCodeAt(at + 6) !== 95) continue;
    let code = 0;
    for (let k = 2; k < 6 && code !== -1; k++) {
      const d = hexDigit(text.charCodeAt(at + k));
      code = d === -1 ? -1 : code * 16 + d;
    }
    if (code === -1) continue;
    out += text.slice(from, at) + String.fromCharCode(code);
    from = at + 7;
    at = from - 1;
  }
  return out + text.slice(from);
}

/** CDATA content joins the raw text it sits in: its "&" is a character, not the start of an entity. */
function asText(cdata: string): string {
  return cdata.replace(/&/g, '&amp;');
}

/** <si> items: plain <t>, rich runs <r><t>, with phonetic runs (<rPh>, furigana/pinyin) left out. */
class SharedStringsPart implements XmlHandler {
  static readonly NAMES = ['si', 't', 'rPh'];
  readonly strings: string[] = [];
  scanner?: XmlScanner;
  private inItem = false;
  private phonetic = 0;
  private raw = '';
  private item = '';

  constructor(private readonly fileName: string) {}

  open(name: number): number {
    if (name === 0) { this.inItem = true; this.item = ''; }
    else if (name === 1 && this.inItem && this.phonetic === 0) { this.raw = ''; this.scanner!.capture = true; }
    else if (name === 2) this.phonetic++;
    return -1;
  }

  close(name: number): void {
    if (name === 1 && this.scanner!.capture) {
      this.scanner!.capture = false;
      this.item += decodeOoxmlText(this.raw);
    } else if (name === 2) {
      this.phonetic--;
    } else if (name === 0) {
      this.inItem = false;
      this.strings.push(detached(this.item));
    }
  }

  text(raw: string, cdata: boolean): void {
    this.raw += cdata ? asText(raw) : raw;
    if (this.raw.length > 1 << 20) throw damaged(this.fileName, '共享字符串过长');
  }
}

/**
 * A kept text of 13 characters or more would otherwise be a slice that holds on to the whole
 * decoded piece it came from (V8's sliced strings), and with it, across all cells, the whole
 * sheet: 195 MB instead of 69 MB for the 100,000-row list. Appending a character and cutting it
 * off again makes V8 copy the text; of the copies measured it is the cheapest (a JSON round trip
 * cost a second more on that list). Shorter texts are copied by V8 already.
 */
function detached(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}

const enum CellType { Number, Shared, Str, Inline, Bool, Error, Date }

const code = (text: string) => text.charCodeAt(0) + text.length * 65536;
const T_N = code('n'), T_S = code('s'), T_STR = code('str'), T_INLINE = code('inlineStr'), T_B = code('b'), T_E = code('e'), T_D = code('d');

function cellType(tag: XmlTag, index: number): CellType | -1 {
  if (index === -1) return CellType.Number;
  const c = tag.valueCode(index);
  if (c === T_S) return CellType.Shared;
  if (c === T_INLINE) return tag.value(index) === 'inlineStr' ? CellType.Inline : -1;
  if (c === T_N) return CellType.Number;
  if (c === T_STR) return tag.value(index) === 'str' ? CellType.Str : -1;
  if (c === T_B) return CellType.Bool;
  if (c === T_E) return CellType.Error;
  if (c === T_D) return CellType.Date;
  return -1;
}

/** xsd:double as SpreadsheetML writes numbers: digits, a point, an exponent; never hex or words. */
function parseNumber(raw: string): number {
  const text = raw.trim();
  if (text === '') return NaN;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 69 || c === 101)) return NaN;
  }
  return Number(text);
}

/** Indexes of WorksheetPart.NAMES. */
const N = { sheetData: 0, row: 1, c: 2, v: 3, is: 4, t: 5, rPh: 6, f: 7, mergeCell: 8 } as const;

class WorksheetPart implements XmlHandler {
  static readonly NAMES = ['sheetData', 'row', 'c', 'v', 'is', 't', 'rPh', 'f', 'mergeCell'];
  readonly rows: Cell[][] = [];
  readonly merges: [number, number, number, number][] = [];
  formulaWithoutValue: { row: number; column: number } | undefined;
  scanner?: XmlScanner;

  private lines = 0;
  private sawSheetData = false;
  private inSheetData = false;
  private inCell = false;
  private rowIndex = -1;
  private row: Cell[] | null = null;
  private column = -1;
  // The cell being read:
  private type: CellType = CellType.Number;
  private style = 0;
  private formula = false;
  private gotValue = false;
  private inInline = false;
  private phonetic = 0;
  private raw = '';
  private inlineText = '';

  constructor(private readonly sheet: SheetReading) {}

  private broken(what: string): never {
    throw sheetDamaged(this.sheet, what);
  }

  open(name: number, tag: XmlTag): number {
    switch (name) {
      case N.sheetData: this.sawSheetData = this.inSheetData = true; break;
      case N.row: {
        if (!this.inSheetData) break;
        if (this.row) this.broken('的行没有结束');
        const r = tag.find('r');
        const index = r === -1 ? this.rowIndex + 1 : tag.integer(r) - 1;
        if (index < 0 || index >= 1_048_576) this.broken(`的行号无效（第 ${this.rowIndex + 2} 行附近）`);
        this.rowIndex = index;
        this.row = [];
        this.column = -1;
        break;
      }
      case N.c: {
        if (!this.inSheetData) break;
        if (!this.row || this.inCell) this.broken(`的单元格不在行内（第 ${this.rowIndex + 1} 行）`);
        const r = tag.find('r');
        const column = r === -1 ? this.column + 1 : tag.column(r);
        if (column < 0 || column >= FILE_LIMITS.maxColumns) this.broken(`第 ${this.rowIndex + 1} 行有无效的单元格位置`);
        this.column = column;
        const type = cellType(tag, tag.find('t'));
        if (type === -1) this.broken(`的单元格 ${cellName(this.rowIndex, column)} 类型无效`);
        this.type = type;
        const s = tag.find('s');
        this.style = s === -1 ? 0 : tag.integer(s);
        this.formula = false;
        this.gotValue = false;
        this.raw = '';
        this.inlineText = '';
        const end = this.plainCell(tag);
        if (end !== -1) return end;
        this.inCell = true;
        break;
      }
      case N.v:
        if (this.inCell) { this.raw = ''; this.gotValue = true; this.scanner!.capture = true; }
        break;
      case N.is: if (this.inCell) this.inInline = true; break;
      case N.t:
        if (this.inInline && this.phonetic === 0) { this.raw = ''; this.scanner!.capture = true; }
        break;
      case N.rPh: this.phonetic++; break;
      case N.f: if (this.inCell) this.formula = true; break;
      case N.mergeCell: {
        const ref = tag.find('ref');
        if (ref !== -1) this.merge(tag.value(ref));
        break;
      }
    }
    return -1;
  }

  private patternsFor = '\u0000';
  private vOpen = '';
  private vClose = '';
  private isOpen = '';
  private isPreserve = '';
  private isClose = '';

  /**
   * Nearly every cell is `<v>…</v></c>` or `<is><t>…</t></is></c>`: read in one go when it is all
   * in this piece, instead of as six elements. Anything else (a formula, rich text, a comment, a
   * cell cut by the end of the piece) goes the general way; tests pin the two to the same result.
   */
  private plainCell(tag: XmlTag): number {
    const buf = tag.buffer;
    const prefix = tag.prefix;
    if (prefix !== this.patternsFor) {
      this.patternsFor = prefix;
      this.vOpen = `<${prefix}v>`;
      this.vClose = `</${prefix}v></${prefix}c>`;
      this.isOpen = `<${prefix}is><${prefix}t>`;
      this.isPreserve = `<${prefix}is><${prefix}t xml:space="preserve">`;
      this.isClose = `</${prefix}t></${prefix}is></${prefix}c>`;
    }
    let start: number;
    let close: string;
    const end = tag.end;
    if (at(buf, end, this.vOpen)) {
      start = end + this.vOpen.length;
      close = this.vClose;
    } else if (this.type === CellType.Inline && at(buf, end, this.isOpen)) {
      start = end + this.isOpen.length;
      close = this.isClose;
    } else if (this.type === CellType.Inline && at(buf, end, this.isPreserve)) {
      start = end + this.isPreserve.length;
      close = this.isClose;
    } else {
      return -1;
    }
    let lt = start;
    while (lt < buf.length && buf.charCodeAt(lt) !== 60) lt++;
    if (lt >= buf.length || !at(buf, lt, close)) return -1;
    const raw = buf.slice(start, lt);
    if (close === this.vClose) { this.raw = raw; this.gotValue = true; } else this.inlineText = decodeOoxmlText(raw);
    this.store();
    return lt + close.length;
  }

  private store(): void {
    const value = this.value();
    if (value !== null) {
      const row = this.row!;
      while (row.length < this.column) row.push(null);
      row[this.column] = value;
    }
  }

  close(name: number): void {
    switch (name) {
      case N.v:
        this.scanner!.capture = false;
        break;
      case N.t:
        if (this.scanner!.capture) {
          this.scanner!.capture = false;
          this.inlineText += decodeOoxmlText(this.raw);
        }
        break;
      case N.is: this.inInline = false; break;
      case N.rPh: this.phonetic--; break;
      case N.c:
        if (!this.inCell) break;
        this.inCell = false;
        this.store();
        break;
      case N.row: {
        const row = this.row;
        if (!row) break;
        this.row = null;
        if (row.length > 0) {
          if (this.rowIndex >= FILE_LIMITS.maxRows) throw tooManyRows(this.sheet.fileName);
          const rows = this.rows;
          while (rows.length < this.rowIndex) rows.push(EMPTY_ROW as Cell[]);
          rows[this.rowIndex] = row;
        }
        if (++this.lines >= this.sheet.maxLines || this.rowIndex + 1 >= this.sheet.maxLines) throw new StopReading();
        break;
      }
      case N.sheetData:
        this.inSheetData = false;
        break;
    }
  }

  text(raw: string, cdata: boolean): void {
    this.raw += cdata ? asText(raw) : raw;
    if (this.raw.length > 1 << 20) this.broken(`的单元格 ${cellName(this.rowIndex, this.column)} 内容过长`);
  }

  private value(): Cell {
    switch (this.type) {
      case CellType.Inline: {
        const text = this.inlineText !== '' ? this.inlineText : this.gotValue ? decodeOoxmlText(this.raw) : '';
        return text === '' ? null : this.keep(text);
      }
      case CellType.Shared: {
        if (!this.gotValue) return null;
        const index = parseNumber(this.raw);
        const text = Number.isInteger(index) ? this.sheet.shared[index] : undefined;
        if (text === undefined) this.broken(`的单元格 ${cellName(this.rowIndex, this.column)} 引用了不存在的共享字符串`);
        return text === '' ? null : text;
      }
      case CellType.Str:
      case CellType.Error: {
        if (!this.gotValue) return this.noValue();
        const text = decodeOoxmlText(this.raw);
        return text === '' ? null : this.keep(text);
      }
      case CellType.Bool: {
        if (!this.gotValue) return this.noValue();
        const v = this.raw.trim();
        return v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
      }
      case CellType.Date: {
        if (!this.gotValue) return this.noValue();
        const v = this.raw.trim();
        if (!/^\d{4}-\d{2}-\d{2}/.test(v)) this.broken(`的单元格 ${cellName(this.rowIndex, this.column)} 日期无效`);
        return v.slice(0, 10);
      }
      default: {
        if (!this.gotValue) return this.noValue();
        const n = parseNumber(this.raw);
        if (Number.isNaN(n)) this.broken(`的单元格 ${cellName(this.rowIndex, this.column)} 数值无效`);
        if (this.sheet.dateStyles[this.style]) return serialToDate(n, this.sheet.date1904) ?? n;
        return n;
      }
    }
  }

  private noValue(): null {
    if (this.formula && !this.formulaWithoutValue) this.formulaWithoutValue = { row: this.rowIndex, column: this.column };
    return null;
  }

  /** A text kept in the rows, copied off the decoded piece it was cut from so that the piece can go. */
  private keep(text: string): string {
    return detached(text);
  }

  private merge(ref: string): void {
    const colon = ref.indexOf(':');
    const a = parseRef(colon === -1 ? ref : ref.slice(0, colon));
    const b = colon === -1 ? a : parseRef(ref.slice(colon + 1));
    if (!a || !b) this.broken(`的合并单元格“${ref}”无效`);
    this.merges.push([Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])]);
  }

  end(): void {
    if (!this.sawSheetData) this.broken('没有单元格数据');
  }
}

/** Whether `pattern` is in `buf` at `at`: startsWith without the call, for the few characters of a tag. */
function at(buf: string, index: number, pattern: string): boolean {
  if (index + pattern.length > buf.length) return false;
  for (let k = 0; k < pattern.length; k++) if (buf.charCodeAt(index + k) !== pattern.charCodeAt(k)) return false;
  return true;
}

/** "B12" as [row, column], 0-based; "$B$12" too. */
function parseRef(ref: string): [number, number] | null {
  let i = 0;
  let column = 0;
  if (ref[i] === '$') i++;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    column = column * 26 + (c - 64);
    if (column > FILE_LIMITS.maxColumns) return null;
  }
  if (ref[i] === '$') i++;
  const digits = ref.slice(i);
  if (column === 0 || !/^\d{1,7}$/.test(digits)) return null;
  return [Number(digits) - 1, column - 1];
}
