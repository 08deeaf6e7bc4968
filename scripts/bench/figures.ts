import Database from 'better-sqlite3';
import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ContentTable, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { parseApprovedList } from '../../core/lists/approvedList';
import { registerEntryCanonical, registerEntryHash } from '../../core/register/entries';
import { REGISTER_SHEET_FONT, registerSheetDocument, type RegisterSheetInput } from '../../core/register/registerSheet';
import { parseRoster } from '../../core/verify/roster';
import { verifyRoster } from '../../core/verify/verifyRoster';
import { importList } from '../../services/lists/lists';
import { openServices } from '../../services/open';
import { registerSheetPdf, renderPdf } from '../../services/print/pdf';
import { verifyLiveRegister } from '../../services/register/chain';
import { parseRosterFile } from '../../services/files/untrustedFiles';
import { loadSettings } from '../../services/settings/settings';
import { createVisit, importRoster, sealVisit, verificationContext, verifyRosterFile } from '../../services/visits/visits';
import { officeDate, officeTimestamp } from '../../core/time';
import {
  BENCH_NOW, BENCH_SLIP, benchClock, CHAIN_ENTRIES, FILES, INSERT_ENTRY, INSERT_RECORD, LIST_ROWS, PDF_ENTRIES, REPO_DIR, removeDb, ROSTER_ROWS,
  sampleEntry, scratchCopy, scratchPath, SENIOR,
} from './data';

/** What one child process measured: a time per run (warm-up runs left out) and anything worth showing. */
export interface Measurement {
  samplesMs: number[];
  detail?: Record<string, unknown>;
}

export type Side = 'figure' | 'baseline';

export interface Figure {
  id: string;
  title: string;
  baselineTitle: string;
  /** Timed runs per side; the median is reported. */
  runs: number;
  /** The runs are split over this many baseline-then-figure pairs of child processes. */
  rounds: number;
  /** Untimed runs first, so that the JIT and the page cache are warm as in a working day. */
  warmup: number;
  target: { maxRatio?: number; maxMs?: number; maxRssMb: number };
  /** Which prepared data the parent must make before starting the children. */
  needs: ('large' | 'verifyDb' | 'chainDb' | 'renderer')[];
  measure(side: Side, runs: number, warmup: number): Promise<Measurement>;
}

const MAX_RSS_MB = 400;

/**
 * Max RSS (MB) of this process once its first run (set-up included) was done: the peak memory of
 * one run, which is what the target is about. Later runs in the same process only add what the
 * garbage collector has not yet given back.
 */
export let firstRunPeakMb: number | undefined;
const noteFirstRun = () => { firstRunPeakMb ??= Math.round(process.resourceUsage().maxRSS / 1024); };

async function timeRuns<T>(runs: number, warmup: number, setUp: () => T | Promise<T>, timed: (state: T) => unknown, tearDown?: (state: T) => void): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const state = await setUp();
    const start = performance.now();
    await timed(state);
    const ms = performance.now() - start;
    tearDown?.(state);
    noteFirstRun();
    if (i >= warmup) samples.push(ms);
  }
  return samples;
}

/** For figures that time a stretch inside each run themselves: `run` returns its milliseconds. */
async function selfTimedRuns(runs: number, warmup: number, run: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await run();
    noteFirstRun();
    if (i >= warmup) samples.push(ms);
  }
  return samples;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench sanity check failed: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Importing the approved list

