import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordsHash, signBatch, workstationIdOf, type BatchPayload, type SignedBatch } from '../../core/register/batch';
import { attachmentsDigestOf, recordCanonical, type AttachedRecord } from '../../core/register/records';
import { GENESIS_HASH, registerEntryHash, type HashedRegisterEntry, type RegisterEntry } from '../../core/register/entries';
import { signRequest } from '../../core/hub/signedRequest';
import { generateEd25519KeyPair, type Ed25519KeyPair } from '../../core/register/signing';
import { runCommandLine } from '../../cli/command';
import { HUB_COMMANDS } from '../../hub/cli';
import pg from 'pg';
import { createHubClient, type HubClient, type HubClientSettings } from '../../services/sync/hubClient';
import { newTestDatabase, processAlive } from './postgres';

/**
 * Test support for the hub: a real hub process (the documented CLI command) on a real PostgreSQL
 * (tests/support/postgres.ts), the admin commands, and a workstation simulated from a generated
 * key with the real batch format (core/register/batch.ts).
 */
export const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES_DIR = join(REPO_DIR, '..', 'shared', 'fixtures');
const TSX = join(REPO_DIR, 'node_modules', '.bin', 'tsx');
const CLI = join(REPO_DIR, 'cli', 'main.ts');

const madeDirs: string[] = [];

/** For each test file's last afterAll, once its hubs have stopped. */
export async function removeTempDirs(): Promise<void> {
  for (const pool of pools.values()) await pool.end();
  pools.clear();
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A hub folder on a new database of the shared test PostgreSQL, initialised (hub-init): every
 * command given `--data DIR` then uses that database (DIR/hub.json), as a node of a province's
 * hub would.
 */
export async function hubFolder(label = 'hub'): Promise<string> {
  const dir = tempDir();
  const run = await runHubInProcess(['hub-init', '--data', dir, '--database-url', await newTestDatabase(label)]);
  if (run.code !== 0) throw new Error(`hub-init failed: ${run.stderr}`);
  return dir;
}

/** The hub's answer public key, from its key file (what a workstation pins). */
export function answerKeyOf(dataDir: string): Uint8Array {
  return new Uint8Array(Buffer.from((JSON.parse(readFileSync(join(dataDir, 'hub-key.json'), 'utf8')) as { publicKey: string }).publicKey, 'base64'));
}

export function tempDir(prefix = 'seal-hub-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/**
 * Test folders come from mkdtemp, mode 0700. A hub that runs its own PostgreSQL as root runs it
 * as the postgres user, who must pass through every folder above the hub's (the hub says so
 * and stops otherwise): the folder holding a test's hub folder is opened to passing through.
 */
function reachableParent(args: readonly string[]): void {
  const at = args.indexOf('--data');
  if (at < 0 || process.getuid?.() !== 0) return;
  const parent = dirname(resolve(args[at + 1]!));
  if (parent.startsWith(tmpdir()) && parent !== tmpdir()) chmodSync(parent, 0o711);
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('SEAL_COUNTER_CLOCK' in extra)) delete env.SEAL_COUNTER_CLOCK;
  return env;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `seal-counter ARGS…` to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  reachableParent(args);
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], { cwd: REPO_DIR, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs an admin command in this process, through the same entry the CLI uses, capturing what it
 * prints: the error cases need no process of their own (the real CLI is exercised elsewhere).
 */
// console is one per process: two commands in flight at once would capture each other's lines.
let inProcess: Promise<unknown> = Promise.resolve();

export function runHubInProcess(args: string[]): Promise<CliRun> {
  reachableParent(args);
  const run = inProcess.then(async () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (...values: unknown[]) => { out.push(values.join(' ')); };
    console.error = (...values: unknown[]) => { err.push(values.join(' ')); };
    try {
      const code = await runCommandLine([{ title: '', commands: HUB_COMMANDS }], args, {});
      return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
    } finally {
      console.log = log;
      console.error = error;
    }
  });
  inProcess = run.catch(() => {});
  return run;
}

export interface HubProcess {
  url: string;
  dataDir: string;
  /** The key its answers are signed with. */
  answerPublicKey: Uint8Array;
  child: ChildProcess;
  /** Everything the hub wrote to stderr so far (its refusal log). */
  stderr(): string;
  /** SIGTERM, and the exit code once it has stopped. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
}

/**
 * Starts `seal-counter hub --listen 127.0.0.1:0 --data DIR` and reads the address it prints.
 * `listen` names a fixed address instead, to restart a hub where its workstations expect it;
 * `args` adds options (TLS, trusted proxies, limits).
 */
export function startHub(dataDir: string, env: Record<string, string> = {}, listen = '127.0.0.1:0', args: string[] = []): Promise<HubProcess> {
  reachableParent(['--data', dataDir]);
  return new Promise((resolve, reject) => {
    // Its own process group: tsx runs the hub in a child node process, and SIGKILL (which tsx
    // cannot relay) must reach that process, not just tsx.
    const child = spawn(TSX, [CLI, 'hub', '--listen', listen, '--data', dataDir, ...args], { cwd: REPO_DIR, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`hub did not start in time\n${stdout}\n${stderr}`)); }, 60_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`hub exited with ${code} before listening\n${stdout}\n${stderr}`)); });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /监听地址 (https?:\/\/\S+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        dataDir,
        answerPublicKey: answerKeyOf(dataDir),
        child,
        stderr: () => stderr,
        // To tsx alone, which relays it to the hub (a signal to the group would reach the hub twice).
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
          await exited;
          await embeddedServerGone(dataDir);
        },
      });
    });
  });
}

