import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openServices } from '../../services/open';
import { loadSettings } from '../../services/settings/settings';
import { benchClock, FILES, REPO_DIR } from './data';
import { FILE_FIGURES } from './files';
import { hubLoadFigure } from './hubLoad';
import { MAX_RSS_MB, median, selfTimedRuns, type Figure } from './measure';
import { PRINT_FIGURES } from './prints';
import { REGISTER_FIGURES } from './register';
import { counterVisitFigure } from './counterVisit';
import { SUPERVISION_FIGURES } from './supervision';

export { firstRunPeakMb, median, type Figure, type Measurement, type Side } from './measure';

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
  SUPERVISION_FIGURES.decadeStats,
  ...PRINT_FIGURES,
  firstScreenFigure,
  hubLoadFigure,
  counterVisitFigure,
];
