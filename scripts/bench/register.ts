import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { registerEntryCanonical, registerEntryHash, sha256HexOfBytes } from '../../core/register/entries';
import { officeTimestamp } from '../../core/time';
import { parseRoster } from '../../core/verify/roster';
import { openServices } from '../../services/open';
import { checkRegister, verifyLiveRegister } from '../../services/register/chain';
import { listRegister } from '../../services/register/entries';
import { readWitness } from '../../services/register/witness';
import { createVisit, importRoster, sealVisit } from '../../services/visits/visits';
import {
  BENCH_NOW, BENCH_SLIP, benchClock, CHAIN_ENTRIES, DECADE_CERTIFICATES, DECADE_ENTRIES, FILES, INSERT_ENTRY, INSERT_RECORD, removeDb, ROSTER_ROWS,
  sampleEntry, scratchCopy, SENIOR,
} from './data';
import { check, MAX_RSS_MB, median, timeRuns, type Figure } from './measure';

/**
 * The register's figures: sealing a visit, the full chain walk, the check before every write,
 * and the register after ten years of a busy counter.
 */

/** Sealing a 5,000-certificate visit on a copy of `dbPath`, beside the same rows written bare. */
function sealFigure(id: string, dbName: 'verifyDb' | 'decadeDb', title: string): Figure {
  return {
    id,
    title,
    baselineTitle: 'the same rows written bare in one transaction: register entry, ledger records, visit_rows findings, visit',
    runs: 6,
    rounds: 3,
    warmup: 1,
    target: { maxRatio: 3, maxRssMb: MAX_RSS_MB },
    needs: ['large', dbName],
    async measure(side, runs, warmup) {
      const bytes = readFileSync(FILES.rosterCsv);
      // Set-up as the clerk does it: start the visit, import the roster; only sealing is timed.
      const setUp = async () => {
        const path = scratchCopy(FILES[dbName], 'seal');
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
}

/** Every entry's stored bytes, read in chunks outside the clock; the hashing alone is timed. */
function hashStoredEntries(db: Database.Database, afterSeq: number): { hashMs: number; count: number } {
  const page = db.prepare('SELECT seq, canonical, hash FROM register_entries WHERE seq > ? ORDER BY seq LIMIT ?').raw();
  let hashMs = 0;
  let last = afterSeq;
  let count = 0;
  for (;;) {
    const rows = page.all(last, 20_000) as [number, Buffer, string][];
    if (rows.length === 0) break;
    const start = performance.now();
    for (const [, bytes] of rows) sha256HexOfBytes(bytes);
    hashMs += performance.now() - start;
    check(sha256HexOfBytes(rows[0]![1]) === rows[0]![2], `canonical bytes of entry ${rows[0]![0]}`);
    count += rows.length;
    last = rows[rows.length - 1]![0];
  }
  return { hashMs, count };
}

const chain: Figure = {
  id: 'chain',
  title: `verify a ${CHAIN_ENTRIES.toLocaleString('en')}-entry register (校验登记簿: every entry, its ledger records, batches, tip, witness)`,
  baselineTitle: 'SHA-256 of each entry\'s stored canonical bytes, already in memory',
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
          check(report.intact, `chain reported broken: ${JSON.stringify(report)}`);
          count = report.count;
        });
        check(count === CHAIN_ENTRIES, `walked ${count} entries`);
        return { samplesMs };
      } finally {
        services.close();
      }
    }
    const db = new Database(FILES.chainDb, { readonly: true });
    const samplesMs: number[] = [];
    const readMs: number[] = [];
    for (let run = 0; run < warmup + runs; run++) {
      const { hashMs, count } = hashStoredEntries(db, 0);
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
    return { samplesMs, detail: { sqliteReadOnlyMs: Math.round(median(readMs)) } };
  },
};

const openDay: Figure = {
  id: 'open-day',
  title: `the check before every sealing and day close, on the ${CHAIN_ENTRIES.toLocaleString('en')}-entry register (the open day's entries, records, signatures; the last batch, tip, witness)`,
  baselineTitle: 'SHA-256 of the open day\'s stored canonical bytes, read bare',
  runs: 9,
  rounds: 3,
  warmup: 1,
  target: { maxMs: 50, maxRssMb: MAX_RSS_MB },
  needs: ['chainDb'],
  async measure(side, runs, warmup) {
    const services = openServices(FILES.chainDb, benchClock);
    try {
      const lastBatch = services.ctx.db.prepare('SELECT max(last_seq) FROM batches').pluck().get() as number;
      let count = 0;
      const samplesMs = await timeRuns(runs, warmup, () => services.ctx, (ctx) => {
        if (side === 'baseline') {
          const db = new Database(FILES.chainDb, { readonly: true });
          count = hashStoredEntries(db, lastBatch).count;
          db.close();
          return;
        }
        const report = checkRegister(ctx, 'open-day', readWitness(ctx.dbPath, ctx.workstation));
        check(report.intact, `open day reported broken: ${JSON.stringify(report)}`);
        count = report.count;
      });
      return { samplesMs, detail: { openDayEntries: count } };
    } finally {
      services.close();
    }
  },
};

