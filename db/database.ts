import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors';
import { migrations } from './migrations';

export type Db = Database.Database;

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

/** Where the daily backups of the database at `dbPath` are kept (services/backup/backup.ts writes them). */
export function backupsDirFor(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

/**
 * A daily backup's file name: the database's own name and the local date, so the default
 * seal-counter.sqlite gives seal-counter-2026-11-24.sqlite and two databases in one folder never
 * share (or rotate away) each other's backups.
 */
export function dailyBackupName(dbPath: string, date: string): string {
  return `${databaseStem(dbPath)}-${date}.sqlite`;
}

export function isDailyBackupName(dbPath: string, name: string): boolean {
  const stem = databaseStem(dbPath);
  return name.startsWith(`${stem}-`) && /^\d{4}-\d{2}-\d{2}\.sqlite$/.test(name.slice(stem.length + 1));
}

function databaseStem(dbPath: string): string {
  return basename(dbPath).replace(/\.(sqlite3?|db)$/i, '');
}

/**
 * Files up to this size get SQLite's whole integrity check before they are opened: a few seconds
 * on an office PC. A larger one — ten years of a busy counter come near 3 GB, half a minute of
 * checking — is opened at once and checked in the background while the counter works
 * (services/instance/fileCheck.ts); the register takes no more writes once it is found damaged.
 */
export const CHECK_AT_OPEN_MAX_BYTES = 256 * 1024 * 1024;

/** Whether openDatabase checks this file whole before opening it (a new or empty file has nothing to check). */
export function checkedAtOpen(path: string, maxBytes = CHECK_AT_OPEN_MAX_BYTES): boolean {
  if (path === ':memory:') return true;
  try {
    return statSync(path).size <= maxBytes;
  } catch {
    return true;
  }
}

/**
 * Opens (and creates) the database file, refuses a damaged one or one written by a newer version
 * of the app, and applies pending migrations in one transaction.
 */
export function openDatabase(path: string, checkAtOpenMaxBytes = CHECK_AT_OPEN_MAX_BYTES): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // Checked through a read-only connection before anything else: a read-only connection never
  // writes the file (it does not even checkpoint a WAL into it), so a damaged file stays as it was.
  const checkNow = path !== ':memory:' && checkedAtOpen(path, checkAtOpenMaxBytes);
  const checkedReadOnly = checkNow && checkIntegrityReadOnly(path);
  let db: Db;
  try {
    db = new Database(path, nativeBindingOption());
  } catch (error) {
    throw new UserError(`无法打开数据文件“${path}”：${(error as Error).message}`);
  }
  try {
    // Only when a read-only connection could not be had (e.g. a rollback journal to replay).
    if (checkNow && !checkedReadOnly) assertIntact(db, path);
    db.pragma('journal_mode = WAL');
    // A sealed certificate is a physical act; its register line must survive a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw asUserError(error, path);
  }
}

// Electron needs better-sqlite3 built for its own ABI; the start script builds that copy
// separately and names it here, so the Node build used by tests and the CLI stays untouched.
export function nativeBindingOption(): Database.Options {
  const nativeBinding = process.env.SEAL_COUNTER_SQLITE_BINDING;
  return nativeBinding ? { nativeBinding } : {};
}

const preparedStatements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The statement for `sql` on this connection, prepared the first time it is asked for: lookups
 * that run once per roster row (thousands in a visit) would otherwise spend most of their time
 * preparing the same SQL again. A statement's mode (raw, pluck) is its callers' to set, and it
 * stays set: the same SQL should be asked for in one mode only.
 */
export function preparedOnce(db: Db, sql: string): Database.Statement {
  let statements = preparedStatements.get(db);
  if (!statements) preparedStatements.set(db, (statements = new Map<string, Database.Statement>()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** How many of SQLite's findings the message quotes. */
const PROBLEMS_SHOWN = 5;

/**
 * `PRAGMA integrity_check` on an existing, non-empty file through a read-only connection. Returns
 * false when no read-only connection could be had, so the caller checks on its own connection.
 */
function checkIntegrityReadOnly(path: string): boolean {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return true; // no file yet: a new database, nothing to check
  }
  if (size === 0) return true;
  let db: Db;
  try {
    db = new Database(path, { ...nativeBindingOption(), readonly: true, fileMustExist: true });
  } catch {
    return false;
  }
  try {
    assertIntact(db, path);
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_BUSY')) return false;
    throw asUserError(error, path);
  } finally {
    db.close();
  }
}

/** The pragma a background check runs too, so that both report the same findings. */
export const INTEGRITY_CHECK_PRAGMA = `integrity_check(${PROBLEMS_SHOWN})`;

function assertIntact(db: Db, path: string): void {
  const damage = damageFound(path, (db.pragma(INTEGRITY_CHECK_PRAGMA) as { integrity_check: string }[]).map((r) => r.integrity_check));
  if (damage) throw damage;
}

/**
 * SQLite's answer to the integrity check as the clerk's message, or null when the file is sound;
 * `protection` says what the app did about it (by default: left the file as it was).
 */
export function damageFound(path: string, findings: readonly string[], protection?: string): UserError | null {
  if (findings.length === 1 && findings[0] === 'ok') return null;
  // SQLite heads its report with "*** in database main ***"; one finding may span several lines.
  return damaged(path, findings.flatMap((p) => p.split('\n')).filter((line) => line.trim() !== '' && !/^\*\*\* in database/.test(line)), protection);
}

function restoreAdvice(path: string): string {
  const dir = backupsDirFor(path);
  let latest: string | undefined;
  try {
    latest = readdirSync(dir).filter((name) => isDailyBackupName(path, name)).sort().pop();
  } catch {
    // No backups folder: said below.
  }
  const example = latest ? `seal-counter restore "${join(dir, latest)}" --db "${path}"` : `seal-counter restore 备份文件 --db "${path}"`;
  return `请关闭签章窗口，用 seal-counter restore 恢复最近一次备份（备份在“${dir}”文件夹中${latest ? '' : '，目前那里没有备份，请找回别处保存的备份'}）：${example}。`;
}

/** What the app did about a damaged file, said before how to restore it. */
const LEFT_UNTOUCHED = '为保护数据，本程序没有改动该文件。';

function damaged(path: string, problems: string[], protection = LEFT_UNTOUCHED): UserError {
  const shown = problems.slice(0, PROBLEMS_SHOWN).map((p) => `  · ${p}`).join('\n');
  return new UserError(`数据文件“${path}”已损坏，SQLite 完整性检查（integrity_check）发现问题：\n${shown}\n${protection}${restoreAdvice(path)}`);
}

/** SQLite's “not a database” and “malformed” errors, met while opening, as a message the clerk can act on. */
function asUserError(error: unknown, path: string): unknown {
  if (error instanceof UserError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') {
    return new UserError(`文件“${path}”不是签章窗口的数据文件（或已损坏）。${LEFT_UNTOUCHED}${restoreAdvice(path)}`);
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) return damaged(path, [(error as Error).message]);
  return error;
}

/**
 * Applies the pending migrations in one transaction, after refusing a file from a newer version.
 * The hub's database (hub/store.ts) is migrated the same way, with its own list and program name.
 */
export function migrate(db: Db, path: string, list: readonly { version: number; up: string }[] = migrations, programName = '签章窗口'): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const supported = list[list.length - 1]!.version;
  if (current > supported) {
    throw new UserError(`数据文件“${path}”由更新版本的${programName}创建（数据版本 ${current}，本程序支持到 ${supported}），请升级本程序后再打开。为保护数据，本程序不会改动该文件。`);
  }
  const pending = list.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}
