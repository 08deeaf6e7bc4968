import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { HubKeyStatementSchema, keyFingerprint, signHubKeyStatement, verifiedHubKey, type HubKeyStatement } from '../core/hub/answer';
import { UserError } from '../core/errors';
import type { Ed25519KeyPair } from '../core/register/signing';
import { officeTimestamp } from '../core/time';
import { openHubDb, type HubDb, type Queryable } from './db';
import { createKeyFile, KEY_FILES, publicKeyBase64, readKeyFile, type KeyKind } from './keys';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './postgres/embedded';

/**
 * Where a hub keeps what it needs, and opening it. A hub is a PostgreSQL database plus two key
 * files. `--data DIR` names the hub's folder: the key files (hub-key.json, province-key.json
 * until the administrator moves it away), hub.json with the database URL when the province's own
 * server is used, and otherwise the hub's own PostgreSQL in DIR/postgres. `--database-url` names
 * the province's server directly (the key files then by --hub-key and --province-key).
 */
export interface HubLocation {
  dataDir: string | null;
  databaseUrl: string | null;
  answerKeyPath: string | null;
  provinceKeyPath: string | null;
}

export interface Hub {
  db: HubDb;
  location: HubLocation;
  provincePublicKey: Uint8Array;
  /** The province's statement that names the answer key: served to workstations, which pin it. */
  hubKey: HubKeyStatement;
  /** Set when the hub runs its own PostgreSQL. */
  embedded: EmbeddedPostgres | null;
  now: () => Date;
  /** The hub's clock as stored and shown: office time with its offset. */
  timestamp(): string;
  close(): Promise<void>;
}

const CONFIG_FILE = 'hub.json';
const CONFIG_FORMAT = 'seal-counter-hub-config/1';
const ConfigSchema = z.object({ format: z.literal(CONFIG_FORMAT), databaseUrl: z.string().min(1) });
/** What marks a folder as a hub's: anything else in a non-empty folder means --data was mistyped. */
const MARKERS = [CONFIG_FILE, 'postgres', 'hub-key.json', 'province-key.json'];
const EMBEDDED_DATABASE = 'hub';

export function locateHub(values: { data?: string; 'database-url'?: string; 'hub-key'?: string; 'province-key'?: string }, env: NodeJS.ProcessEnv, command: string): HubLocation {
  const dataDir = values.data ? resolve(values.data) : null;
  let databaseUrl = values['database-url'] ?? env.SEAL_HUB_DATABASE_URL ?? null;
  if (!databaseUrl && dataDir && existsSync(join(dataDir, CONFIG_FILE))) databaseUrl = readConfig(dataDir).databaseUrl;
  if (!dataDir && !databaseUrl) {
    throw new UserError(`命令 ${command} 需要用 --data DIR 指定集中服务器的数据目录，或用 --database-url postgres://… 指定省厅的 PostgreSQL 数据库。`);
  }
  return {
    dataDir,
    databaseUrl,
    answerKeyPath: values['hub-key'] ? resolve(values['hub-key']) : dataDir ? join(dataDir, 'hub-key.json') : null,
    provinceKeyPath: values['province-key'] ? resolve(values['province-key']) : dataDir ? join(dataDir, 'province-key.json') : null,
  };
}

function readConfig(dataDir: string): z.infer<typeof ConfigSchema> {
  const path = join(dataDir, CONFIG_FILE);
  try {
    return ConfigSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    throw new UserError(`文件“${path}”已损坏或不是集中服务器的配置文件。`);
  }
}

function folderState(dataDir: string): 'missing' | 'empty' | 'hub' | 'other' {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return 'missing';
  }
  if (names.length === 0) return 'empty';
  return names.some((name) => MARKERS.includes(name)) ? 'hub' : 'other';
}

/** Who did it, as recorded with enrolments, revocations and publications. */
export interface Operator {
  /** As given with --operator; the login name otherwise. */
  name: string;
  osUser: string;
}

export function operatorOf(given: string | undefined): Operator {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = '（未知）';
  }
  return { name: given?.trim() || osUser, osUser };
}

export async function recordAdminAction(db: Queryable, at: string, action: string, operator: Operator, subject: string, fingerprint: string, detail: string): Promise<void> {
  await db.query('INSERT INTO admin_log (at, action, operator, os_user, subject, fingerprint, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)', [at, action, operator.name, operator.osUser, subject, fingerprint, detail]);
}

