import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseApprovedList } from '../../core/lists/approvedList';
import { recordsHash, signBatch } from '../../core/register/batch';
import { GENESIS_HASH, registerEntryCanonical, sha256Hex, type HashedRegisterEntry, type RegisterEntry } from '../../core/register/entries';
import { attachmentsDigestOf, NO_ATTACHMENTS_DIGEST, recordCanonical, type AttachedRecord, type CertificateRecord, type LedgerRecord } from '../../core/register/records';
import { entrySignatureMessage } from '../../core/register/tip';
import { parseRoster } from '../../core/verify/roster';
import { SettingsSchema, type Settings } from '../../core/settings/settings';
import { SCHEMA_VERSION } from '../../db/database';
import { migrations } from '../../db/migrations';

import { importList } from '../../services/lists/lists';
import { importReference } from '../../services/settings/reference';
import { openServices } from '../../services/open';
import { workstationKeyPathFor, registerWitnessPathFor } from '../../services/paths';
import { signRegisterTip } from '../../services/register/entries';
import { updateWitness } from '../../services/register/integrity';
import { saveSettings } from '../../services/settings/settings';
import { officeDate } from '../../core/time';

/**
 * Set-up for the benchmark: the generated files and two prepared databases. None of it is timed;
 * the databases are kept in bench-data/cache between runs because the million-entry register
 * takes longer to build than most figures take to measure.
 */

export const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH_DIR = join(REPO_DIR, 'bench-data');
export const LARGE_DIR = join(BENCH_DIR, 'large');
export const CACHE_DIR = join(BENCH_DIR, 'cache');
export const TMP_DIR = join(BENCH_DIR, 'tmp');
const FIXTURES_DIR = join(REPO_DIR, '..', 'shared', 'fixtures');
const GENERATOR = join(FIXTURES_DIR, 'gen-large.mjs');

export const LIST_ROWS = 100_000;
export const ROSTER_ROWS = 5_000;
export const LEDGER_CERTIFICATES = 100_000;
/** Certificates per earlier visit in the ledger, so the ledger points at 1,000 register entries. */
const LEDGER_PER_VISIT = 100;
export const CHAIN_ENTRIES = 1_000_000;
export const DECADE_ENTRIES = 2_000_000;
export const DECADE_CERTIFICATES = 500_000;
export const PDF_ENTRIES = 1_000;

/** Bumped whenever what the cached databases hold changes, so an old cache is rebuilt. */
const CACHE_VERSION = 2;

export const FILES = {
  listCsv: join(LARGE_DIR, 'large-approved-list.csv'),
  listXlsx: join(LARGE_DIR, 'large-approved-list.xlsx'),
  rosterCsv: join(LARGE_DIR, 'large-roster.csv'),
  verifyDb: join(CACHE_DIR, 'verify.sqlite'),
  chainDb: join(CACHE_DIR, 'chain.sqlite'),
  decadeDb: join(CACHE_DIR, 'decade.sqlite'),
};

/** The counter's clock during the benchmark: a working morning after the generated lists were approved. */
export const BENCH_NOW = new Date('2026-11-24T09:30:00+08:00');
export const benchClock = () => BENCH_NOW;

export const SENIOR = '高级专业技术职务资格证书' as const;

/** A slip issued for the benchmark's sealing, signed by a signer authorised in the fixtures' signers.csv. */
export const BENCH_SLIP = { slipNo: 'QZ2026-9001', unit: '成都市人力资源和社会保障局', signer: '陈红阳' };

