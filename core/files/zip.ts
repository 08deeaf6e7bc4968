import { Inflate } from 'fflate';
import { damaged, FILE_LIMITS, ImportError } from './sheet';

/**
 * The parts of a ZIP archive (the container of .xlsx files), read from its central directory
 * and inflated as a stream, so that a worksheet never has to be held whole. What the directory
 * says about sizes is only believed where it refuses early; every part is counted as it inflates.
 */

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Thrown by a consumer that has read what it needed, to stop inflating the rest. */
export class StopReading extends Error {}

/** Compressed bytes handed to the inflater at a time: the output of one push stays bounded (deflate expands at most ~1,032×). */
const PUSH_BYTES = 32 * 1024;

export class ZipArchive {
  private readonly entries = new Map<string, ZipEntry>();
  private readonly view: DataView;
  /** Bytes inflated so far, across all parts, against FILE_LIMITS.maxUnzippedBytes. */
  private inflated = 0;

  constructor(private readonly fileName: string, private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.readDirectory();
  }

  /** Part names are case-insensitive (OPC); some writers use backslashes or a leading slash. */
  private static key(name: string): string {
    return name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
  }

  has(name: string): boolean {
    return this.entries.has(ZipArchive.key(name));
  }

  private notZip(): never {
    throw new ImportError(`文件“${this.fileName}”不是有效的 .xlsx 文件（可能已损坏，或扩展名与实际格式不符）。`);
  }

  private u16(at: number): number {
    if (at < 0 || at + 2 > this.bytes.length) throw damaged(this.fileName, '压缩包目录超出文件末尾');
    return this.view.getUint16(at, true);
  }

  private u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) throw damaged(this.fileName, '压缩包目录超出文件末尾');
    return this.view.getUint32(at, true);
  }

  private u64(at: number): number {
    const value = this.u32(at) + this.u32(at + 4) * 2 ** 32;
    if (!Number.isSafeInteger(value)) throw damaged(this.fileName, '压缩包目录中的大小无效');
    return value;
  }

  private readDirectory(): void {
    const { bytes } = this;
    // The end-of-central-directory record sits in the last 22 + 65,535 (comment) bytes.
    let eocd = -1;
    for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
      if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 0x05 && bytes[at + 3] === 0x06) { eocd = at; break; }
    }
    if (eocd === -1) this.notZip();
    let count = this.u16(eocd + 10);
    let directoryOffset = this.u32(eocd + 16);
    if (count === 0xffff || directoryOffset === 0xffffffff) {
      // ZIP64, as some streaming writers produce even for small files.
      const locator = eocd - 20;
      if (locator < 0 || this.u32(locator) !== 0x07064b50) throw damaged(this.fileName, '压缩包目录不完整');
      const record = this.u64(locator + 8);
      if (this.u32(record) !== 0x06064b50) throw damaged(this.fileName, '压缩包目录不完整');
      count = this.u64(record + 32);
      directoryOffset = this.u64(record + 48);
    }
    let at = directoryOffset;
    for (let i = 0; i < count; i++) {
      if (this.u32(at) !== 0x02014b50) throw damaged(this.fileName, '压缩包目录不完整');
      const nameLength = this.u16(at + 28);
      const extraLength = this.u16(at + 30);
      const commentLength = this.u16(at + 32);
      if (at + 46 + nameLength > bytes.length) throw damaged(this.fileName, '压缩包目录超出文件末尾');
      const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
      let compressedSize = this.u32(at + 20);
      let size = this.u32(at + 24);
      let localOffset = this.u32(at + 42);
      if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
        // The ZIP64 extra field lists, in this order, only the fields that overflowed.
        for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength;) {
          const id = this.u16(x);
          const length = this.u16(x + 2);
          if (id === 0x0001) {
            let field = x + 4;
            if (size === 0xffffffff) { size = this.u64(field); field += 8; }
            if (compressedSize === 0xffffffff) { compressedSize = this.u64(field); field += 8; }
            if (localOffset === 0xffffffff) localOffset = this.u64(field);
          }
          x += 4 + length;
        }
      }
      const key = ZipArchive.key(name);
      if (!this.entries.has(key)) {
        this.entries.set(key, { name, method: this.u16(at + 10), flags: this.u16(at + 8), compressedSize, size, localOffset });
      }
      at += 46 + nameLength + extraLength + commentLength;
    }
  }

  /**
   * Inflates one part, handing the bytes over in pieces. `onChunk` may throw StopReading once it
   * has what it needs; the rest is then never inflated.
   */
  read(name: string, onChunk: (chunk: Uint8Array) => void): boolean {
    const entry = this.entries.get(ZipArchive.key(name));
    if (!entry) return false;
    const where = `压缩包中的“${entry.name}”`;
    if (entry.flags & 0x0001) throw new ImportError(`文件“${this.fileName}”设置了打开密码（已加密），请在 Excel 中取消密码后再导入。`);
    if (entry.size > FILE_LIMITS.maxUnzippedBytes - this.inflated) throw this.tooLarge();
    const local = entry.localOffset;
    if (this.u32(local) !== 0x04034b50) throw damaged(this.fileName, where);
    const start = local + 30 + this.u16(local + 26) + this.u16(local + 28);
    const end = start + entry.compressedSize;
    if (end > this.bytes.length) throw damaged(this.fileName, `${where}超出文件末尾`);
    const data = this.bytes.subarray(start, end);
    // What the consumer throws (a parse error, StopReading) is passed on as it is; only the inflater's own errors mean a corrupt stream.
    let consumerError: unknown = null;
    const count = (chunk: Uint8Array) => {
      this.inflated += chunk.length;
      if (this.inflated > FILE_LIMITS.maxUnzippedBytes) throw (consumerError = this.tooLarge());
      try {
        onChunk(chunk);
      } catch (error) {
        consumerError = error;
        throw error;
      }
    };
    try {
      if (entry.method === 0) {
        for (let at = 0; at < data.length; at += 1 << 20) count(data.subarray(at, Math.min(at + (1 << 20), data.length)));
      } else if (entry.method === 8) {
        let ended = false;
        const inflater = new Inflate((chunk, final) => {
          if (chunk.length > 0) count(chunk);
          if (final) ended = true;
        });
        for (let at = 0; at < data.length && !ended; at += PUSH_BYTES) {
          inflater.push(data.subarray(at, Math.min(at + PUSH_BYTES, data.length)), at + PUSH_BYTES >= data.length);
        }
        if (!ended) throw damaged(this.fileName, `${where}不完整`);
      } else {
        throw new ImportError(`文件“${this.fileName}”使用了不支持的压缩方式，请在 Excel 中另存为 .xlsx 后再导入。`);
      }
    } catch (error) {
      if (consumerError !== null || error instanceof ImportError) throw error;
      // fflate's own errors (invalid block type, distance too far back, …): the stream is corrupt.
      throw damaged(this.fileName, `${where}无法解压`);
    }
    return true;
  }

  private tooLarge(): ImportError {
    return new ImportError(`文件“${this.fileName}”解压后超过 ${FILE_LIMITS.maxUnzippedBytes / 1024 / 1024} MB，疑似异常文件，已拒绝导入。`);
  }
}
