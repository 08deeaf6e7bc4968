import { UserError } from '../../core/errors';
import { SHEET_INFO_KEY } from '../../core/print/layout';
import { decodeQr, grayOf } from './qr';

/**
 * What a verifier needs from a PDF: its text as drawn, the sheet it says it shows, and the text of
 * the QR among its images. PDF.js (Mozilla's, pure JavaScript) reads it; it is loaded only when a
 * PDF is checked.
 */
export interface PdfReading {
  text: string;
  sheetJson: string | null;
  qrText: string | null;
}

/** PDF.js hands images over as 1-bit grey (1), RGB (2) or RGBA (3). */
const CHANNELS: Record<number, number> = { 2: 3, 3: 4 };

interface PdfImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8ClampedArray | Uint8Array;
}

export async function readPdf(bytes: Uint8Array, fileName: string): Promise<PdfReading> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document;
  try {
    document = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  } catch {
    throw new UserError(`“${fileName}”不是可读的 PDF 文件。`);
  }
  try {
    const metadata = await document.getMetadata();
    const custom = (metadata.info as { Custom?: Record<string, unknown> }).Custom;
    const sheetJson = typeof custom?.[SHEET_INFO_KEY] === 'string' ? custom[SHEET_INFO_KEY] : null;
    const texts: string[] = [];
    let qrText: string | null = null;
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      for (const item of content.items) if ('str' in item) texts.push(item.str);
      if (qrText !== null) continue;
      const operators = await page.getOperatorList();
      for (let i = 0; i < operators.fnArray.length && qrText === null; i++) {
        if (operators.fnArray[i] !== pdfjs.OPS.paintImageXObject) continue;
        const name = (operators.argsArray[i] as [string])[0];
        const image = await new Promise<PdfImage>((resolve) => {
          page.objs.get(name, resolve);
        });
        const channels = CHANNELS[image.kind];
        if (channels) qrText = await decodeQr(grayOf(image.width, image.height, image.data, channels));
      }
    }
    return { text: texts.join(''), sheetJson, qrText };
  } finally {
    await document.destroy();
  }
}
