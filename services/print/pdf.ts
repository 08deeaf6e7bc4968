import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { TCreatedPdf, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces';
import { PRINT_FONT, sheetDocument, type SheetRendering } from '../../core/print/layout';

const requireFromHere = createRequire(import.meta.url);

/**
 * The part of pdfmake 0.3's Node entry (`require('pdfmake')`, a ready-made instance) that we use.
 * It is loaded with require because the package is CommonJS exporting an instance, which ESM and
 * bundler interop would otherwise hand over as `default` in some runtimes and not in others;
 * `virtualfs` is missing from @types/pdfmake.
 */
interface PdfMakeServer {
  virtualfs: { writeFileSync(fileName: string, content: Buffer): void };
  addFonts(fonts: TFontDictionary): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): TCreatedPdf;
}

const FONT_FILES = {
  regular: { virtualName: 'seal-counter/NotoSansSC_400Regular.ttf', module: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf' },
  bold: { virtualName: 'seal-counter/NotoSansSC_700Bold.ttf', module: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf' },
} as const;

let pdfMakeReady: Promise<PdfMakeServer> | undefined;

/**
 * Loads pdfmake and the ~10 MB fonts once per process, on first use, so that starting the app
 * costs nothing and later sheets only pay for layout. The bytes live in pdfmake's virtual file
 * system: pdfmake 0.3 on Node mishandles a Buffer given directly as a font.
 */
function pdfMake(): Promise<PdfMakeServer> {
  pdfMakeReady ??= loadPdfMake().catch((error: unknown) => {
    // A failed load (say, a missing font file) must not poison every later attempt.
    pdfMakeReady = undefined;
    throw error;
  });
  return pdfMakeReady;
}

async function loadPdfMake(): Promise<PdfMakeServer> {
  const [regular, bold] = await Promise.all([readFile(requireFromHere.resolve(FONT_FILES.regular.module)), readFile(requireFromHere.resolve(FONT_FILES.bold.module))]);
  const pdfmake = requireFromHere('pdfmake') as PdfMakeServer;
  pdfmake.virtualfs.writeFileSync(FONT_FILES.regular.virtualName, regular);
  pdfmake.virtualfs.writeFileSync(FONT_FILES.bold.virtualName, bold);
  // Chinese has no italic cut; slanting it would look like a misprint on an official form.
  pdfmake.addFonts({
    [PRINT_FONT]: {
      normal: FONT_FILES.regular.virtualName,
      bold: FONT_FILES.bold.virtualName,
      italics: FONT_FILES.regular.virtualName,
      bolditalics: FONT_FILES.bold.virtualName,
    },
  });
  // Our documents use only the fonts above; nothing printed should make the app fetch a URL or
  // read a file named inside a document.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  return pdfmake;
}

/**
 * Fonts are embedded as subsets with a ToUnicode map (pdfkit does both), so a sheet stays small
 * and its Chinese text can be copied and searched.
 */
export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const pdfmake = await pdfMake();
  return pdfmake.createPdf(doc).getBuffer();
}

/** Every form the counter prints, through the one layout (core/print/layout.ts). */
export function sheetPdf(rendering: SheetRendering): Promise<Buffer> {
  return renderPdf(sheetDocument(rendering));
}
