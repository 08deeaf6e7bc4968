import { damaged, FILE_LIMITS, ImportError } from './sheet';

/**
 * The named stream of an OLE compound file ([MS-CFB]), the container of .xls workbooks. Every
 * sector number, chain and size is checked against the file: a damaged container is refused,
 * never read as zeros.
 */

const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const NO_STREAM = 0xffffffff;

export const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes.length >= 512 && CFB_SIGNATURE.every((b, i) => bytes[i] === b);
}

interface DirectoryEntry { name: string; type: number; left: number; right: number; child: number; start: number; size: number }

/** The first of `names` among the root storage's streams (compared case-insensitively, as [MS-CFB] does), or null. */
export function compoundFileStream(fileName: string, bytes: Uint8Array, names: readonly string[]): Uint8Array | null {
  const broken = (where: string): never => { throw damaged(fileName, where); };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sectorShift = dv.getUint16(30, true);
  const miniShift = dv.getUint16(32, true);
  if ((sectorShift !== 9 && sectorShift !== 12) || miniShift !== 6) broken('复合文档头无效');
  const sectorSize = 1 << sectorShift;
  const miniSectorSize = 1 << miniShift;
  const miniCutoff = dv.getUint32(56, true);
  const sectorCount = Math.floor((bytes.length - sectorSize) / sectorSize) + (bytes.length % sectorSize === 0 ? 0 : 1);
  const sectorOffset = (sector: number) => {
    if (sector >= sectorCount) broken('扇区编号超出文件末尾');
    return (sector + 1) * sectorSize;
  };
  const u32 = (at: number) => {
    if (at + 4 > bytes.length) broken('扇区超出文件末尾');
    return dv.getUint32(at, true);
  };

  // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const sector = u32(76 + i * 4);
    if (sector !== FREE && sector !== END_OF_CHAIN) fatSectors.push(sector);
  }
  let difat = u32(68);
  for (let guard = 0; difat !== END_OF_CHAIN && difat !== FREE; guard++) {
    if (guard > sectorCount) broken('分配表链循环');
    const base = sectorOffset(difat);
    for (let i = 0; i < sectorSize / 4 - 1; i++) {
      const sector = u32(base + i * 4);
      if (sector !== FREE && sector !== END_OF_CHAIN) fatSectors.push(sector);
    }
    difat = u32(base + sectorSize - 4);
  }
  if (fatSectors.length > sectorCount) broken('分配表过大');
  const fat = new Uint32Array(fatSectors.length * (sectorSize / 4));
  fatSectors.forEach((sector, k) => {
    const base = sectorOffset(sector);
    if (base + sectorSize > bytes.length) broken('分配表超出文件末尾');
    for (let i = 0; i < sectorSize / 4; i++) fat[k * (sectorSize / 4) + i] = dv.getUint32(base + i * 4, true);
  });

  const chain = (start: number, table: Uint32Array, limit: number): number[] => {
    const sectors: number[] = [];
    for (let s = start; s !== END_OF_CHAIN; ) {
      if (s >= table.length || sectors.length > limit) broken('扇区链无效或循环');
      sectors.push(s);
      s = table[s]!;
    }
    return sectors;
  };
  const readChain = (start: number, size: number): Uint8Array => {
    const out = new Uint8Array(size);
    let written = 0;
    for (const s of chain(start, fat, sectorCount)) {
      if (written >= size) break;
      const base = sectorOffset(s);
      const length = Math.min(sectorSize, size - written);
      if (base + length > bytes.length) broken('数据流超出文件末尾');
      out.set(bytes.subarray(base, base + length), written);
      written += length;
    }
    if (written < size) broken('数据流比目录所记的短');
    return out;
  };

  const directory = readChain(u32(48), chain(u32(48), fat, sectorCount).length * sectorSize);
  const ddv = new DataView(directory.buffer);
  const entries: DirectoryEntry[] = [];
  for (let at = 0; at + 128 <= directory.length; at += 128) {
    const nameLength = Math.min(ddv.getUint16(at + 64, true), 64);
    const name = new TextDecoder('utf-16le').decode(directory.subarray(at, at + Math.max(0, nameLength - 2)));
    entries.push({
      name, type: directory[at + 66]!, left: ddv.getUint32(at + 68, true), right: ddv.getUint32(at + 72, true),
      child: ddv.getUint32(at + 76, true), start: ddv.getUint32(at + 116, true), size: ddv.getUint32(at + 120, true),
    });
  }
  const root = entries[0];
  if (!root || root.type !== 5) broken('缺少根目录');

  // The root's children form a tree through left/right siblings; embedded objects' own streams sit deeper and do not count.
  const children: DirectoryEntry[] = [];
  const seen = new Set<number>();
  const visit = (id: number) => {
    if (id === NO_STREAM) return;
    if (id >= entries.length || seen.has(id)) broken('目录结构无效');
    seen.add(id);
    const entry = entries[id]!;
    children.push(entry);
    visit(entry.left);
    visit(entry.right);
  };
  visit(root!.child);
  const wanted = names.map((n) => n.toUpperCase());
  const entry = wanted.map((n) => children.find((e) => e.type === 2 && e.name.toUpperCase() === n)).find((e) => e !== undefined);
  if (children.some((e) => e.name === 'EncryptedPackage')) {
    throw new ImportError(`文件“${fileName}”设置了打开密码（已加密），请在 Excel 中取消密码后再导入。`);
  }
  if (!entry) return null;
  if (entry.size > FILE_LIMITS.maxFileBytes) broken('工作簿内容大小无效');
  if (entry.size >= miniCutoff) return readChain(entry.start, entry.size);

  // Small streams live in the mini stream, itself a stream of the root entry.
  const miniStream = readChain(root!.start, root!.size);
  const miniFatStart = u32(60);
  const miniFatBytes = miniFatStart === END_OF_CHAIN ? new Uint8Array(0) : readChain(miniFatStart, chain(miniFatStart, fat, sectorCount).length * sectorSize);
  const miniFat = new Uint32Array(miniFatBytes.length / 4);
  const mdv = new DataView(miniFatBytes.buffer);
  for (let i = 0; i < miniFat.length; i++) miniFat[i] = mdv.getUint32(i * 4, true);
  const out = new Uint8Array(entry.size);
  let written = 0;
  for (const s of chain(entry.start, miniFat, miniFat.length)) {
    if (written >= out.length) break;
    const base = s * miniSectorSize;
    const length = Math.min(miniSectorSize, out.length - written);
    if (base + length > miniStream.length) broken('数据流超出文件末尾');
    out.set(miniStream.subarray(base, base + length), written);
    written += length;
  }
  if (written < out.length) broken('数据流比目录所记的短');
  return out;
}
