import Database from 'better-sqlite3';
import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ContentTable, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { registerEntryCanonical, registerEntryHash } from '../../core/register/entries';
import { REGISTER_SHEET_FONT, registerSheetDocument, type RegisterSheetInput } from '../../core/register/registerSheet';
import { parseRoster } from '../../core/verify/roster';
import { openServices } from '../../services/open';
import { registerSheetPdf, renderPdf } from '../../services/print/pdf';
import { verifyLiveRegister } from '../../services/register/chain';
import { loadSettings } from '../../services/settings/settings';
import { createVisit, importRoster, sealVisit } from '../../services/visits/visits';
import { officeTimestamp } from '../../core/time';
import { FILE_FIGURES } from './files';
import { check, MAX_RSS_MB, median, selfTimedRuns, timeRuns, type Figure } from './measure';
import {
  BENCH_NOW, BENCH_SLIP, benchClock, CHAIN_ENTRIES, FILES, INSERT_ENTRY, INSERT_RECORD, PDF_ENTRIES, REPO_DIR, removeDb, ROSTER_ROWS,
  sampleEntry, scratchCopy, SENIOR,
} from './data';

export { firstRunPeakMb, median, type Figure, type Measurement, type Side } from './measure';

// ---------------------------------------------------------------------------------------------
// Sealing a visit