/**
 * A hub that ran its own PostgreSQL (no hub.json) has it stopped by its guardian once the hub is
 * gone; a folder is removed only after that.
 */
async function embeddedServerGone(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : null;
  // PostgreSQL removes its pid file a moment before its last process ends; both are waited for.
  const running = () => existsSync(pidFile) || (pid !== null && processAlive(pid));
  for (let waited = 0; running() && waited < 30_000; waited += 50) await new Promise((done) => setTimeout(done, 50));
}

const pools = new Map<string, pg.Pool>();

function poolFor(dataDir: string): pg.Pool {
  const { databaseUrl } = JSON.parse(readFileSync(join(dataDir, 'hub.json'), 'utf8')) as { databaseUrl: string };
  let pool = pools.get(databaseUrl);
  if (!pool) {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pools.set(databaseUrl, pool);
  }
  return pool;
}

/** Reads the hub's database directly, as an auditor would, to count what is really stored: the first column of the first row. */
export async function hubRows(dataDir: string, sql: string, ...params: unknown[]): Promise<number> {
  const { rows } = await poolFor(dataDir).query<Record<string, unknown>>(sql, params);
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

export async function hubQuery<T>(dataDir: string, sql: string, ...params: unknown[]): Promise<T[]> {
  return (await poolFor(dataDir).query(sql, params)).rows as T[];
}

/** How many refusals of `reason` the hub counted (for `workstationId`, when given). */
export async function refusalCount(dataDir: string, reason: string, workstationId?: string): Promise<number> {
  return workstationId === undefined
    ? hubRows(dataDir, 'SELECT coalesce(sum(count), 0) FROM refusal_counts WHERE reason = $1', reason)
    : hubRows(dataDir, 'SELECT coalesce(sum(count), 0) FROM refusal_counts WHERE reason = $1 AND workstation_id = $2', reason, workstationId);
}

export interface CertificateSeal {
  certNo: string;
  idNumber: string;
  name: string;
  qualification: string;
  reissue?: boolean;
  replacesCertNo?: string | null;
}

let visitCounter = 0;

/**
 * A workstation as the hub sees it: a key pair, a hash-chained register and batches signed with
 * the key. Two instances made from one key pair model a register restored from an old copy.
 */
export class TestWorkstation {
  readonly id: string;
  private readonly entries: HashedRegisterEntry[] = [];
  private readonly records: AttachedRecord[] = [];
  private batched = 0;
  private batchNo = 0;
  readonly batches: BatchPayload[] = [];

  constructor(readonly officeName: string, readonly keys: Ed25519KeyPair = generateEd25519KeyPair(), private readonly unit = '四川华西集团有限公司') {
    this.id = workstationIdOf(keys.publicKey);
  }

  /** The file a workstation exports for enrolment (seal-counter-workstation-key/1). */
  writeKeyFile(dir: string): string {
    const path = join(dir, `${this.id}.json`);
    writeFileSync(path, JSON.stringify({
      format: 'seal-counter-workstation-key/1',
      workstationId: this.id,
      publicKey: Buffer.from(this.keys.publicKey).toString('base64'),
      officeName: this.officeName,
      exportedAt: '2026-11-24T09:00:00+08:00',
    }));
    return path;
  }

  private append(fields: Partial<RegisterEntry> = {}, records: readonly string[] = []): HashedRegisterEntry {
    const seq = this.entries.length + 1;
    const entry: RegisterEntry = {
      seq,
      at: `2026-11-24T09:${String(seq % 60).padStart(2, '0')}:00+08:00`,
      kind: '签章',
      correctsSeq: null,
      sealId: 'senior-steel',
      sealName: '高级职务资格证书专用章',
      sealKind: '钢印',
      documentKind: '证书',
      count: 1,
      unit: this.unit,
      agentName: '王建国',
      agentPhone: '13800138000',
      slipNo: 'QZ2025-0001',
      purpose: '2025年度高级工程师证书签章',
      clerk: '李静',
      clerkAccount: 'lijing',
      approver: '张伟',
      signMethod: '现场签字',
      remarks: '',
      visitId: ++visitCounter,
      attachmentsDigest: attachmentsDigestOf(records),
      prevHash: this.entries.at(-1)?.hash ?? GENESIS_HASH,
      ...fields,
    };
    const hashed = { ...entry, hash: registerEntryHash(entry) };
    for (const canonical of records) this.records.push({ entrySeq: seq, canonical });
    this.entries.push(hashed);
    return hashed;
  }

  /** Register entries with no certificate attached (e.g. 登记表 sealed). */
  addEntries(count: number, fields: Partial<RegisterEntry> = {}): this {
    for (let i = 0; i < count; i++) this.append(fields);
    return this;
  }

  /** One entry for one certificate, bound into the certificate ledger as the app binds it. */
  seal(certificate: CertificateSeal): this {
    const seq = this.entries.length + 1;
    const at = `2026-11-24T09:${String(seq % 60).padStart(2, '0')}:00+08:00`;
    this.append({ at }, [recordCanonical({
      kind: 'certificate',
      certNo: certificate.certNo,
      idNumber: certificate.idNumber,
      name: certificate.name,
      qualification: certificate.qualification,
      approvalDoc: '川职改〔2025〕12号',
      unit: this.unit,
      visitId: visitCounter + 1,
      sealedAt: at,
      reissue: certificate.reissue ?? false,
      replacesCertNo: certificate.replacesCertNo ?? null,
    })]);
    return this;
  }

  /** Day close: seals everything since the last batch into a signed batch. */
  closeBatch(): BatchPayload {
    const entries = this.entries.slice(this.batched);
    if (entries.length === 0) throw new Error('nothing to batch');
    const firstSeq = this.batched + 1;
    const seqs = new Set(entries.map((e) => e.seq));
    const records = this.records.filter((r) => seqs.has(r.entrySeq));
    const batch: SignedBatch = signBatch({
      workstationId: this.id,
      batchNo: ++this.batchNo,
      firstSeq,
      lastSeq: firstSeq + entries.length - 1,
      entryCount: entries.length,
      prevHash: this.entries[this.batched - 1]?.hash ?? GENESIS_HASH,
      lastHash: entries.at(-1)!.hash,
      recordsHash: recordsHash(records),
      createdAt: '2026-11-24T17:30:00+08:00',
    }, this.keys.privateKey);
    this.batched = this.entries.length;
    const payload = { batch, entries, records };
    this.batches.push(payload);
    return payload;
  }

  /**
   * A client of this workstation for the hub, which it trusts by the hub's answer key. Given a
   * bare address, it takes the key from the hub's statement when first used (as an office that
   * has not pinned it yet would, less the province's signature check: tests/sync covers that).
   */
  client(hub: HubProcess | string, options: Partial<HubClientSettings> = {}): HubClient {
    const make = (baseUrl: string, answerPublicKey: Uint8Array | null) => createHubClient({ baseUrl, answerPublicKey, workstationId: this.id, privateKey: this.keys.privateKey, now: () => new Date(), ...options });
    if (typeof hub !== 'string') return make(hub.url, hub.answerPublicKey);
    if (options.answerPublicKey !== undefined) return make(hub, options.answerPublicKey);
    let client: Promise<HubClient> | null = null;
    const ready = () => client ??= (async () => {
      // A hub that does not answer in time is left to the client's own time-out to report.
      const statement = await fetch(`${hub}/v1/hub-key`, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) })
        .then((r) => r.json() as Promise<{ hubKey: { publicKey: string } }>, () => null);
      return make(hub, statement ? new Uint8Array(Buffer.from(statement.hubKey.publicKey, 'base64')) : null);
    })();
    return {
      health: async () => (await ready()).health(),
      hubKey: async () => (await ready()).hubKey(),
      pushBatch: async (payload) => (await ready()).pushBatch(payload),
      state: async () => (await ready()).state(),
      conflicts: async (etag) => (await ready()).conflicts(etag),
      publications: async (have, etag) => (await ready()).publications(have, etag),
    };
  }

  /** Headers for a request signed by this workstation, for tests that need to control them. */
  sign(method: string, pathWithQuery: string, body: Uint8Array, at = new Date(), nonce?: string): Record<string, string> {
    return signRequest({ workstationId: this.id, signer: { privateKey: this.keys.privateKey }, method, pathWithQuery, body, at, ...(nonce ? { nonce } : {}) });
  }
}

/** Enrols through the documented admin command, as the province administrator would (in this process: it is quicker). */
export async function enrol(dataDir: string, workstation: TestWorkstation, ...flags: string[]): Promise<CliRun> {
  const run = await runHubInProcess(['hub-enroll', '--data', dataDir, workstation.writeKeyFile(tempDir('seal-key-')), ...flags]);
  if (run.code !== 0) throw new Error(`hub-enroll failed: ${run.stderr}`);
  return run;
}

/** A deep copy, for tampering without touching the original. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
