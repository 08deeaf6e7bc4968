import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/services';

/** Poppler's own view of a PDF: an independent reader of what the counter printed. */
export function pdfText(pdf: Buffer, layout = false, page?: number): string {
  const dir = tempDir('seal-pdf-');
  const file = join(dir, 'sheet.pdf');
  writeFileSync(file, pdf);
  const pages = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), ...pages, file, '-']).toString('utf8');
}

export function pdfFonts(pdf: Buffer): string {
  const file = join(tempDir('seal-pdf-'), 'sheet.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdffonts', [file]).toString('utf8');
}

export function pdfPageCount(pdf: Buffer): number {
  const file = join(tempDir('seal-pdf-'), 'sheet.pdf');
  writeFileSync(file, pdf);
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString('utf8'))![1]);
}

/** The page as a scanner would see it: pdftoppm at 150 dpi, the last page (where the QR stands). */
export function scanOfLastPage(pdf: Buffer, dpi = 150): Buffer {
  const dir = tempDir('seal-scan-');
  const file = join(dir, 'sheet.pdf');
  writeFileSync(file, pdf);
  const last = String(pdfPageCount(pdf));
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-f', last, '-l', last, '-singlefile', file, join(dir, 'scan')]);
  return readFileSync(join(dir, 'scan.png'));
}

export function imageCount(pdf: Buffer): number {
  const file = join(tempDir('seal-pdf-'), 'sheet.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdfimages', ['-list', file]).toString('utf8').trim().split('\n').length - 2;
}

interface Word { page: number; xMin: number; yMin: number; xMax: number; yMax: number; text: string }

/** Every word poppler finds, with its box on its page (pdftotext -bbox). */
export function pdfWords(pdf: Buffer): Word[] {
  const file = join(tempDir('seal-pdf-'), 'sheet.pdf');
  writeFileSync(file, pdf);
  const html = execFileSync('pdftotext', ['-bbox', file, '-']).toString('utf8');
  const words: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const match = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (match) words.push({ page, xMin: Number(match[1]), yMin: Number(match[2]), xMax: Number(match[3]), yMax: Number(match[4]), text: match[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') });
  }
  return words;
}

const centre = (w: Word) => (w.xMin + w.xMax) / 2;

/**
 * The text of one table column, page by page, top to bottom, white space removed: a cell's wrapped
 * lines read one after the other, where plain pdftotext interleaves them with the neighbouring
 * cell's lines. A word belongs to the column whose title's centre is nearest to its own; the
 * titles are the words on the title's band (a title wrapped over two lines counts once).
 */
export function pdfColumn(pdf: Buffer, title: string): string[] {
  const words = pdfWords(pdf);
  const cells: string[] = [];
  for (const heading of words.filter((w) => w.text === title)) {
    const band = words.filter((w) => w.page === heading.page && w.yMin < heading.yMax + 8 && w.yMax > heading.yMin - 8);
    const titles = band.filter((w) => !band.some((o) => o !== w && o.yMin < w.yMin && o.xMin <= centre(w) && o.xMax >= centre(w)));
    const below = words.filter((w) => w.page === heading.page && w.yMin > Math.max(...band.map((b) => b.yMax)));
    const mine = below.filter((w) => titles.reduce((best, t) => (Math.abs(centre(t) - centre(w)) < Math.abs(centre(best) - centre(w)) ? t : best)) === heading);
    cells.push(mine.sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin).map((w) => w.text).join(''));
  }
  return cells;
}