const sealFigure: Figure = {
  id: 'seal',
  title: `seal a ${ROSTER_ROWS.toLocaleString('en')}-certificate visit (synchronous=FULL, re-verification included)`,
  baselineTitle: 'the same rows written bare in one transaction: register entry, certificates, visit_rows findings, visit',
  runs: 6,
  rounds: 3,
  warmup: 1,
  target: { maxRatio: 3, maxRssMb: MAX_RSS_MB },
  needs: ['large', 'verifyDb'],
  async measure(side, runs, warmup) {
    const bytes = readFileSync(FILES.rosterCsv);
    // Set-up as the clerk does it: start the visit, import the roster; only sealing is timed.
    const setUp = async () => {
      const path = scratchCopy(FILES.verifyDb, 'seal');
      const services = openServices(path, benchClock);
      // The clerk a sealing names; the account itself plays no part in what is timed.
      services.ctx.session.signIn({ id: 0, username: 'bench', displayName: '王芳', role: 'clerk' });
      const visit = createVisit(services.ctx, { unit: BENCH_SLIP.unit, agentName: '李明', agentPhone: '13800000000', certificateType: SENIOR,
        slipNo: BENCH_SLIP.slipNo, slipCount: ROSTER_ROWS, slipSigner: BENCH_SLIP.signer });
      const detail = await importRoster(services.ctx, visit.id, 'large-roster.csv', new Uint8Array(bytes));
      check(detail.visit.counts.sealable === ROSTER_ROWS && detail.visit.slipFindings.length === 0 && detail.visit.dayWarning === null,
        `visit not ready to seal: ${JSON.stringify(detail.visit.counts)} ${JSON.stringify(detail.visit.slipFindings)} ${detail.visit.dayWarning}`);
      return { path, services, visitId: visit.id };
    };
    const tearDown = (s: Awaited<ReturnType<typeof setUp>>) => { s.services.close(); removeDb(s.path); };
    if (side === 'figure') {
      let sealed = 0;
      const samplesMs = await timeRuns(runs, warmup, setUp, (s) => { sealed = sealVisit(s.services.ctx, s.visitId).sealedCount; }, tearDown);
      check(sealed === ROSTER_ROWS, `sealed ${sealed}`);
      return { samplesMs };
    }
    const roster = parseRoster('large-roster.csv', bytes).rows;
    const samplesMs = await timeRuns(runs, warmup, setUp, (s) => {
      const db = s.services.ctx.db;
      const last = db.prepare('SELECT seq, hash FROM register_entries ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      const at = officeTimestamp(BENCH_NOW);
      const entry = { ...sampleEntry(last.seq + 1, last.hash), at, count: roster.length, visitId: s.visitId };
      const findings = JSON.stringify({ findings: [], sealed: true });
      const insertEntry = db.prepare(INSERT_ENTRY);
      const insertRecord = db.prepare(INSERT_RECORD);
      const keepFindings = db.prepare('UPDATE visit_rows SET sealed_findings = ? WHERE visit_id = ? AND line = ?');
      db.transaction(() => {
        const canonical = registerEntryCanonical(entry);
        insertEntry.run(entry.seq, Buffer.from(canonical, 'utf8'), registerEntryHash(entry), null);
        for (const r of roster) {
          insertRecord.run(entry.seq, JSON.stringify({ approvalDoc: r.approvalDoc, certNo: r.certNo, idNumber: String(r.idRaw), kind: 'certificate', name: r.name,
            qualification: r.qualification, reissue: false, replacesCertNo: null, sealedAt: at, unit: entry.unit, visitId: s.visitId }));
        }
        for (const r of roster) keepFindings.run(findings, s.visitId, r.line);
        db.prepare('UPDATE visits SET sealed_at = ?, purpose = ? WHERE id = ?').run(at, entry.purpose, s.visitId);
      }).immediate();
    }, tearDown);
    return { samplesMs };
  },
};

// ---------------------------------------------------------------------------------------------
// Verifying the register chain

/** The fastest SHA-256 Node offers for many small inputs; crypto.hash is Node ≥ 20.12. */
const sha256Hex: (data: Buffer) => string = typeof (crypto as { hash?: unknown }).hash === 'function'
  ? (data) => crypto.hash('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');

const chainFigure: Figure = {
  id: 'chain',
  title: `verify a ${CHAIN_ENTRIES.toLocaleString('en')}-entry register chain`,
  baselineTitle: 'SHA-256 of each entry\'s canonical bytes, already in memory',
  runs: 3,
  rounds: 1,
  warmup: 0,
  target: { maxRatio: 1.5, maxRssMb: MAX_RSS_MB },
  needs: ['chainDb'],
  async measure(side, runs, warmup) {
    if (side === 'figure') {
      const services = openServices(FILES.chainDb, benchClock);
      try {
        let count = 0;
        const samplesMs = await timeRuns(runs, warmup, () => services.ctx, (ctx) => {
          const report = verifyLiveRegister(ctx);
          check(report.intact, 'chain reported broken');
          count = report.count;
        });
        check(count === CHAIN_ENTRIES, `walked ${count} entries`);
        return { samplesMs };
      } finally {
        services.close();
      }
    }
    // The entries' stored canonical bytes, read batch by batch outside the clock; only hashing them
    // is timed. Reading the rows is timed separately, for reference.
    const db = new Database(FILES.chainDb, { readonly: true });
    const BATCH = 20_000;
    const page = db.prepare('SELECT seq, canonical, hash FROM register_entries WHERE seq > ? ORDER BY seq LIMIT ?').raw();
    const samplesMs: number[] = [];
    const readMs: number[] = [];
    for (let run = 0; run < warmup + runs; run++) {
      let hashMs = 0;
      let last = 0;
      let count = 0;
      for (;;) {
        const rows = page.all(last, BATCH) as [number, Buffer, string][];
        if (rows.length === 0) break;
        const start = performance.now();
        for (const [, bytes] of rows) sha256Hex(bytes);
        hashMs += performance.now() - start;
        check(sha256Hex(rows[0]![1]) === rows[0]![2], `canonical bytes of entry ${rows[0]![0]}`);
        count += rows.length;
        last = rows[rows.length - 1]![0];
      }
      check(count === CHAIN_ENTRIES, `hashed ${count} entries`);
      if (run >= warmup) samplesMs.push(hashMs);
      // The least any walk must do besides hashing: every entry's bytes out of SQLite, in order.
      const readStart = performance.now();
      let read = 0;
      for (const _ of db.prepare('SELECT seq, canonical, hash FROM register_entries ORDER BY seq').raw().iterate()) read++;
      if (run >= warmup) readMs.push(performance.now() - readStart);
      check(read === CHAIN_ENTRIES, `read ${read} entries`);
    }
    db.close();
    return { samplesMs, detail: { sqliteReadOnlyMs: Math.round(median(readMs)), hash: typeof (crypto as { hash?: unknown }).hash === 'function' ? 'crypto.hash' : 'createHash' } };
  },
};

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
        url = host.appUrl;
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
  sealFigure,
  chainFigure,
  pdfFigure,
  firstScreenFigure,
];
