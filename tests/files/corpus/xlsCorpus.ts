import { PEOPLE, type CorpusFile } from './xlsxCorpus';

/**
 * Excel 97–2003 workbooks written record by record ([MS-XLS] BIFF8 in an [MS-CFB] compound file),
 * each way the format allows: shared strings continued across CONTINUE records with a fresh option
 * byte (switching between one- and two-byte characters mid-string), rich-text runs and phonetic
 * data split at a record boundary, LABEL records (old writers), RK, MULRK and NUMBER numbers,
 * formulas with cached numbers, strings (STRING), booleans and errors, dates through XF and FORMAT
 * records in the 1900 and 1904 systems, merged cells, several and hidden sheets, and workbook
 * streams small enough for the mini stream.
 */

type Value = string | number | boolean | null | { formula: string | number | boolean; error?: number } | { date: number; xf: number } | { label: string } | { rk: number };

class Writer {
  private chunks: number[] = [];
  u8(v: number) { this.chunks.push(v & 0xff); return this; }
  u16(v: number) { return this.u8(v).u8(v >> 8); }
  u32(v: number) { return this.u16(v & 0xffff).u16(v >>> 16); }
  f64(v: number) { const b = new Uint8Array(new Float64Array([v]).buffer); b.forEach((x) => this.u8(x)); return this; }
  bytes(b: ArrayLike<number>) { for (let i = 0; i < b.length; i++) this.u8(b[i]!); return this; }
  get length() { return this.chunks.length; }
  done() { return new Uint8Array(this.chunks); }
}

const wideNeeded = (text: string) => [...text].some((c) => c.charCodeAt(0) > 0xff);

function chars(w: Writer, text: string, wide: boolean) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (wide) w.u16(c); else w.u8(c);
  }
}

/** XLUnicodeString (2-byte length) or ShortXLUnicodeString (1-byte length). */
function unicodeString(text: string, short = false): number[] {
  const w = new Writer();
  const wide = wideNeeded(text);
  if (short) w.u8(text.length); else w.u16(text.length);
  w.u8(wide ? 1 : 0);
  chars(w, text, wide);
  return [...w.done()];
}

function record(type: number, data: ArrayLike<number>): number[] {
  return [type & 0xff, type >> 8, data.length & 0xff, data.length >> 8, ...Array.from(data)];
}

/**
 * The SST as a list of records of at most `limit` bytes of data, split the way Excel does: a
 * string's header and first character stay together, characters continue after a fresh option
 * byte (chosen per piece, so a piece of Latin letters may go one-byte), runs and phonetic data
 * continue without one.
 */
function sstRecords(strings: { text: string; runs?: number; phonetic?: number }[], limit: number): number[] {
  const out: number[] = [];
  let current: number[] = [];
  let first = true;
  const flush = () => { out.push(...record(first ? 0x00fc : 0x003c, current)); first = false; current = []; };
  const room = () => limit - current.length;
  current.push(...new Writer().u32(strings.length).u32(strings.length).done());
  for (const { text, runs = 0, phonetic = 0 } of strings) {
    const wideAll = wideNeeded(text);
    const header = 3 + (runs ? 2 : 0) + (phonetic ? 4 : 0);
    if (room() < header + (wideAll ? 2 : 1)) flush();
    const w = new Writer().u16(text.length).u8((wideAll ? 1 : 0) | (runs ? 0x08 : 0) | (phonetic ? 0x04 : 0));
    if (runs) w.u16(runs);
    if (phonetic) w.u32(phonetic);
    current.push(...w.done());
    let i = 0;
    let wide = wideAll;
    while (i < text.length) {
      const size = wide ? 2 : 1;
      if (room() < size) {
        flush();
        // The rest of this string's characters decide the fresh option byte.
        wide = wideNeeded(text.slice(i));
        current.push(wide ? 1 : 0);
        continue;
      }
      const c = text.charCodeAt(i);
      if (wide) current.push(c & 0xff, c >> 8); else current.push(c);
      i++;
    }
    const tail = [...Array.from({ length: runs * 4 }, (_, k) => (k % 4 === 0 ? Math.floor(k / 4) : 0)), ...Array.from({ length: phonetic }, (_, k) => (k * 7) & 0xff)];
    for (const b of tail) {
      if (room() < 1) flush();
      current.push(b);
    }
  }
  flush();
  return out;
}

