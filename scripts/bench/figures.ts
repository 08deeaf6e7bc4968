import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ContentTable, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { REGISTER_SHEET_FONT, registerSheetDocument, type RegisterSheetInput } from '../../core/register/registerSheet';
import { openServices } from '../../services/open';
import { registerSheetPdf, renderPdf } from '../../services/print/pdf';
import { loadSettings } from '../../services/settings/settings';
import { benchClock, FILES, PDF_ENTRIES, REPO_DIR, sampleEntry } from './data';
import { FILE_FIGURES } from './files';
import { hubLoadFigure } from './hubLoad';
import { MAX_RSS_MB, median, selfTimedRuns, timeRuns, type Figure } from './measure';
import { REGISTER_FIGURES } from './register';
import { counterVisitFigure } from './counterVisit';

export { firstRunPeakMb, median, type Figure, type Measurement, type Side } from './measure';

// ---------------------------------------------------------------------------------------------
// The register sheet PDF

function sheetInput(): RegisterSheetInput {
  const entries = [];
  let prevHash = '';
  for (let seq = 1; seq <= PDF_ENTRIES; seq++) {
    const e = sampleEntry(seq, prevHash);
    prevHash = String(seq);
    entries.push({ seq: e.seq, at: e.at, sealName: e.sealName, sealKind: e.sealKind, documentKind: e.documentKind, count: e.count, unit: e.unit,
      purpose: e.purpose, slipNo: e.slipNo, approver: e.approver, clerk: e.clerk, agentName: e.agentName, agentPhone: e.agentPhone });
  }
  return { officeName: '四川省人力资源和社会保障厅', subtitle: '2026年11月24日', printedAt: '2026-11-24 09:30', entries };
}

function cellText(cell: TableCell): string {
  if (typeof cell === 'string') return cell;
  const text = (cell as { text?: unknown }).text;
  return typeof text === 'string' ? text : '';
}

/** The register sheet's own cells, widths, page and font, without its rules, shading, fixed heights, header or footer. */
function plainTable(input: RegisterSheetInput): TDocumentDefinitions {
  const sheet = registerSheetDocument(input);
  const table = (sheet.content as ContentTable[])[0]!.table;
  return {
    pageSize: sheet.pageSize,
    pageOrientation: sheet.pageOrientation,
    pageMargins: sheet.pageMargins,
    defaultStyle: { font: REGISTER_SHEET_FONT, fontSize: 8.5, lineHeight: 0.9 },
    content: [{ table: { headerRows: 1, widths: table.widths, body: table.body.map((row) => row.map(cellText)) } }],
  };
}

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

const pdfFigure: Figure = {
  id: 'pdf',
  title: `register sheet PDF for ${PDF_ENTRIES.toLocaleString('en')} entries`,
  baselineTitle: 'pdfmake rendering a plain table of the same cells with the same font',
  runs: 6,
  rounds: 2,
  warmup: 1,
  target: { maxRatio: 1.2, maxRssMb: MAX_RSS_MB },
  needs: [],
  async measure(side, runs, warmup) {
    const input = sheetInput();
    const doc = side === 'baseline' ? plainTable(input) : null;
    let pdf: Buffer = Buffer.alloc(0);
    // The first run also loads pdfmake and the fonts; it is the warm-up.
    const samplesMs = await timeRuns(runs, Math.max(warmup, 1), () => null, async () => {
      pdf = doc ? await renderPdf(doc) : await registerSheetPdf(input);
    });
    return { samplesMs, detail: { pages: pageCount(pdf), kb: Math.round(pdf.length / 1024) } };
  },
};

// ---------------------------------------------------------------------------------------------
// First screen

const CHROMIUM = process.env.SEAL_COUNTER_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const APP_NAME = '签章窗口';

/** True once an element whose whole text is the app's name is laid out on screen (the header). */
function appNameShown(name: string): boolean {
  for (const el of Array.from(document.body?.querySelectorAll('*') ?? [])) {
    if (el.childElementCount === 0 && el.textContent?.trim() === name) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) return true;
    }
  }
  return false;
}

function bodyHasText(): boolean {
  return (document.body?.innerText ?? '').trim() !== '';
}

const firstScreenFigure: Figure = {
  id: 'first-screen',
  title: 'loopback host start → first rendered screen in Chromium (browser launch included)',
  baselineTitle: 'a bare node:http server and the same Chromium launch showing a static page with the same header text',
  runs: 6,
  rounds: 2,
  warmup: 1,
  target: { maxMs: 1500, maxRssMb: MAX_RSS_MB },
  needs: ['verifyDb', 'renderer'],
  async measure(side, runs, warmup) {
    const { chromium } = await import('@playwright/test');
    const staticDir = join(REPO_DIR, 'dist', 'renderer');
    const hostMs: number[] = [];
    const launchMs: number[] = [];
    const officeMs: number[] = [];
    let selector = 'header';
    const office = (() => {
      const services = openServices(FILES.verifyDb, benchClock);
      try { return loadSettings(services.ctx.db).officeName; } finally { services.close(); }
    })();
    const samplesMs = await selfTimedRuns(runs, warmup, async () => {
      const start = performance.now();
      let url: string;
      let close: () => Promise<void>;
      if (side === 'figure') {
        const { startHttpHost } = await import('../../server/httpHost');
        const services = openServices(FILES.verifyDb, benchClock);
        const host = await startHttpHost({ backend: services, staticDir });
        url = host.issueLaunchUrl();
        close = async () => { await host.close(); services.close(); };
      } else {
        const html = `<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8"><title>${APP_NAME}</title></head><body><h4>${APP_NAME}</h4></body></html>`;
        const server = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
      }
      const hostReady = performance.now();
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        launchMs.push(performance.now() - hostReady);
        hostMs.push(hostReady - start);
        await page.goto(url, { waitUntil: 'commit' });
        try {
          await page.waitForFunction(appNameShown, APP_NAME, { polling: 'raf', timeout: 15_000 });
        } catch {
          // The UI is being rewritten; if the header is gone, any rendered text will do.
          selector = 'document.body text';
          await page.waitForFunction(bodyHasText, undefined, { polling: 'raf', timeout: 15_000 });
        }
        const shown = performance.now();
        if (side === 'figure') {
          // For reference: when the office name fetched through the API is on screen too.
          await page.waitForFunction((text) => (document.body?.innerText ?? '').includes(text), office, { polling: 'raf', timeout: 15_000 })
            .then(() => officeMs.push(performance.now() - start), () => undefined);
        }
        return shown - start;
      } finally {
        await browser.close();
        await close();
      }
    });
    return {
      samplesMs,
      detail: {
        selector,
        hostStartMs: Math.round(median(hostMs.slice(warmup))),
        browserLaunchMs: Math.round(median(launchMs.slice(warmup))),
        ...(officeMs.length > 0 ? { officeNameShownMs: Math.round(median(officeMs.slice(warmup))) } : {}),
      },
    };
  },
};


export const FIGURES: readonly Figure[] = [
  FILE_FIGURES.importCsv,
  FILE_FIGURES.importXlsx,
  FILE_FIGURES.verifyRows,
  FILE_FIGURES.verifyFile,
  FILE_FIGURES.readXlsx,
  FILE_FIGURES.readXls,
  REGISTER_FIGURES.seal,
  REGISTER_FIGURES.chain,
  REGISTER_FIGURES.openDay,
  REGISTER_FIGURES.decadeSeal,
  REGISTER_FIGURES.decadeRegisterPage,
  REGISTER_FIGURES.decadeLedger,
  pdfFigure,
  firstScreenFigure,
  hubLoadFigure,
  counterVisitFigure,
];
