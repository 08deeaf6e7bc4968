import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../core/errors';
import { migrations } from './migrations';

export type Db = Database.Database;

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

/**
 * Opens (and creates) the database file, refuses one written by a newer version of the app, and
 * applies pending migrations in one transaction.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    // Electron needs better-sqlite3 built for its own ABI; the start script builds that copy
    // separately and names it here, so the Node build used by tests and the CLI stays untouched.
    const nativeBinding = process.env.SEAL_COUNTER_SQLITE_BINDING;
    db = new Database(path, nativeBinding ? { nativeBinding } : {});
  } catch (error) {
    throw new UserError(`无法打开数据文件“${path}”：${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    // A sealed certificate is a physical act; its register line must survive a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new UserError(`文件“${path}”不是签章窗口的数据文件（或已损坏）。`);
    }
    throw error;
  }
}

function migrate(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new UserError(`数据文件“${path}”由更新版本的签章窗口创建（数据版本 ${current}，本程序支持到 ${SCHEMA_VERSION}），请升级本程序后再打开。为保护数据，本程序不会改动该文件。`);
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}