const decadeRegisterPage: Figure = {
  id: 'decade-register-page',
  title: `open the register page on ten years of a busy counter (${DECADE_ENTRIES.toLocaleString('en')} entries): the newest 50, with their corrections, and the total`,
  baselineTitle: 'the newest 50 rows and the count, read bare',
  runs: 9,
  rounds: 3,
  warmup: 1,
  target: { maxRatio: 3, maxRssMb: MAX_RSS_MB },
  needs: ['decadeDb'],
  async measure(side, runs, warmup) {
    const services = openServices(FILES.decadeDb, benchClock);
    try {
      const bare = services.ctx.db.prepare('SELECT seq, canonical, hash FROM register_entries ORDER BY seq DESC LIMIT 50').raw();
      const total = services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck();
      let shown = 0;
      const samplesMs = await timeRuns(runs, warmup, () => null, () => {
        if (side === 'baseline') {
          shown = bare.all().length;
          total.get();
          return;
        }
        shown = listRegister(services.ctx.db, { offset: 0, limit: 50 }).entries.length;
      });
      check(shown === 50, `showed ${shown} entries`);
      return { samplesMs };
    } finally {
      services.close();
    }
  },
};

const decadeLedger: Figure = {
  id: 'decade-ledger',
  title: `look up 1,000 certificate numbers and 1,000 ID numbers in the ledger of ten years (${DECADE_CERTIFICATES.toLocaleString('en')} certificates), as verification and the ledger search do`,
  baselineTitle: 'the same lookups in a plain indexed table of the same rows',
  runs: 7,
  rounds: 2,
  warmup: 1,
  target: { maxRatio: 3, maxRssMb: MAX_RSS_MB },
  needs: ['decadeDb'],
  async measure(side, runs, warmup) {
    const db = new Database(FILES.decadeDb, { readonly: side === 'figure' });
    try {
      const sample = db.prepare('SELECT cert_no, id_number FROM certificates WHERE id % 500 = 0 LIMIT 1000').raw().all() as [string, string][];
      check(sample.length === 1000, `sampled ${sample.length}`);
      let byNo: Database.Statement;
      let byPerson: Database.Statement;
      if (side === 'figure') {
        byNo = db.prepare('SELECT * FROM certificates WHERE cert_no = ?');
        byPerson = db.prepare('SELECT * FROM certificates WHERE id_number = ?');
      } else {
        db.exec(`CREATE TEMP TABLE plain AS SELECT * FROM certificates; CREATE INDEX temp.plain_no ON plain(cert_no); CREATE INDEX temp.plain_person ON plain(id_number);`);
        byNo = db.prepare('SELECT * FROM plain WHERE cert_no = ?');
        byPerson = db.prepare('SELECT * FROM plain WHERE id_number = ?');
      }
      let found = 0;
      const samplesMs = await timeRuns(runs, warmup, () => null, () => {
        found = 0;
        for (const [certNo, idNumber] of sample) found += (byNo.get(certNo) ? 1 : 0) + (byPerson.get(idNumber) ? 1 : 0);
      });
      check(found === 2000, `found ${found} of 2,000`);
      return { samplesMs };
    } finally {
      db.close();
    }
  },
};

export const REGISTER_FIGURES = {
  seal: sealFigure('seal', 'verifyDb', `seal a ${ROSTER_ROWS.toLocaleString('en')}-certificate visit (synchronous=FULL; re-verification and the register check included)`),
  chain,
  openDay,
  decadeSeal: sealFigure('decade-seal', 'decadeDb', `seal a ${ROSTER_ROWS.toLocaleString('en')}-certificate visit after ten years (${DECADE_ENTRIES.toLocaleString('en')} entries, ${DECADE_CERTIFICATES.toLocaleString('en')} certificates)`),
  decadeRegisterPage,
  decadeLedger,
} satisfies Record<string, Figure>;