/** The fixtures' senior-certificate numbering rule, so verification checks numbers as an office would. */
export function senior14Settings(): Settings {
  return SettingsSchema.parse(JSON.parse(readFileSync(join(REPO_DIR, 'tests', 'fixtures', 'settings-senior14.json'), 'utf8')));
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** gen-large.mjs writes the same bytes for the same arguments, so its output is generated once. */
export function ensureLargeFiles(): void {
  if ([FILES.listCsv, FILES.listXlsx, FILES.rosterCsv].every((f) => existsSync(f))) return;
  log(`bench: generating ${LIST_ROWS} list rows and a ${ROSTER_ROWS}-row roster with gen-large.mjs …`);
  mkdirSync(LARGE_DIR, { recursive: true });
  const result = spawnSync(process.execPath, [GENERATOR, '--rows', String(LIST_ROWS), '--roster', String(ROSTER_ROWS), '--out', LARGE_DIR, '--xlsx'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`gen-large.mjs failed (exit ${result.status})`);
}

/** Migrations are still edited in place before the first release, so the key covers their text too. */
function cacheKey(name: string): string {
  const schema = createHash('sha256').update(migrations.map((m) => m.up).join('\n')).digest('hex').slice(0, 16);
  return JSON.stringify({ name, CACHE_VERSION, SCHEMA_VERSION, schema, LIST_ROWS, ROSTER_ROWS, LEDGER_CERTIFICATES, CHAIN_ENTRIES, DECADE_ENTRIES, DECADE_CERTIFICATES });
}

async function cached(path: string, build: (tmpPath: string) => void | Promise<void>, fresh: boolean): Promise<void> {
  const keyFile = `${path}.key`;
  const key = cacheKey(path);
  if (!fresh && existsSync(path) && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) return;
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${path}.building`;
  for (const p of [path, keyFile, tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(p, { force: true });
  await build(tmp);
  renameSync(tmp, path);
  for (const sidecar of [workstationKeyPathFor, registerWitnessPathFor]) if (existsSync(sidecar(tmp))) renameSync(sidecar(tmp), sidecar(path));
  writeFileSync(keyFile, key);
}

// ---------------------------------------------------------------------------------------------
// Register entries that look like the counter's own: a few seals, units and agents, one visit per
// two entries, a minute apart.

const UNITS = ['成都市人力资源和社会保障局', '四川省交通运输厅', '中铁二院工程集团有限责任公司', '四川省住房和城乡建设厅', '泸州老窖股份有限公司',
  '四川路桥建设集团股份有限公司', '绵阳市人力资源和社会保障局', '四川省卫生健康委员会', '中国五冶集团有限公司', '宜宾市人力资源和社会保障局'];
const AGENTS = ['李明', '王芳', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄婷'];
const CLERKS = ['王芳', '李娜', '周杰'];
const APPROVERS = ['何主任', '吴处长', ''];
const SEALS = [
  { sealId: 'senior-steel', sealName: '高级职务资格证书专用章', sealKind: '钢印', documentKind: '证书' },
  { sealId: 'exam-steel', sealName: '职称考试证书专用章', sealKind: '钢印', documentKind: '证书' },
  { sealId: 'exam-red', sealName: '职称考试证书专用章', sealKind: '红印', documentKind: '登记表' },
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Local time at +08:00, `minutes` after 2020-01-01 08:30, as the counter stores it. */
function benchTimestamp(minutes: number): string {
  const d = new Date(Date.UTC(2020, 0, 1, 8, 30) + minutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}+08:00`;
}

export function sampleEntry(seq: number, prevHash: string): RegisterEntry {
  const visitId = Math.ceil(seq / 2);
  const seal = SEALS[seq % SEALS.length]!;
  const unit = UNITS[visitId % UNITS.length]!;
  return {
    seq,
    at: benchTimestamp(seq),
    kind: '签章',
    correctsSeq: null,
    ...seal,
    count: 1 + (visitId % 120),
    unit,
    agentName: AGENTS[visitId % AGENTS.length]!,
    agentPhone: `138${pad(visitId % 100_000_000, 8)}`,
    slipNo: `QZ${2020 + Math.floor(seq / 200_000)}-${pad(visitId % 100_000, 5)}`,
    purpose: `高级专业技术职务资格证书签章（川职改〔2025〕${visitId % 200}号）`,
    clerk: CLERKS[visitId % CLERKS.length]!,
    clerkAccount: `clerk${visitId % CLERKS.length}`,
    approver: APPROVERS[visitId % APPROVERS.length]!,
    signMethod: '纸质登记表签字',
    remarks: seq % 5 === 0 ? `序号 ${seq % 40 + 1} 的警告经确认，理由：已核对原件` : '',
    visitId,
    attachmentsDigest: NO_ATTACHMENTS_DIGEST,
    prevHash,
  };
}

/** The row the app writes for an entry (services/register/entries.ts), for bare baselines and bulk set-up. */
export const INSERT_ENTRY = 'INSERT INTO register_entries (seq, canonical, hash, signature) VALUES (?, ?, ?, ?)';
export const INSERT_RECORD = 'INSERT INTO entry_records (entry_seq, record) VALUES (?, ?)';

/** Entries per signed day batch in the bulk registers: a busy counter day. */
const ENTRIES_PER_DAY = 300;

/**
 * Appends a valid register of `count` entries the way the app writes it — canonical bytes, hash,
 * the workstation's signature, the ledger records bound by their digest — with a signed batch for
 * every day but the last, which stays open as a counter's day does. The tip and the witness are
 * signed at the end (the app signs them with every sealing; bulk set-up does it once).
 */
function insertRegister(path: string, count: number, recordsFor: (seq: number) => LedgerRecord[] = () => [], onEntry?: (entry: HashedRegisterEntry) => void): void {
  const services = openServices(path, benchClock);
  const { ctx } = services;
  const db = ctx.db;
  db.pragma('synchronous = OFF');
  const insertEntry = db.prepare(INSERT_ENTRY);
  const insertRecord = db.prepare(INSERT_RECORD);
  const insertBatch = db.prepare(`INSERT INTO batches (batch_no, workstation_id, first_seq, last_seq, entry_count, prev_hash, last_hash, records_hash, created_at, signature)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let prevHash = GENESIS_HASH;
  let batchNo = 0;
  let dayStart = { seq: 1, prevHash };
  let dayRecords: AttachedRecord[] = [];
  db.transaction(() => {
    for (let seq = 1; seq <= count; seq++) {
      const records = recordsFor(seq).map(recordCanonical);
      const entry: RegisterEntry = { ...sampleEntry(seq, prevHash), attachmentsDigest: attachmentsDigestOf(records) };
      const canonical = registerEntryCanonical(entry);
      const hash = sha256Hex(canonical);
      insertEntry.run(seq, Buffer.from(canonical, 'utf8'), hash, Buffer.from(ctx.workstation.sign(entrySignatureMessage(ctx.workstation.id, hash))).toString('base64'));
      for (const record of records) {
        insertRecord.run(seq, record);
        dayRecords.push({ entrySeq: seq, canonical: record });
      }
      onEntry?.({ ...entry, hash });
      prevHash = hash;
      if (seq % ENTRIES_PER_DAY === 0 && count - seq >= ENTRIES_PER_DAY / 3) {
        const batch = signBatch({ workstationId: ctx.workstation.id, batchNo: ++batchNo, firstSeq: dayStart.seq, lastSeq: seq, entryCount: seq - dayStart.seq + 1,
          prevHash: dayStart.prevHash, lastHash: hash, recordsHash: recordsHash(dayRecords), createdAt: entry.at }, { sign: ctx.workstation.sign });
        insertBatch.run(batch.batchNo, batch.workstationId, batch.firstSeq, batch.lastSeq, batch.entryCount, batch.prevHash, batch.lastHash, batch.recordsHash, batch.createdAt, batch.signature);
        dayStart = { seq: seq + 1, prevHash: hash };
        dayRecords = [];
      }
    }
    signRegisterTip(ctx);
  })();
  updateWitness(ctx);
  services.close();
}

/** A migrated, empty database file made by the app itself. */
function createAppDatabase(path: string): void {
  openServices(path, benchClock).close();
}

/**
 * The 1,000,000-entry register: the app's schema, entries built with the app's own hash so that
 * the chain is intact.
 */
export function prepareChainDb(fresh: boolean): Promise<void> {
  return cached(FILES.chainDb, (path) => {
    log(`bench: building a ${CHAIN_ENTRIES.toLocaleString('en')}-entry register chain (set-up, cached in bench-data/cache) …`);
    createAppDatabase(path);
    insertRegister(path, CHAIN_ENTRIES);
  }, fresh);
}

/**
 * A counter with a ledger: the generated 100,000-row list imported by the app, the fixtures'
 * senior numbering rule and reference data, and `certificates` sealed over `entries` register
 * entries for listed people who are not on the roster (so the roster still passes), each bound
 * into its entry as the app binds it.
 */
async function buildLedgerDb(path: string, entries: number, certificates: number): Promise<void> {
  const services = openServices(path, benchClock);
  saveSettings(services.ctx.db, senior14Settings());
  for (const kind of ['slips', 'signers', 'holidays'] as const) await importReference(services.ctx.db, kind, `${kind}.csv`, readFileSync(join(FIXTURES_DIR, `${kind}.csv`)));
  // The slip each sealing in the benchmark presents (a scratch copy per run, so it is never used up).
  services.ctx.db.prepare('INSERT INTO issued_slips (slip_no, unit, year, issued_on) VALUES (?, ?, ?, ?)').run(BENCH_SLIP.slipNo, BENCH_SLIP.unit, 2026, '2026-01-05');
  await importList(services.ctx, 'large-approved-list.csv', new Uint8Array(readFileSync(FILES.listCsv)), {});
  services.close();

  const onRoster = new Set(parseRoster('large-roster.csv', readFileSync(FILES.rosterCsv)).rows.map((r) => String(r.idRaw)));
  const listed = parseApprovedList('large-approved-list.csv', readFileSync(FILES.listCsv), officeDate(BENCH_NOW)).rows.filter((r) => !onRoster.has(r.idNumber));
  insertRegister(path, entries, (seq) => {
    // Certificates spread evenly over the entries: the first of each share gets them.
    const first = Math.ceil(((seq - 1) * certificates) / entries);
    const end = Math.ceil((seq * certificates) / entries);
    const entry = sampleEntry(seq, GENESIS_HASH);
    return Array.from({ length: end - first }, (_, k): CertificateRecord => {
      const i = first + k;
      // Listed people first; past the list, people from other (not imported) lists.
      const person = listed[i];
      return {
        kind: 'certificate', certNo: `512024${pad(i % 22, 2)}${pad(Math.floor(i / 22) + 1, 6)}`, idNumber: person?.idNumber ?? `51010119${pad(i, 10)}`,
        name: person?.name ?? `某某${i % 1000}`, qualification: person?.qualification ?? '高级工程师', approvalDoc: person?.approvalDoc ?? '川职改〔2024〕12号',
        unit: entry.unit, visitId: entry.visitId, sealedAt: entry.at, reissue: false, replacesCertNo: null,
      };
    });
  });
}

/** The counter after a while of work: 100,000 certificates sealed at 1,000 earlier visits. */
export function prepareVerifyDb(fresh: boolean): Promise<void> {
  return cached(FILES.verifyDb, (path) => {
    log(`bench: importing the ${LIST_ROWS.toLocaleString('en')}-row list and building a ${LEDGER_CERTIFICATES.toLocaleString('en')}-certificate ledger (set-up, cached) …`);
    return buildLedgerDb(path, LEDGER_CERTIFICATES / LEDGER_PER_VISIT, LEDGER_CERTIFICATES);
  }, fresh);
}

/** Ten years of a busy counter: 2,000,000 register entries and 500,000 certificates. */
export function prepareDecadeDb(fresh: boolean): Promise<void> {
  return cached(FILES.decadeDb, (path) => {
    log(`bench: building ten years of a busy counter, ${DECADE_ENTRIES.toLocaleString('en')} entries and ${DECADE_CERTIFICATES.toLocaleString('en')} certificates (set-up, cached; several minutes the first time) …`);
    return buildLedgerDb(path, DECADE_ENTRIES, DECADE_CERTIFICATES);
  }, fresh);
}

/** A scratch copy of the prepared database for a figure that writes (sealing). */
export function scratchCopy(source: string, name: string): string {
  mkdirSync(TMP_DIR, { recursive: true });
  const path = join(TMP_DIR, `${name}-${process.pid}-${Date.now()}.sqlite`);
  // Opening and closing the last connection checkpoints any WAL left by a killed run into the
  // file, so the byte copy below is consistent.
  if (existsSync(`${source}-wal`)) new Database(source).close();
  copyFileSync(source, path);
  copyFileSync(workstationKeyPathFor(source), workstationKeyPathFor(path));
  copyFileSync(registerWitnessPathFor(source), registerWitnessPathFor(path));
  return path;
}

export function scratchPath(name: string): string {
  mkdirSync(TMP_DIR, { recursive: true });
  return join(TMP_DIR, `${name}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.sqlite`);
}

export function removeDb(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, workstationKeyPathFor(path), registerWitnessPathFor(path)]) rmSync(p, { force: true });
}
