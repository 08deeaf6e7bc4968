import { ImportError, FILE_LIMITS, type Cell, type Sheet } from './sheet';

/**
 * Excel 97–2003 workbooks (.xls, BIFF8 inside an OLE compound file), still common in offices.
 * Reads the first visible worksheet's cell values and merged ranges; formatting is ignored.
 */
export function readXls(fileName: string, bytes: Uint8Array): Sheet {
  const fail = (why: string): never => { throw new ImportError(`文件“${fileName}”${why}`); };
  const workbook = compoundFileStream(bytes, ['Workbook', 'Book'], fail);
  const records = biffRecords(workbook, fail);

  const first = records[0];
  if (!first || first.type !== 0x0809) fail('不是有效的 Excel 97–2003 文件（.xls）。');
  const version = view(first!.data).getUint16(0, true);
  if (version !== 0x0600) fail('是 Excel 5.0/95 或更早的格式，请在 Excel 中另存为 .xlsx 后再导入。');

  let sharedStrings: string[] = [];
  const sheets: { name: string; offset: number; visible: boolean }[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.type === 0x002f) fail('设置了打开密码（已加密），请在 Excel 中取消密码后再导入。');
    if (record.type === 0x0085) {
      const data = record.data;
      const dv = view(data);
      if (data[5] === 0) sheets.push({ offset: dv.getUint32(0, true), visible: data[4] === 0, name: shortString(data, 6) });
    } else if (record.type === 0x00fc) {
      const segments = [record.data];
      while (records[i + 1]?.type === 0x003c) segments.push(records[++i]!.data);
      sharedStrings = readSharedStrings(segments);
    } else if (record.type === 0x000a) {
      break;
    }
  }
  const sheet = sheets.find((s) => s.visible) ?? sheets[0];
  if (!sheet) fail('中没有工作表。');
  const start = records.findIndex((r) => r.offset === sheet!.offset);
  if (start === -1) fail(`的工作表“${sheet!.name}”已损坏。`);
  return { name: sheet!.name, rows: readWorksheet(records, start, sharedStrings, fileName) };
}

interface BiffRecord { type: number; offset: number; data: Uint8Array }

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

function biffRecords(stream: Uint8Array, fail: (why: string) => never): BiffRecord[] {
  const records: BiffRecord[] = [];
  const dv = view(stream);
  let offset = 0;
  while (offset + 4 <= stream.length) {
    const type = dv.getUint16(offset, true);
    const length = dv.getUint16(offset + 2, true);
    if (offset + 4 + length > stream.length) fail('已损坏（记录超出文件末尾）。');
    records.push({ type, offset, data: stream.subarray(offset + 4, offset + 4 + length) });
    offset += 4 + length;
  }
  return records;
}

function readWorksheet(records: BiffRecord[], start: number, sharedStrings: string[], fileName: string): Cell[][] {
  const rows: Cell[][] = [];
  const merges: [number, number, number, number][] = [];
  const put = (row: number, column: number, value: Cell) => {
    if (row >= FILE_LIMITS.maxRows) throw new ImportError(`文件“${fileName}”超过 ${FILE_LIMITS.maxRows} 行，无法导入。`);
    if (value === null || value === '') return;
    while (rows.length <= row) rows.push([]);
    const cells = rows[row]!;
    while (cells.length < column) cells.push(null);
    cells[column] = value;
  };
  let pendingFormula: [number, number] | null = null;
  for (let i = start + 1; i < records.length; i++) {
    const { type, data } = records[i]!;
    const dv = view(data);
    if (type === 0x000a) break;
    const row = () => dv.getUint16(0, true);
    const column = () => dv.getUint16(2, true);
    switch (type) {
      case 0x00fd: put(row(), column(), sharedStrings[dv.getUint32(6, true)] ?? null); break;
      case 0x0204: put(row(), column(), unicodeString(data, 6).text); break;
      case 0x0203: put(row(), column(), dv.getFloat64(6, true)); break;
      case 0x027e: put(row(), column(), rkNumber(dv.getUint32(6, true))); break;
      case 0x00bd: {
        const first = column();
        const count = (data.length - 6) / 6;
        for (let k = 0; k < count; k++) put(row(), first + k, rkNumber(dv.getUint32(6 + k * 6 + 2, true)));
        break;
      }
      case 0x0205: put(row(), column(), data[7] === 0 ? (data[6] ? 'TRUE' : 'FALSE') : null); break;
      case 0x0006: {
        // A formula's cached result: a number, or (marked by 0xFFFF) a string in the next STRING record.
        if (dv.getUint16(12, true) === 0xffff) {
          if (data[6] === 0) pendingFormula = [row(), column()];
          else if (data[6] === 1) put(row(), column(), data[8] ? 'TRUE' : 'FALSE');
        } else {
          put(row(), column(), dv.getFloat64(6, true));
        }
        break;
      }
      case 0x0207:
        if (pendingFormula) put(pendingFormula[0], pendingFormula[1], unicodeString(data, 0).text);
        pendingFormula = null;
        break;
      case 0x00e5: {
        const count = dv.getUint16(0, true);
        for (let k = 0; k < count; k++) {
          const at = 2 + k * 8;
          merges.push([dv.getUint16(at, true), dv.getUint16(at + 2, true), dv.getUint16(at + 4, true), dv.getUint16(at + 6, true)]);
        }
        break;
      }
    }
  }
  for (const [r1, r2, c1, c2] of merges) {
    const value = rows[r1]?.[c1] ?? null;
    if (value === null) continue;
    for (let r = r1; r <= r2 && r < rows.length; r++) for (let c = c1; c <= c2; c++) if (rows[r]![c] == null) put(r, c, value);
  }
  return rows;
}

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

