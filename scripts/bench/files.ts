import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { Inflate } from 'fflate';
import { openWorkbook } from '../../core/files/readSheet';
import { parseApprovedList } from '../../core/lists/approvedList';
import { officeDate, officeTimestamp } from '../../core/time';
import { parseRoster } from '../../core/verify/roster';
import { verifyRoster } from '../../core/verify/verifyRoster';
import { parseRosterFile } from '../../services/files/untrustedFiles';
import { importList } from '../../services/lists/lists';
import { openServices } from '../../services/open';
import { loadSettings } from '../../services/settings/settings';
import { verificationContext, verifyRosterFile } from '../../services/visits/visits';
import { BENCH_NOW, benchClock, FILES, LARGE_DIR, LIST_ROWS, removeDb, ROSTER_ROWS, scratchPath, SENIOR } from './data';
import { check, MAX_RSS_MB, median, timeRuns, type Figure } from './measure';

/**
 * The figures of reading files: importing the 100,000-row list (CSV and .xlsx) and verifying a
 * roster file, each beside the bare database work; reading the .xlsx to rows beside the floor of
 * inflating its parts and scanning the text once (and SheetJS); a 3,000-row .xls beside SheetJS.
 */

// ---------------------------------------------------------------------------------------------
// Importing the approved list

const INSERT_LIST = `INSERT INTO approved_lists (approval_doc, title, certificate_type, source_file, row_count, imported_at) VALUES (?, ?, ?, ?, ?, ?)`;
const INSERT_PERSON = `INSERT INTO approved_people (list_id, line, id_number, name, gender, work_unit, department, major, qualification,
  level, approved_on, lang_requirement, management_no, approval_doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function importFigure(id: string, format: 'CSV' | '.xlsx', file: string, fileName: string, maxMs?: number, maxRssMb = MAX_RSS_MB): Figure {
  return {
    id,
    title: `import a ${LIST_ROWS.toLocaleString('en')}-row approved list (${format})`,
    baselineTitle: 'the same rows inserted by a bare better-sqlite3 loop in one transaction',
    runs: 5,
    rounds: 1,
    warmup: 1,
    target: { maxRatio: 2, ...(maxMs ? { maxMs } : {}), maxRssMb },
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
// Reading a workbook to rows

/** A .xlsx part's compressed bytes, found through the central directory (the floor's own reading, kept apart from ours). */
function zipParts(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let at = view.getUint32(eocd + 16, true);
  const parts: Uint8Array[] = [];
  for (let i = view.getUint16(eocd + 10, true); i > 0; i--) {
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (name.endsWith('.xml') || name.endsWith('.rels')) parts.push(bytes.subarray(start, start + view.getUint32(at + 20, true)));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return parts;
}

/** The floor: inflate every XML part as the reader does (fflate, in pieces) and look at every "<" of the decoded text once. */
function inflateAndScan(bytes: Uint8Array): number {
  let tags = 0;
  for (const part of zipParts(bytes)) {
    const decoder = new TextDecoder();
    const inflater = new Inflate((chunk) => {
      const text = decoder.decode(chunk, { stream: true });
      for (let p = text.indexOf('<'); p !== -1; p = text.indexOf('<', p + 1)) tags++;
    });
    for (let at = 0; at < part.length; at += 32 * 1024) inflater.push(part.subarray(at, at + 32 * 1024), at + 32 * 1024 >= part.length);
  }
  return tags;
}

function sheetjsRows(bytes: Uint8Array): number {
  const book = XLSX.read(bytes, { type: 'array', dense: true });
  return XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]!]!, { header: 1 }).length;
}

const readXlsx: Figure = {
  id: 'read-xlsx',
  title: `read the ${LIST_ROWS.toLocaleString('en')}-row .xlsx to rows (in process, no worker)`,
  baselineTitle: 'the floor: inflating its XML parts and scanning the decoded text once',
  runs: 6,
  rounds: 2,
  warmup: 1,
  target: { maxRatio: 1.5, maxRssMb: MAX_RSS_MB },
  needs: ['large'],
  async measure(side, runs, warmup) {
    const bytes = readFileSync(FILES.listXlsx);
    if (side === 'baseline') {
      let tags = 0;
      const samplesMs = await timeRuns(runs, warmup, () => null, () => { tags = inflateAndScan(bytes); });
      check(tags > LIST_ROWS * 10, `${tags} tags`);
      // SheetJS, for the README (one run: it takes several seconds).
      const sheetjsMs = await timeRuns(1, 0, () => null, () => check(sheetjsRows(bytes) === LIST_ROWS + 1, 'SheetJS rows'));
      return { samplesMs, detail: { sheetjsMs: Math.round(sheetjsMs[0]!) } };
    }
    let rows = 0;
    const samplesMs = await timeRuns(runs, warmup, () => null, () => { rows = openWorkbook('large-approved-list.xlsx', bytes).read(0).rows.length; });
    check(rows === LIST_ROWS + 1, `read ${rows} rows`);
    return { samplesMs };
  },
};

const XLS_ROWS = 3_000;

/** A 3,000-row .xls of the list's first rows, written by SheetJS's BIFF8 writer (made once, kept beside the large files). */
function roster3000Xls(): Uint8Array {
  const path = join(LARGE_DIR, 'roster-3000.xls');
  if (!existsSync(path)) {
    const lines = readFileSync(FILES.listCsv, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).slice(0, XLS_ROWS + 1).map((line) => line.split(','));
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(lines), '名单');
    writeFileSync(path, XLSX.write(book, { type: 'buffer', bookType: 'xls' }) as Buffer);
  }
  return readFileSync(path);
}

const readXls: Figure = {
  id: 'read-xls',
  title: `read a ${XLS_ROWS.toLocaleString('en')}-row .xls to rows (in process)`,
  baselineTitle: 'SheetJS (@e965/xlsx 0.20) reading the same file to rows',
  runs: 15,
  rounds: 3,
  warmup: 3,
  target: { maxRatio: 1, maxRssMb: MAX_RSS_MB },
  needs: ['large'],
  async measure(side, runs, warmup) {
    const bytes = roster3000Xls();
    let rows = 0;
    const samplesMs = side === 'baseline'
      ? await timeRuns(runs, warmup, () => null, () => { rows = sheetjsRows(bytes); })
      : await timeRuns(runs, warmup, () => null, () => { rows = openWorkbook('roster-3000.xls', bytes).read(0).rows.length; });
    check(rows === XLS_ROWS + 1, `read ${rows} rows`);
    return { samplesMs };
  },
};

/** Registered in FIGURES (figures.ts), one line each. */
export const FILE_FIGURES = {
  importCsv: importFigure('import-csv', 'CSV', FILES.listCsv, 'large-approved-list.csv', 2000),
  importXlsx: importFigure('import-xlsx', '.xlsx', FILES.listXlsx, 'large-approved-list.xlsx', undefined, 200),
  verifyRows: verifyFigure(false),
  verifyFile: verifyFigure(true),
  readXlsx,
  readXls,
};
