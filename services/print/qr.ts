import { BarcodeFormat, BinaryBitmap, DecodeHintType, GlobalHistogramBinarizer, HybridBinarizer, NotFoundException, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
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
 * at half size and with one global threshold (scans). Simulated scans at 0.9× and 1.3× a module's
 * printed size still miss 4 and 1 in 120 (7 and 14 before the last two tries).
 */
export function decodeQr(image: GrayImage): string | null {
  return decodeOnce(image, false) ?? decodeOnce(image, true) ?? decodeOnce(withBorder(image, 8 * MODULE_PX), false) ?? decodeOnce(halved(image), false) ?? decodeOnce(image, false, true);
}

/** The picture at half its size, each pixel the mean of four: a scan's blurred module edges become sharp. */
function halved(image: GrayImage): GrayImage {
  const width = Math.floor(image.width / 2);
  const height = Math.floor(image.height / 2);
  const luminance = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = 2 * y * image.width + 2 * x;
      luminance[y * width + x] = (image.luminance[at]! + image.luminance[at + 1]! + image.luminance[at + image.width]! + image.luminance[at + image.width + 1]!) / 4;
    }
  }
  return { width, height, luminance };
}

function decodeOnce(image: GrayImage, pure: boolean, globalThreshold = false): string | null {
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true], [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]], [DecodeHintType.CHARACTER_SET, 'UTF-8']]);
  if (pure) hints.set(DecodeHintType.PURE_BARCODE, true);
  try {
    const source = new RGBLuminanceSource(image.luminance, image.width, image.height);
    return new QRCodeReader().decode(new BinaryBitmap(globalThreshold ? new GlobalHistogramBinarizer(source) : new HybridBinarizer(source)), hints).getText();
  } catch (error) {
    if (error instanceof NotFoundException || (error instanceof Error && /Exception/.test(error.name))) return null;
    throw error;
  }
}

export function decodePngQr(bytes: Uint8Array, fileName: string): string {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch {
    throw new UserError(`“${fileName}”不是可读的 PNG 图片。`);
  }
  const text = decodeQr(grayOf(png.width, png.height, png.data, 4));
  if (text === null) throw new UserError(`在“${fileName}”中找不到可识别的二维码：请扫描得更清晰（至少 150 dpi），并让二维码完整地出现在图中。`);
  return text;
}