/** ShortXLUnicodeString: 1-byte length, flags, characters (Latin-1 or UTF-16LE). */
function shortString(data: Uint8Array, at: number): string {
  const length = data[at]!;
  const wide = (data[at + 1]! & 0x01) !== 0;
  return decodeChars(data, at + 2, length, wide);
}

/** XLUnicodeString: 2-byte length, flags, characters. */
function unicodeString(data: Uint8Array, at: number): { text: string } {
  const length = view(data).getUint16(at, true);
  const wide = (data[at + 2]! & 0x01) !== 0;
  return { text: decodeChars(data, at + 3, length, wide) };
}

function decodeChars(data: Uint8Array, at: number, count: number, wide: boolean): string {
  if (wide) return new TextDecoder('utf-16le').decode(data.subarray(at, at + count * 2));
  let out = '';
  for (let i = 0; i < count; i++) out += String.fromCharCode(data[at + i]!);
  return out;
}

/**
 * The shared-string table spans the SST record and its CONTINUE records. A string's characters
 * may break across records, and each continuation restates whether its characters are 1 or 2 bytes.
 */
function readSharedStrings(segments: Uint8Array[]): string[] {
  let segment = 0;
  let pos = 8;
  const total = view(segments[0]!).getUint32(4, true);
  const ensure = () => {
    while (segments[segment] && pos >= segments[segment]!.length) {
      segment++;
      pos = 0;
    }
    if (!segments[segment]) throw new ImportError('共享字符串表已损坏。');
  };
  const u8 = () => { ensure(); return segments[segment]![pos++]!; };
  const u16 = () => u8() | (u8() << 8);
  const u32 = () => (u16() | (u16() << 16)) >>> 0;
  const skip = (n: number) => { for (let left = n; left > 0;) { ensure(); const step = Math.min(left, segments[segment]!.length - pos); pos += step; left -= step; } };

  const strings: string[] = [];
  for (let n = 0; n < total && segments[segment]; n++) {
    const count = u16();
    const flags = u8();
    let wide = (flags & 0x01) !== 0;
    const runs = flags & 0x08 ? u16() : 0;
    const extended = flags & 0x04 ? u32() : 0;
    let text = '';
    let left = count;
    while (left > 0) {
      if (pos >= segments[segment]!.length) {
        segment++;
        pos = 0;
        if (!segments[segment]) break;
        wide = (segments[segment]![pos++]! & 0x01) !== 0;
      }
      const data = segments[segment]!;
      const available = Math.min(left, Math.floor((data.length - pos) / (wide ? 2 : 1)));
      text += decodeChars(data, pos, available, wide);
      pos += available * (wide ? 2 : 1);
      left -= available;
    }
    skip(runs * 4 + extended);
    strings.push(text);
  }
  return strings;
}