async function embeddedDatabase(dataDir: string, ifRunning: 'own' | 'attach'): Promise<{ server: EmbeddedPostgres; target: pg.ClientConfig }> {
  const server = await startEmbeddedPostgres({ clusterDir: join(dataDir, 'postgres'), passwordFile: join(dataDir, 'postgres-password'), watch: 'stdin', ifRunning });
  const admin = new pg.Client({ ...server.connection, database: 'postgres' });
  try {
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`).catch((error: { code?: string }) => {
      // Two commands on a new folder at once: the other one made it.
      if (error.code !== '42P04') throw error;
    });
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    await admin.end().catch(() => {});
  }
  return { server, target: { ...server.connection, database: EMBEDDED_DATABASE } };
}

export interface OpenOptions {
  /** 'serve' starts (and owns) the hub's own PostgreSQL; admin commands use the one running, if any. */
  role: 'serve' | 'admin';
  /** Whether a hub not yet initialised is initialised now (hub, hub-init, and an empty --data folder). */
  create: boolean;
  now: () => Date;
  operator?: Operator;
}

/**
 * Checks the --data folder and makes it when it may be made. Returns whether a hub that is not
 * initialised yet may be initialised: asked for, or the folder is new and empty.
 */
export function prepareFolder(location: HubLocation, create: boolean): boolean {
  const { dataDir } = location;
  if (!dataDir) return create;
  const state = folderState(dataDir);
  if (state === 'other' || (state === 'missing' && !create)) {
    const what = location.databaseUrl ? '集中服务器的密钥文件' : `集中服务器的数据（${MARKERS.join('、')}）`;
    throw new UserError(`目录“${dataDir}”中没有${what}。请检查 --data 是否写错；新建集中服务器请运行 seal-counter hub-init --data ${dataDir}（或指定一个空目录）。`);
  }
  try {
    // 0711: the hub's own PostgreSQL runs as another user (postgres, when the hub is root) that
    // must pass through; the files in it are owner-only.
    mkdirSync(dataDir, { recursive: true, mode: 0o711 });
    chmodSync(dataDir, 0o711);
  } catch (error) {
    throw new UserError(`无法创建集中服务器数据目录“${dataDir}”：${(error as Error).message}`);
  }
  if (location.databaseUrl && !existsSync(join(dataDir, CONFIG_FILE))) {
    writeFileSync(join(dataDir, CONFIG_FILE), `${JSON.stringify({ format: CONFIG_FORMAT, databaseUrl: location.databaseUrl }, null, 2)}\n`, { mode: 0o600 });
  }
  // An empty folder made for the purpose is taken as a new hub, as before.
  return create || state === 'empty';
}

export interface OpenDatabase {
  db: HubDb;
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

/** The hub's database: the province's server, or the hub's own PostgreSQL in the folder. */
export async function openDatabase(location: HubLocation, role: 'serve' | 'admin', options: { migrate: boolean }): Promise<OpenDatabase> {
  if (location.databaseUrl) {
    const db = await openHubDb(location.databaseUrl, { migrate: options.migrate });
    return { db, embedded: null, close: () => db.close() };
  }
  const opened = await embeddedDatabase(location.dataDir!, role === 'serve' ? 'own' : 'attach');
  try {
    const db = await openHubDb(opened.target, { migrate: options.migrate });
    return { db, embedded: opened.server, close: async () => { await db.close(); await opened.server.stop(); } };
  } catch (error) {
    await opened.server.stop();
    throw error;
  }
}

export async function openHub(location: HubLocation, options: OpenOptions): Promise<Hub> {
  const create = prepareFolder(location, options.create);
  const opened = await openDatabase(location, options.role, { migrate: true });
  const { db, embedded } = opened;
  const close = () => opened.close();
  const timestamp = () => officeTimestamp(options.now());
  try {
    const { provincePublicKey, hubKey } = await loadOrInitialise(db, location, create, timestamp(), options.operator ?? operatorOf(undefined));
    return { db, location, provincePublicKey, hubKey, embedded, now: options.now, timestamp, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function meta(db: Queryable, key: string): Promise<string | undefined> {
  return (await db.one<{ value: string }>('SELECT value FROM hub_meta WHERE key = $1', [key]))?.value;
}

function keyPathOf(location: HubLocation, kind: KeyKind): string {
  const path = kind === 'province' ? location.provinceKeyPath : location.answerKeyPath;
  if (!path) throw new UserError(`需要用 ${kind === 'province' ? '--province-key' : '--hub-key'} FILE 指定${KEY_FILES[kind].label}文件（或用 --data DIR）。`);
  return path;
}

/**
 * The public keys the database records. A new hub gets them here: the province key (made, or
 * read from the file the administrator brought), the answer key (made, or read), and the
 * province's statement naming the answer key.
 */
async function loadOrInitialise(db: HubDb, location: HubLocation, create: boolean, at: string, operator: Operator): Promise<{ provincePublicKey: Uint8Array; hubKey: HubKeyStatement }> {
  return db.transaction(async (tx) => {
    // One initialisation at a time (two nodes started on a new database).
    await tx.query('SELECT pg_advisory_xact_lock(517002)');
    const recordedProvince = await meta(tx, 'province_public_key');
    const recordedStatement = await meta(tx, 'hub_key_statement');
    if (recordedProvince && recordedStatement) {
      const hubKey = HubKeyStatementSchema.parse(JSON.parse(recordedStatement));
      const provincePublicKey = new Uint8Array(Buffer.from(recordedProvince, 'base64'));
      if (!verifiedHubKey(hubKey, provincePublicKey)) throw new UserError('数据库中记载的集中服务器应答公钥没有有效的省级签名，数据库可能被改动。');
      return { provincePublicKey, hubKey };
    }
    if (!create) {
      throw new UserError(`集中服务器的数据库尚未初始化。请先运行 seal-counter hub-init${location.dataDir ? ` --data ${location.dataDir}` : ' --database-url … --hub-key FILE --province-key FILE'}。`);
    }
    const provincePath = keyPathOf(location, 'province');
    const answerPath = keyPathOf(location, 'answer');
    const province: Ed25519KeyPair = existsSync(provincePath) ? readKeyFile('province', provincePath) : createKeyFile('province', provincePath, at);
    const answer: Ed25519KeyPair = existsSync(answerPath) ? readKeyFile('answer', answerPath) : createKeyFile('answer', answerPath, at);
    const hubKey = signHubKeyStatement(answer.publicKey, at, province.privateKey);
    await tx.query("INSERT INTO hub_meta (key, value) VALUES ('province_public_key', $1), ('hub_key_statement', $2)", [publicKeyBase64(province.publicKey), JSON.stringify(hubKey)]);
    await recordAdminAction(tx, at, 'init', operator, '集中服务器', keyFingerprint(province.publicKey), `应答公钥指纹 ${keyFingerprint(answer.publicKey)}`);
    return { provincePublicKey: province.publicKey, hubKey };
  });
}

/** The province key pair, for hub-publish only; refused unless it is the one the database records. */
export function loadProvinceKey(hub: Hub): Ed25519KeyPair {
  const path = keyPathOf(hub.location, 'province');
  if (!existsSync(path)) {
    throw new UserError(`找不到省级私钥文件“${path}”，而数据库记载的省级公钥为 ${publicKeyBase64(hub.provincePublicKey)}。发布须用省级私钥：请用 --province-key 指定管理员保管的密钥文件；不要另建新密钥，否则各工作站将无法验证发布的名单。`);
  }
  const pair = readKeyFile('province', path);
  if (publicKeyBase64(pair.publicKey) !== publicKeyBase64(hub.provincePublicKey)) {
    throw new UserError(`省级私钥文件“${path}”不是本集中服务器的密钥：数据库记载的省级公钥为 ${publicKeyBase64(hub.provincePublicKey)}，文件中的为 ${publicKeyBase64(pair.publicKey)}。`);
  }
  return pair;
}

/** The answer key pair, for the serving process: the one the province's statement names. */
export function loadAnswerKey(hub: Hub): Ed25519KeyPair {
  const path = keyPathOf(hub.location, 'answer');
  const pair = readKeyFile('answer', path);
  if (publicKeyBase64(pair.publicKey) !== hub.hubKey.publicKey) {
    throw new UserError(`应答私钥文件“${path}”不是本集中服务器的应答密钥：数据库记载的应答公钥为 ${hub.hubKey.publicKey}，文件中的为 ${publicKeyBase64(pair.publicKey)}。各节点须使用同一份 hub-key.json。`);
  }
  return pair;
}
