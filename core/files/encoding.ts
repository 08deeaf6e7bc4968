/**
 * CSV files saved by Excel on Chinese Windows are GBK/GB18030, others are UTF-8 with or
 * without a byte-order mark. Valid UTF-8 is practically never valid-looking GBK text by accident,
 * so a strict UTF-8 decode decides.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
