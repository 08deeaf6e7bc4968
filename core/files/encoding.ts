import { ImportError } from './sheet';

/**
 * Text files as Excel and WPS save them on Chinese Windows: "CSV UTF-8" (with a byte-order mark),
 * plain CSV and "文本文件(制表符分隔)" (GBK, no mark; GB18030 covers GBK and the characters outside
 * it), "Unicode 文本" (UTF-16LE with a mark), and UTF-8 without a mark from other programs. The
 * decoding is strict: a byte that is not valid in the file's encoding is an error naming its line,
 * never a replacement character in somebody's name.
 */
export interface DecodedText {
  text: string;
  encoding: 'UTF-8' | 'GB18030' | 'UTF-16LE' | 'UTF-16BE';
}

export function decodeText(fileName: string, bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return strict(fileName, bytes.subarray(3), 'utf-8', 'UTF-8', 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return strict(fileName, bytes.subarray(2), 'utf-16le', 'UTF-16LE', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return strict(fileName, bytes.subarray(2), 'utf-16be', 'UTF-16BE', 2);
  if (bytes[0] === 0x84 && bytes[1] === 0x31 && bytes[2] === 0x95 && bytes[3] === 0x33) return strict(fileName, bytes.subarray(4), 'gb18030', 'GB18030', 4);
  const utf8 = utf8Evidence(bytes);
  if (utf8.invalidAt === -1) return strict(fileName, bytes, 'utf-8', 'UTF-8', 0);
  // A file that is mostly well-formed UTF-8 with a few bad bytes is damaged UTF-8, not GBK: read
  // as GBK it would turn into plausible-looking nonsense.
  if (utf8.multiByte >= 4 * utf8.invalid) throw badByte(fileName, bytes, utf8.invalidAt, 'UTF-8');
  return strict(fileName, bytes, 'gb18030', 'GB18030', 0);
}

function strict(fileName: string, bytes: Uint8Array, label: string, encoding: DecodedText['encoding'], skipped: number): DecodedText {
  try {
    return { text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes), encoding };
  } catch {
    const at = firstInvalid(bytes, label);
    throw badByte(fileName, bytes, at, encoding, skipped);
  }
}

function badByte(fileName: string, bytes: Uint8Array, at: number, encoding: string, skipped = 0): ImportError {
  return new ImportError(`文件“${fileName}”第 ${lineAt(bytes, at, encoding)} 行有按 ${encoding === 'GB18030' ? 'GBK/GB18030' : encoding} 编码无法识别的字节（第 ${at + skipped + 1} 个字节），文件可能已损坏或编码不一致。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。`);
}

/** The line (1-based) of byte `at`: line feeds counted as the encoding writes them. */
function lineAt(bytes: Uint8Array, at: number, encoding: string): number {
  let line = 1;
  if (encoding === 'UTF-16LE' || encoding === 'UTF-16BE') {
    const low = encoding === 'UTF-16LE' ? 0 : 1;
    for (let i = 0; i + 1 < at; i += 2) if (bytes[i + low] === 0x0a && bytes[i + 1 - low] === 0) line++;
    return line;
  }
  // In UTF-8 and GB18030 a 0x0A byte is always a line feed, never part of a character.
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Where strict decoding first fails: found by halving, since TextDecoder does not say. */
function firstInvalid(bytes: Uint8Array, label: string): number {
  const valid = (end: number) => {
    try {
      // A prefix cut inside a character is fine: `stream` keeps it pending instead of failing.
      new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (valid(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/** Well-formed multi-byte UTF-8 sequences, invalid bytes, and where the first invalid byte is. */
function utf8Evidence(bytes: Uint8Array): { multiByte: number; invalid: number; invalidAt: number } {
  let multiByte = 0;
  let invalid = 0;
  let invalidAt = -1;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
    if (ok && need === 2) {
      const b1 = bytes[i + 1]!;
      ok = !(b === 0xe0 && b1 < 0xa0) && !(b === 0xed && b1 >= 0xa0);
    } else if (ok && need === 3) {
      const b1 = bytes[i + 1]!;
      ok = !(b === 0xf0 && b1 < 0x90) && !(b === 0xf4 && b1 >= 0x90);
    }
    if (ok) {
      multiByte++;
      i += need + 1;
    } else {
      if (invalidAt === -1) invalidAt = i;
      invalid++;
      i++;
    }
  }
  return { multiByte, invalid, invalidAt };
}