const BOF = (dt: number) => record(0x0809, new Writer().u16(0x0600).u16(dt).u16(0x0dbb).u16(0x07cc).u32(0x000100c1).u32(0x00000406).done());
const EOF = record(0x000a, []);

interface SheetSpec { name: string; hidden?: boolean; rows: Value[][]; merges?: [number, number, number, number][]; noEof?: boolean }

function rk(value: number): number | null {
  if (Number.isInteger(value) && value >= -(2 ** 29) && value < 2 ** 29) return ((value << 2) | 0x02) >>> 0;
  const times100 = value * 100;
  if (Number.isInteger(times100) && times100 >= -(2 ** 29) && times100 < 2 ** 29) return ((times100 << 2) | 0x03) >>> 0;
  return null;
}

/** The cells of one sheet; strings go to the SST unless written as LABEL. */
function sheetRecords(sheet: SheetSpec, sst: string[]): number[] {
  const out: number[] = [...BOF(0x0010)];
  sheet.rows.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      const v = row[c];
      // Runs of RK-able numbers go out as one MULRK, as Excel writes them.
      if (typeof v === 'number' && rk(v) !== null && typeof row[c + 1] === 'number' && rk(row[c + 1] as number) !== null) {
        const w = new Writer().u16(r).u16(c);
        let k = c;
        while (typeof row[k] === 'number' && rk(row[k] as number) !== null) { w.u16(15).u32(rk(row[k] as number)!); k++; }
        w.u16(k - 1);
        out.push(...record(0x00bd, w.done()));
        c = k;
        continue;
      }
      const at = new Writer().u16(r).u16(c);
      if (v === null || v === undefined) { /* nothing */ }
      else if (typeof v === 'string') {
        let index = sst.indexOf(v);
        if (index === -1) index = sst.push(v) - 1;
        out.push(...record(0x00fd, at.u16(15).u32(index).done()));
      } else if (typeof v === 'number') {
        const code = rk(v);
        out.push(...(code !== null ? record(0x027e, at.u16(15).u32(code).done()) : record(0x0203, at.u16(15).f64(v).done())));
      } else if (typeof v === 'boolean') out.push(...record(0x0205, at.u16(15).u8(v ? 1 : 0).u8(0).done()));
      else if ('label' in v) out.push(...record(0x0204, [...at.u16(15).done(), ...unicodeString(v.label)]));
      else if ('rk' in v) out.push(...record(0x027e, at.u16(15).u32(rk(v.rk)!).done()));
      else if ('date' in v) out.push(...record(0x0203, at.u16(v.xf).f64(v.date).done()));
      else {
        // FORMULA: cached value, flags, chn, a one-token expression (ptgInt 1).
        const f = at.u16(15);
        const result = v.formula;
        if (v.error !== undefined) f.u8(2).u8(0).u8(v.error).u8(0).u16(0).u16(0xffff);
        else if (typeof result === 'number') f.f64(result);
        else if (typeof result === 'boolean') f.u8(1).u8(0).u8(result ? 1 : 0).u8(0).u16(0).u16(0xffff);
        else f.u8(0).u8(0).u8(0).u8(0).u16(0).u16(0xffff);
        f.u16(0).u32(0).u16(3).u8(0x1e).u16(1);
        out.push(...record(0x0006, f.done()));
        if (typeof result === 'string' && v.error === undefined) out.push(...record(0x0207, unicodeString(result)));
      }
      c++;
    }
  });
  if (sheet.merges) {
    const w = new Writer().u16(sheet.merges.length);
    for (const [r1, c1, r2, c2] of sheet.merges) w.u16(r1).u16(r2).u16(c1).u16(c2);
    out.push(...record(0x00e5, w.done()));
  }
  if (!sheet.noEof) out.push(...EOF);
  return out;
}

