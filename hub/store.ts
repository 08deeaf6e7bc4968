import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors';
import { generateEd25519KeyPair, publicKeyOf } from '../core/register/signing';
import { migrate, nativeBindingOption, type Db } from '../db/database';

import { hubMigrations } from './migrations';
import { officeTimestamp } from '../core/time';

/**
 * The hub's data folder: its own SQLite file (hub.sqlite) and the province key pair. The private
 * key is a separate file, never in the database, so a copy of the database (a backup, a file
 * handed over for an audit) cannot sign publications.
 */

export interface HubPaths {
  dataDir: string;
  dbPath: string;
  keyPath: string;
}

export function hubPaths(dataDir: string): HubPaths {
  return { dataDir, dbPath: join(dataDir, 'hub.sqlite'), keyPath: join(dataDir, 'province-key.json') };
}

export interface ProvinceKey {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export interface Hub {
  db: Db;
  paths: HubPaths;
  provinceKey: ProvinceKey;
  now: () => Date;
  /** The hub's clock as stored and shown: local time with its offset. */
  timestamp(): string;
  close(): void;
}

const KeyFileSchema = z.object({
  format: z.literal('seal-counter-province-key/1'),
  publicKey: z.string(),
  privateKey: z.string(),
  createdAt: z.string(),
});

/**
 * Opens the hub's data. `create` (the server, and hub-init) makes the folder, the database and
 * the key pair on first use. Admin commands make them only in an existing empty folder (one made
 * for the purpose): a mistyped --data names a folder that does not exist, or one that holds
 * something else, and is refused rather than quietly becoming a second hub with a new province key.
 */
export function openHub(dataDir: string, options: { create: boolean; now: () => Date }): Hub {
  const paths = hubPaths(dataDir);
  const isNew = !existsSync(paths.dbPath);
  if (options.create || (isNew && isEmptyDirectory(dataDir))) {
    try {
      // The hub holds every office's certificate ledger (names, ID numbers): owner-only.
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new UserError(`无法创建集中服务器数据目录“${dataDir}”：${(error as Error).message}`);
    }
  } else if (isNew) {
    throw new UserError(`目录“${dataDir}”中没有集中服务器的数据（hub.sqlite）。请检查 --data 是否写错；新建集中服务器请运行 seal-counter hub-init --data ${dataDir}（或指定一个空目录）。`);
  }
  if (isNew) writeFileSync(paths.dbPath, '', { mode: 0o600, flag: 'wx' });
  const db = openHubDatabase(paths.dbPath);
  try {
    const provinceKey = loadProvinceKey(db, paths, options.now());
    return { db, paths, provinceKey, now: options.now, timestamp: () => officeTimestamp(options.now()), close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

function isEmptyDirectory(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false;
  }
}

/** The same discipline as the workstation's database (db/database.ts), with the hub's own migrations. */
export function openHubDatabase(path: string): Db {
  let db: Db;
  try {
    db = new Database(path, nativeBindingOption());
  } catch (error) {
    throw new UserError(`无法打开集中服务器数据文件“${path}”：${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    // An accepted batch is acknowledged to the workstation, which may then stop resending it:
    // the acknowledgement must not outlive the data on a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The server and admin commands share the file; a writer waits for the other rather than failing.
    db.pragma('busy_timeout = 10000');
    migrate(db, path, hubMigrations, '集中服务器');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new UserError(`文件“${path}”不是集中服务器的数据文件（或已损坏）。`);
    throw error;
  }
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * The database remembers the province public key, so that a key file swapped or lost is noticed:
 * a new key would silently invalidate every workstation's trust in the hub's publications.
 */
function loadProvinceKey(db: Db, paths: HubPaths, now: Date): ProvinceKey {
  const recorded = (db.prepare("SELECT value FROM hub_meta WHERE key = 'province_public_key'").get() as { value: string } | undefined)?.value;
  if (!existsSync(paths.keyPath)) {
    if (recorded) {
      throw new UserError(`找不到省级私钥文件“${paths.keyPath}”，而数据库记载的省级公钥为 ${recorded}。请从备份恢复该文件；不要另建新密钥，否则各工作站将无法验证发布的名单。`);
    }
    const pair = generateEd25519KeyPair();
    const file = { format: 'seal-counter-province-key/1', publicKey: base64(pair.publicKey), privateKey: base64(pair.privateKey), createdAt: officeTimestamp(now) };
    // wx: two hubs started at once on a new folder must not overwrite each other's key.
    writeFileSync(paths.keyPath, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(paths.keyPath, 0o600);
    db.prepare("INSERT INTO hub_meta (key, value) VALUES ('province_public_key', ?)").run(file.publicKey);
    return pair;
  }
  let file: z.infer<typeof KeyFileSchema>;
  try {
    file = KeyFileSchema.parse(JSON.parse(readFileSync(paths.keyPath, 'utf8')));
  } catch {
    throw new UserError(`省级私钥文件“${paths.keyPath}”无法读取、已损坏或不是签章集中服务器的密钥文件。`);
  }
  const privateKey = new Uint8Array(Buffer.from(file.privateKey, 'base64'));
  if (privateKey.length !== 32 || base64(publicKeyOf(privateKey)) !== file.publicKey) {
    throw new UserError(`省级私钥文件“${paths.keyPath}”中的私钥与公钥不配对，文件已损坏。`);
  }
  if (recorded && recorded !== file.publicKey) {
    throw new UserError(`省级私钥文件“${paths.keyPath}”不是本集中服务器的密钥：数据库记载的省级公钥为 ${recorded}，文件中的为 ${file.publicKey}。`);
  }
  if (!recorded) db.prepare("INSERT INTO hub_meta (key, value) VALUES ('province_public_key', ?)").run(file.publicKey);
  if (process.platform !== 'win32' && (statSync(paths.keyPath).mode & 0o077) !== 0) {
    console.error(`警告：省级私钥文件“${paths.keyPath}”可被其他用户读取，请执行 chmod 600 “${paths.keyPath}”。`);
  }
  return { publicKey: publicKeyOf(privateKey), privateKey };
}
