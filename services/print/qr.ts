import type * as Zxing from '@zxing/library';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { UserError } from '../../core/errors';

/**
 * The QR on every printed form: written by `qrcode`, read back by ZXing's QR reader (its
 * TypeScript port), both maintained pure-JavaScript libraries. The proof is ASCII, so no reader
 * has to guess a character set.
 */
const MODULE_PX = 4;

/** The QR as a PNG data URL: four pixels a module, so the PDF keeps the modules sharp at any zoom. */
export async function qrPngDataUrl(text: string): Promise<string> {
  const png = await QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 2, scale: MODULE_PX, type: 'png' });
  return `data:image/png;base64,${png.toString('base64')}`;
}

export interface GrayImage {
  width: number;
  height: number;
  /** One byte of luminance per pixel, row by row. */
  luminance: Uint8ClampedArray;
}

/** Luminance of RGB(A) or grey pixels, as image decoders hand them over. */
export function grayOf(width: number, height: number, data: Uint8Array | Uint8ClampedArray, channels: number): GrayImage {
  const luminance = new Uint8ClampedArray(width * height);
  if (channels === 1) luminance.set(data.subarray(0, width * height));
  else {
    for (let p = 0, i = 0; p < luminance.length; p++, i += channels) {
      const alpha = channels === 4 ? data[i + 3]! / 255 : 1;
      // Transparent pixels are paper.
      luminance[p] = Math.round((0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!) * alpha + 255 * (1 - alpha));
    }
  }
  return { width, height, luminance };
}

/** The picture on a white border `pad` pixels wide. */
function withBorder(image: GrayImage, pad: number): GrayImage {
  const width = image.width + 2 * pad;
  const height = image.height + 2 * pad;
  const luminance = new Uint8ClampedArray(width * height).fill(255);
  for (let y = 0; y < image.height; y++) luminance.set(image.luminance.subarray(y * image.width, (y + 1) * image.width), (y + pad) * width + pad);
  return { width, height, luminance };
}

/**
 * The text of the QR in the picture, or null when there is none that can be read. ZXing's finder
 * misses about one in twenty of the perfectly sharp codes this app prints (measured on 300 proofs:
 * 18 missed), so a code not found is read again as a pure barcode (the picture is the code and its
 * margin, as the image inside a PDF is), then on a wider white border (a tightly cropped scan),
 * at half size, at four fifths of its size and with one global threshold (scans). Simulated
 * scans at 0.9× a printed module are still missed 3 times in 120: read at another size with a
 * border of its own, an experiment recovered them, the four-fifths try as it stands does not.
 * ZXing is loaded on the first read: printing and the command line do not need it.
 */
export async function decodeQr(image: GrayImage): Promise<string | null> {
  const zxing = await import('@zxing/library');
  const decode = (picture: GrayImage, pure: boolean, globalThreshold = false) => decodeOnce(zxing, picture, pure, globalThreshold);
  return decode(image, false) ?? decode(image, true) ?? decode(withBorder(image, 8 * MODULE_PX), false) ??
    decode(resized(image, 0.5), false) ?? decode(resized(image, 0.8), false) ?? decode(image, false, true);
}

/** The picture at another size, each new pixel the mean of the old ones it covers (as a scanner's sensor averages). */
function resized(image: GrayImage, factor: number): GrayImage {
  const width = Math.floor(image.width * factor);
  const height = Math.floor(image.height * factor);
  const luminance = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    const top = y / factor;
    const bottom = (y + 1) / factor;
    for (let x = 0; x < width; x++) {
      const left = x / factor;
      const right = (x + 1) / factor;
      let sum = 0;
      let area = 0;
      for (let sy = Math.floor(top); sy < Math.min(Math.ceil(bottom), image.height); sy++) {
        const coverY = Math.min(sy + 1, bottom) - Math.max(sy, top);
        for (let sx = Math.floor(left); sx < Math.min(Math.ceil(right), image.width); sx++) {
          const cover = (Math.min(sx + 1, right) - Math.max(sx, left)) * coverY;
          sum += image.luminance[sy * image.width + sx]! * cover;
          area += cover;
        }
      }
      luminance[y * width + x] = sum / area;
    }
  }
  return { width, height, luminance };
}

function decodeOnce(zxing: typeof Zxing, image: GrayImage, pure: boolean, globalThreshold: boolean): string | null {
  const { BarcodeFormat, BinaryBitmap, DecodeHintType, GlobalHistogramBinarizer, HybridBinarizer, NotFoundException, QRCodeReader, RGBLuminanceSource } = zxing;
  const hints = new Map<Zxing.DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true], [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]], [DecodeHintType.CHARACTER_SET, 'UTF-8']]);
  if (pure) hints.set(DecodeHintType.PURE_BARCODE, true);
  try {
    const source = new RGBLuminanceSource(image.luminance, image.width, image.height);
    return new QRCodeReader().decode(new BinaryBitmap(globalThreshold ? new GlobalHistogramBinarizer(source) : new HybridBinarizer(source)), hints).getText();
  } catch (error) {
    if (error instanceof NotFoundException || (error instanceof Error && /Exception/.test(error.name))) return null;
    throw error;
  }
}

export async function decodePngQr(bytes: Uint8Array, fileName: string): Promise<string> {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch {
    throw new UserError(`“${fileName}”不是可读的 PNG 图片。`);
  }
  const text = await decodeQr(grayOf(png.width, png.height, png.data, 4));
  if (text === null) throw new UserError(`在“${fileName}”中找不到可识别的二维码：请扫描得更清晰（至少 150 dpi），并让二维码完整地出现在图中。`);
  return text;
}