interface BookOptions { sstOverride?: number[]; date1904?: boolean; sstLimit?: number; sstExtras?: Map<string, { runs?: number; phonetic?: number }>; padTo?: number }

/** A BIFF8 workbook stream: globals (XF 15 General, 16 built-in date 14, 17 custom yyyy-mm-dd, 18 zh-CN 31), then the sheets. */
export function workbookStream(sheets: SheetSpec[], o: BookOptions = {}): Uint8Array {
  const sst: string[] = [];
  const bodies = sheets.map((s) => sheetRecords(s, sst));
  const xf = (fmt: number) => record(0x00e0, new Writer().u16(0).u16(fmt).u16(fmt === 0 ? 0xfff5 : 0x0001).u16(0x20).u32(0).u32(0).u32(0).u16(0x20c0).done());
  let globals = [...BOF(0x0005), ...record(0x0042, new Writer().u16(1200).done())];
  if (o.date1904) globals.push(...record(0x0022, new Writer().u16(1).done()));
  globals.push(...record(0x041e, [...new Writer().u16(176).done(), ...unicodeString('yyyy\\-mm\\-dd')]));
  for (let i = 0; i < 16; i++) globals.push(...xf(0));
  globals.push(...xf(14), ...xf(176), ...xf(31));
  const boundSheet = (s: SheetSpec, offset: number) => record(0x0085, [...new Writer().u32(offset).u8(s.hidden ? 1 : 0).u8(0).done(), ...unicodeString(s.name, true)]);
  const sstBytes = o.sstOverride ?? sstRecords(sst.map((text) => ({ text, ...(o.sstExtras?.get(text) ?? {}) })), o.sstLimit ?? 8224);
  // BOUNDSHEET offsets point at each sheet's BOF: lay out once with placeholders, then fill in.
  const sizeBefore = globals.length + sheets.reduce((n, s) => n + boundSheet(s, 0).length, 0) + sstBytes.length + EOF.length;
  let offset = sizeBefore;
  const offsets = bodies.map((b) => { const at = offset; offset += b.length; return at; });
  globals = [...globals, ...sheets.flatMap((s, i) => boundSheet(s, offsets[i]!)), ...sstBytes, ...EOF];
  const all = [...globals, ...bodies.flat()];
  while (o.padTo && all.length < o.padTo) all.push(0);
  return new Uint8Array(all);
}