/** The named stream of an OLE compound file (the container of .xls files). */
function compoundFileStream(bytes: Uint8Array, names: string[], fail: (why: string) => never): Uint8Array {
  const signature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (bytes.length < 512 || signature.some((b, i) => bytes[i] !== b)) fail('不是有效的 .xls 文件（可能已损坏，或扩展名与实际格式不符）。');
  const dv = view(bytes);
  const sectorSize = 1 << dv.getUint16(30, true);
  const miniSectorSize = 1 << dv.getUint16(32, true);
  const miniCutoff = dv.getUint32(56, true);
  const sectorOffset = (sector: number) => (sector + 1) * sectorSize;
  const sectorCount = Math.floor((bytes.length - sectorSize) / sectorSize) + 1;

  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const sector = dv.getUint32(76 + i * 4, true);
    if (sector < 0xfffffffa) fatSectors.push(sector);
  }
  let difat = dv.getUint32(68, true);
  for (let guard = 0; difat < 0xfffffffa && guard < sectorCount; guard++) {
    const base = sectorOffset(difat);
    for (let i = 0; i < sectorSize / 4 - 1; i++) {
      const sector = dv.getUint32(base + i * 4, true);
      if (sector < 0xfffffffa) fatSectors.push(sector);
    }
    difat = dv.getUint32(base + sectorSize - 4, true);
  }
  const fat: number[] = [];
  for (const sector of fatSectors) {
    const base = sectorOffset(sector);
    if (base + sectorSize > bytes.length) fail('已损坏（分配表超出文件末尾）。');
    for (let i = 0; i < sectorSize / 4; i++) fat.push(dv.getUint32(base + i * 4, true));
  }
  const chain = (start: number, table: number[]): number[] => {
    const sectors: number[] = [];
    for (let s = start; s < 0xfffffffa; s = table[s] ?? 0xfffffffe) {
      if (sectors.length > table.length) fail('已损坏（扇区链循环）。');
      sectors.push(s);
    }
    return sectors;
  };
  const readChain = (start: number, size: number): Uint8Array => {
    const out = new Uint8Array(size);
    let written = 0;
    for (const s of chain(start, fat)) {
      if (written >= size) break;
      const base = sectorOffset(s);
      const piece = bytes.subarray(base, Math.min(base + sectorSize, bytes.length, base + size - written));
      out.set(piece, written);
      written += piece.length;
    }
    return out;
  };

  const directorySectors = chain(dv.getUint32(48, true), fat);
  const entries: { name: string; type: number; start: number; size: number }[] = [];
  for (const s of directorySectors) {
    for (let at = sectorOffset(s); at + 128 <= sectorOffset(s) + sectorSize && at + 128 <= bytes.length; at += 128) {
      const nameLength = dv.getUint16(at + 64, true);
      const name = new TextDecoder('utf-16le').decode(bytes.subarray(at, at + Math.max(0, nameLength - 2)));
      entries.push({ name, type: bytes[at + 66]!, start: dv.getUint32(at + 116, true), size: dv.getUint32(at + 120, true) });
    }
  }
  const entry = entries.find((e) => e.type === 2 && names.includes(e.name));
  if (!entry) fail('中没有工作簿内容，不是 Excel 97–2003 文件。');
  if (entry.size > FILE_LIMITS.maxFileBytes) fail('的工作簿内容过大，无法导入。');
  if (entry.size >= miniCutoff) return readChain(entry.start, entry.size);

  // Small streams live in the mini stream, which is itself a stream of the root entry.
  const root = entries[0]!;
  const miniStream = readChain(root.start, root.size);
  const miniFatStream = readChain(dv.getUint32(60, true), dv.getUint32(64, true) * sectorSize);
  const miniFat = Array.from({ length: miniFatStream.length / 4 }, (_, i) => view(miniFatStream).getUint32(i * 4, true));
  const out = new Uint8Array(entry.size);
  let written = 0;
  for (const s of chain(entry.start, miniFat)) {
    if (written >= out.length) break;
    const piece = miniStream.subarray(s * miniSectorSize, Math.min((s + 1) * miniSectorSize, s * miniSectorSize + out.length - written));
    out.set(piece, written);
    written += piece.length;
  }
  return out;
}