const INSERT_LIST = `INSERT INTO approved_lists (approval_doc, title, certificate_type, source_file, row_count, imported_at) VALUES (?, ?, ?, ?, ?, ?)`;
const INSERT_PERSON = `INSERT INTO approved_people (list_id, line, id_number, name, gender, work_unit, department, major, qualification,
  level, approved_on, lang_requirement, management_no, approval_doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function importFigure(id: string, format: 'CSV' | '.xlsx', file: string, fileName: string, maxMs?: number): Figure {
  return {
    id,
    title: `import a ${LIST_ROWS.toLocaleString('en')}-row approved list (${format})`,
    baselineTitle: 'the same rows inserted by a bare better-sqlite3 loop in one transaction',
    runs: 5,
    rounds: 1,
    warmup: 1,
    target: { maxRatio: 2, ...(maxMs ? { maxMs } : {}), maxRssMb: MAX_RSS_MB },
    needs: ['large'],
    async measure(side, runs, warmup) {
      const bytes = readFileSync(file);
      // A fresh Uint8Array per call, as decodeUpload gives the handler: the parse hands its bytes to a worker.
      const fresh = () => {
        const path = scratchPath('import');
        return { path, services: openServices(path, benchClock), upload: new Uint8Array(bytes) };
      };
      const done = (s: ReturnType<typeof fresh>) => { s.services.close(); removeDb(s.path); };
      if (side === 'figure') {
        let rowCount = 0;
        const samplesMs = await timeRuns(runs, warmup, fresh, async (s) => { rowCount = (await importList(s.services.ctx, fileName, s.upload, {})).rowCount; }, done);
        check(rowCount === LIST_ROWS, `imported ${rowCount} rows`);
        return { samplesMs, detail: { fileMb: +(bytes.length / 1048576).toFixed(1) } };
      }
      // The rows exactly as the import would store them, ready to insert.
      const parsed = parseApprovedList(fileName, bytes, officeDate(BENCH_NOW));
      const rows = parsed.rows.map((r) => [r.line, r.idNumber, r.name, r.gender, r.workUnit, r.department, r.major, r.qualification, r.level,
        r.approvedOn, r.langRequirement, r.managementNo, r.approvalDoc] as const);
      const samplesMs = await timeRuns(runs, warmup, fresh, (s) => {
        const db = s.services.ctx.db;
        const insertList = db.prepare(INSERT_LIST);
        const insertPerson = db.prepare(INSERT_PERSON);
        db.transaction(() => {
          const listId = insertList.run(parsed.approvalDoc, parsed.title, parsed.certificateType, fileName, rows.length, officeTimestamp(BENCH_NOW)).lastInsertRowid;
          for (const r of rows) insertPerson.run(listId, ...r);
        })();
      }, done);
      // For the README's breakdown: the same parse in this process, without the worker thread.
      const parseMs = await timeRuns(3, 0, () => null, () => parseApprovedList(fileName, bytes, officeDate(BENCH_NOW)));
      return { samplesMs, detail: { parseInProcessMs: Math.round(median(parseMs)) } };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Verifying a roster

const LOOKUP_BASELINE = `${ROSTER_ROWS.toLocaleString('en')} bare indexed lookups (approved_people by id_number)`;

function lookupBaseline(runs: number, warmup: number): Promise<number[]> {
  const services = openServices(FILES.verifyDb, benchClock);
  const ids = parseRoster('large-roster.csv', readFileSync(FILES.rosterCsv)).rows.map((r) => String(r.idRaw));
  const samples = timeRuns(runs, warmup, () => services.ctx.db, (db) => {
    const lookup = db.prepare('SELECT * FROM approved_people WHERE id_number = ?');
    let found = 0;
    for (const id of ids) if (lookup.get(id)) found++;
    check(found === ids.length, `found ${found} of ${ids.length}`);
  });
  return samples.finally(() => services.close());
}

function verifyFigure(withParsing: boolean): Figure {
  return {
    id: withParsing ? 'verify-file' : 'verify-rows',
    title: `verify a ${ROSTER_ROWS.toLocaleString('en')}-row roster against the list and a 100,000-certificate ledger (${withParsing ? 'CSV file parsed, as verify-roster does' : 'rows already parsed'})`,
    baselineTitle: LOOKUP_BASELINE,
    runs: 9,
    rounds: 3,
    warmup: 2,
    target: { maxRatio: 3, ...(withParsing ? {} : { maxMs: 150 }), maxRssMb: MAX_RSS_MB },
    needs: ['large', 'verifyDb'],
    async measure(side, runs, warmup) {
      if (side === 'baseline') return { samplesMs: await lookupBaseline(runs, warmup) };
      const services = openServices(FILES.verifyDb, benchClock);
      const bytes = readFileSync(FILES.rosterCsv);
      const parsed = parseRoster('large-roster.csv', bytes);
      const rule = loadSettings(services.ctx.db).certNoRules[SENIOR] ?? null;
      let passed = 0;
      try {
        const samplesMs = await timeRuns(runs, warmup, () => ({ ctx: services.ctx, upload: new Uint8Array(bytes) }), async ({ ctx, upload }) => {
          const results = withParsing
            ? await verifyRosterFile(ctx, 'large-roster.csv', upload)
            : verifyRoster(parsed.rows, parsed.present, verificationContext(ctx, rule));
          passed = results.filter((r) => r.verdict === 'pass').length;
        });
        check(passed === ROSTER_ROWS, `${passed} of ${ROSTER_ROWS} rows passed`);
        if (!withParsing) return { samplesMs };
        // For the README's breakdown: reading the file alone, in its worker thread as the app does.
        const parseMs = await timeRuns(3, 0, () => new Uint8Array(bytes), (upload) => parseRosterFile('large-roster.csv', upload));
        const inProcessMs = await timeRuns(3, 0, () => null, () => parseRoster('large-roster.csv', bytes));
        return { samplesMs, detail: { parseInWorkerMs: Math.round(median(parseMs)), parseInProcessMs: Math.round(median(inProcessMs)) } };
      } finally {
        services.close();
      }
    },
  };
}

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

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const FIGURES: readonly Figure[] = [
  importFigure('import-csv', 'CSV', FILES.listCsv, 'large-approved-list.csv', 2000),
  importFigure('import-xlsx', '.xlsx', FILES.listXlsx, 'large-approved-list.xlsx'),
  verifyFigure(false),
  verifyFigure(true),
  sealFigure,
  chainFigure,
  pdfFigure,
  firstScreenFigure,
];