/** An [MS-CFB] version 3 file holding one stream, in the mini stream when it is under 4,096 bytes. */
export function compoundFile(name: string, stream: Uint8Array): Uint8Array {
  const SECTOR = 512;
  const sectors = (n: number) => Math.ceil(n / SECTOR);
  const mini = stream.length < 4096;
  const miniSectors = mini ? Math.ceil(stream.length / 64) : 0;
  const miniStreamBytes = miniSectors * 64;
  const streamSectors = mini ? 0 : sectors(stream.length);
  const miniStreamSectors = mini ? sectors(miniStreamBytes) : 0;
  const miniFatSectors = mini ? sectors(miniSectors * 4) : 0;
  const dirSectors = 1;
  let fatSectors = 1;
  while (fatSectors * (SECTOR / 4) < fatSectors + dirSectors + miniFatSectors + miniStreamSectors + streamSectors) fatSectors++;
  const total = fatSectors + dirSectors + miniFatSectors + miniStreamSectors + streamSectors;
  const fat = new Uint32Array(fatSectors * (SECTOR / 4)).fill(0xffffffff);
  let next = 0;
  const chain = (count: number) => { const start = next; for (let i = 0; i < count; i++) fat[next + i] = i === count - 1 ? 0xfffffffe : next + i + 1; next += count; return count ? start : 0xfffffffe; };
  for (let i = 0; i < fatSectors; i++) fat[next++] = 0xfffffffd;
  const dirStart = chain(dirSectors);
  const miniFatStart = chain(miniFatSectors);
  const miniStreamStart = chain(miniStreamSectors);
  const streamStart = chain(streamSectors);
  const out = new Uint8Array(SECTOR * (total + 1));
  const dv = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  dv.setUint16(24, 0x003e, true); dv.setUint16(26, 3, true); dv.setUint16(28, 0xfffe, true); dv.setUint16(30, 9, true); dv.setUint16(32, 6, true);
  dv.setUint32(44, fatSectors, true); dv.setUint32(48, dirStart, true); dv.setUint32(56, 4096, true);
  dv.setUint32(60, miniFatStart, true); dv.setUint32(64, miniFatSectors, true); dv.setUint32(68, 0xfffffffe, true); dv.setUint32(72, 0, true);
  for (let i = 0; i < 109; i++) dv.setUint32(76 + i * 4, i < fatSectors ? i : 0xffffffff, true);
  const sectorAt = (s: number) => SECTOR * (s + 1);
  fat.forEach((v, i) => dv.setUint32(sectorAt(Math.floor(i / (SECTOR / 4))) + (i % (SECTOR / 4)) * 4, v, true));
  const entry = (index: number, entryName: string, type: number, child: number, start: number, size: number) => {
    const at = sectorAt(dirStart) + index * 128;
    for (let i = 0; i < entryName.length; i++) dv.setUint16(at + i * 2, entryName.charCodeAt(i), true);
    dv.setUint16(at + 64, (entryName.length + 1) * 2, true);
    out[at + 66] = type; out[at + 67] = 1;
    dv.setUint32(at + 68, 0xffffffff, true); dv.setUint32(at + 72, 0xffffffff, true); dv.setUint32(at + 76, child, true);
    dv.setUint32(at + 116, start, true); dv.setUint32(at + 120, size, true);
  };
  for (let i = 0; i < 4; i++) entry(i, '', 0, 0xffffffff, 0, 0);
  entry(0, 'Root Entry', 5, 1, mini ? miniStreamStart : 0xfffffffe, miniStreamBytes);
  entry(1, name, 2, 0xffffffff, mini ? 0 : streamStart, stream.length);
  if (mini) {
    for (let i = 0; i < miniSectors; i++) dv.setUint32(sectorAt(miniFatStart) + i * 4, i === miniSectors - 1 ? 0xfffffffe : i + 1, true);
    for (let i = miniSectors; i < miniFatSectors * (SECTOR / 4); i++) dv.setUint32(sectorAt(miniFatStart) + i * 4, 0xffffffff, true);
    out.set(stream, sectorAt(miniStreamStart));
  } else {
    out.set(stream, sectorAt(streamStart));
  }
  return out;
}

export function xlsFile(sheets: SheetSpec[], o: BookOptions = {}): Uint8Array {
  return compoundFile('Workbook', workbookStream(sheets, o));
}

const people = (dateXf = 16): Value[][] => PEOPLE.map((row, r) => row.map((v, c) => (r > 0 && c === 6 ? { date: v as number, xf: dateXf } : v)));

