import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeQr, grayOf, qrPngDataUrl } from '../../services/print/qr';

/** A proof's shape and length, with digests and a signature that differ from one sheet to the next. */
function proofLike(i: number): string {
  const digest = (label: string) => createHash('sha256').update(`${label}${i}`).digest('base64url');
  return `SC-PRINT/1 ws-${digest('ws').slice(0, 16)} receipt visit=${i} seq=${i}-${i + 3} entries=${digest('e')} sheet=${digest('s')} sig=${digest('a')}${digest('b')}`;
}

describe('the QR the app prints', () => {
  it('is read back from the image as printed, for every one of 300 different proofs', async () => {
    const unread: number[] = [];
    for (let i = 0; i < 300; i++) {
      const text = proofLike(i);
      const png = PNG.sync.read(Buffer.from((await qrPngDataUrl(text)).split(',')[1]!, 'base64'));
      if (await decodeQr(grayOf(png.width, png.height, png.data, 4)) !== text) unread.push(i);
    }
    expect(unread).toEqual([]);
  }, 120_000);
});