export function xlsCorpus(): CorpusFile[] {
  const files: CorpusFile[] = [];
  const add = (name: string, about: string, bytes: Uint8Array) => files.push({ name, about, bytes });
  add('excel-sst.xls', 'shared strings, RK, MULRK and NUMBER numbers, dates in built-in format 14, a merged title', xlsFile([{ name: '名单',
    rows: [['2025年度高级工程师评审通过人员名单'], ...people()], merges: [[0, 0, 0, 7]] }], { padTo: 4096 }));
  add('sst-continue.xls', 'the SST split every 40 bytes: strings continue with a fresh option byte, switching between one- and two-byte characters; rich runs and phonetic data cross the boundary',
    xlsFile([{ name: 'Sheet1', rows: [['ABCDEFGHIJ四川省交通运输厅KLMNOPQRSTUVWXYZ', 'Latin first 然后是中文 and back to Latin letters here', '富文本', '注音'], ...people()] }],
      { sstLimit: 40, padTo: 4096, sstExtras: new Map([['富文本', { runs: 3 }], ['注音', { phonetic: 30 }], ['张洁露', { runs: 2, phonetic: 12 }]]) }));
  add('mini-stream.xls', 'a workbook stream under 4,096 bytes, kept in the mini stream', xlsFile([{ name: 'Sheet1', rows: people() }]));
  add('labels-formulas.xls', 'LABEL records, formulas with cached numbers, strings, booleans and errors, BOOLERR', xlsFile([{ name: 'Sheet1', rows: [
    [{ label: '序号' }, { label: '姓名' }, { label: '备注' }, { label: '逻辑' }, { label: '错误' }],
    [{ formula: 1 }, { formula: '王芳' }, { formula: '' }, { formula: true }, { formula: 0, error: 0x07 }],
    [{ rk: 2.5 }, { label: 'Zoë' }, true, false, { formula: 12345678.9 }],
  ] }], { padTo: 4096 }));
  add('dates-custom-zh.xls', 'dates in a custom yyyy-mm-dd format and in zh-CN built-in 31', xlsFile([{ name: 'Sheet1', rows: people(17).map((r, i) => (i === 2 ? r.map((v, c) => (c === 6 ? { date: 45827.75, xf: 18 } : v)) : r)) }], { padTo: 4096 }));
  add('dates-1904.xls', 'the 1904 date system', xlsFile([{ name: 'Sheet1', rows: PEOPLE.map((row, r) => row.map((v, c) => (r > 0 && c === 6 ? { date: (v as number) - 1462, xf: 16 } : v))) }], { date1904: true, padTo: 4096 }));
  add('several-sheets.xls', 'an instructions sheet, a hidden copy, the roster third', xlsFile([
    { name: '说明', rows: [['填写说明']] }, { name: '旧名单', hidden: true, rows: people() }, { name: '发证名册', rows: people() }], { padTo: 4096 }));
  add('id-as-number.xls', 'an ID number stored as a number', xlsFile([{ name: 'Sheet1', rows: [['序号', '姓名', '身份证号码'], [1, '张三', 510121196707144600]] }], { padTo: 4096 }));
  return files;
}

/** A worksheet whose EOF record is missing: the stream ends after `keep` of its rows. */
export function truncatedXls(rows: number, keep: number): Uint8Array {
  const all: Value[][] = [['序号', '姓名', '身份证号码', '资格名称', '证书编号']];
  for (let i = 1; i <= rows; i++) all.push([i, `某${i}`, '510121196707144636', '高级工程师', `5120250100${String(i).padStart(4, '0')}`]);
  return xlsFile([{ name: 'Sheet1', rows: all.slice(0, keep + 1), noEof: true }], { padTo: 0 });
}

/** A roster of `count` rows as .xls, for the benchmark. */
export function largeXls(rows: readonly (readonly (string | number)[])[]): Uint8Array {
  return xlsFile([{ name: '名单', rows: rows.map((r) => [...r]) }]);
}

/**
 * A two-byte string whose characters stop one byte short of a record boundary: half a character
 * before the CONTINUE record. Excel never writes this; a reader must call it damage, not loop.
 */
export function xlsWithHalfCharacterAtBoundary(): Uint8Array {
  const head = [...new Writer().u32(1).u32(1).u16(3).u8(1).done(), 0x5f, 0x73, 0x5c];
  const tail = [0x01, 0x4e, 0x2d, 0x4e];
  return xlsFile([{ name: 'Sheet1', rows: [['x']] }], { sstOverride: [...record(0x00fc, head), ...record(0x003c, tail)], padTo: 4096 });
}
