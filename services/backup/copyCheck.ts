import Database from 'better-sqlite3';
import { nativeBindingOption, SCHEMA_VERSION, type Db } from '../../db/database';
import { verifyRegister, type RegisterUnderCheck } from '../register/chain';

/**
 * Whether a copy of the data file — a backup about to replace the day's, or one about to be
 * restored — is a good seal-counter database: it opens, SQLite's integrity check is ok, it is of a
 * version this program reads, and its register's hash chain and signatures verify. Kept apart from
 * the rest of the backups so that the hourly check can run in a worker thread of its own
 * (copyCheckWorker.ts): on a register of millions of entries it takes the better part of a minute.
 */

export interface DatabaseFileReport extends RegisterSize {
  schemaVersion: number;
}

/** What the hourly backup's worker is given and answers (copyCheckWorker.ts). */
export interface CopyCheckRequest {
  path: string;
  workstation: { id: string; publicKey: Uint8Array };
}

export type CopyCheckReply =
  | { ok: true; report: DatabaseFileReport }
  | { ok: false; failed: string }
  | { ok: false; message: string; code: string | null };

/** Whose signatures a copy is checked against: the live workstation for a backup, the file's own (tied to this workstation's key file) for a restore. */
export type ChainCheck = { workstation: RegisterUnderCheck['workstation'] } | { workstationOf: (db: Db) => RegisterUnderCheck['workstation'] };

/** A file that is not a good seal-counter database; `reason` is a Chinese phrase. */
export class CheckFailed extends Error {}

/**
 * Opens `path` read-only and checks it is a good seal-counter database. Throws CheckFailed with
 * the reason. The file must be in rollback-journal mode (toSingleFile), so that opening it
 * read-only creates no -wal or -shm beside it.
 */
export function checkDatabaseFile(path: string, chain: ChainCheck | null): DatabaseFileReport {
  let db: Db;
  try {
    db = new Database(path, { ...nativeBindingOption(), readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CheckFailed(`无法打开（${describeIoError(error)}）`);
  }
  try {
    const problems = (db.pragma('integrity_check(5)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') throw new CheckFailed(`已损坏，SQLite 完整性检查发现问题：${problems.join('；')}`);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const hasRegister = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'register_entries'").get() !== undefined;
    if (schemaVersion < 1 || !hasRegister) throw new CheckFailed('不是签章窗口的数据文件（其中没有印章使用登记簿）');
    if (schemaVersion > SCHEMA_VERSION) {
      throw new CheckFailed(`由更新版本的签章窗口创建（数据版本 ${schemaVersion}，本程序支持到 ${SCHEMA_VERSION}），请升级本程序后再恢复`);
    }
    const size = registerSize(db);
    if (chain) {
      // A copy is checked on its own: the witness beside the live file describes the live register.
      const report = verifyRegister({ db, workstation: 'workstation' in chain ? chain.workstation : chain.workstationOf(db) }, 'not-applicable');
      if (!report.intact) throw new CheckFailed(`的登记簿哈希链校验未通过：${report.firstBreak.message}`);
      if (report.count !== size.entryCount) throw new CheckFailed(`的登记簿校验了 ${report.count} 条，但其中有 ${size.entryCount} 条`);
    }
    return { schemaVersion, ...size };
  } catch (error) {
    throw asCheckFailed(error);
  } finally {
    db.close();
  }
}

/** A copy about to be checked: made one self-contained file, then checked. */
export function checkCandidate(path: string, chain: ChainCheck | null): DatabaseFileReport {
  try {
    toSingleFile(path);
  } catch (error) {
    throw asCheckFailed(error);
  }
  return checkDatabaseFile(path, chain);
}

/** SQLite's “not a database” and “malformed” errors, met while checking a copy, are a failed check. */
function asCheckFailed(error: unknown): unknown {
  if (error instanceof CheckFailed) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') return new CheckFailed('不是 SQLite 数据库文件，不是签章窗口的数据文件');
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) return new CheckFailed(`已损坏（SQLite：${(error as Error).message}）`);
  return error;
}

export interface RegisterSize {
  entryCount: number;
  lastSeq: number;
  /** The hash of entry lastSeq: a backup whose last entry the live register holds unchanged is its prefix. */
  lastHash: string | null;
  lastBatchNo: number;
}

export function registerSize(db: Db): RegisterSize {
  const row = db.prepare('SELECT count(*) AS n, coalesce(max(seq), 0) AS last FROM register_entries').get() as { n: number; last: number };
  const lastHash = (db.prepare('SELECT hash FROM register_entries WHERE seq = ?').pluck().get(row.last) as string | undefined) ?? null;
  const lastBatchNo = (db.prepare('SELECT max(batch_no) FROM batches').pluck().get() as number | null) ?? 0;
  return { entryCount: row.n, lastSeq: row.last, lastHash, lastBatchNo };
}

/**
 * The online backup copies the live file's header, which says WAL. Switching the copy to a
 * rollback journal makes it one self-contained file that opens read-only without side files;
 * openDatabase switches a restored file back to WAL.
 */
export function toSingleFile(path: string): void {
  const db = new Database(path, { ...nativeBindingOption(), fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

export function describeIoError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOSPC':
    case 'EFBIG':
    case 'SQLITE_FULL':
      return `磁盘已满或文件超出允许的大小：${message}`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'SQLITE_READONLY':
      return `没有写入权限：${message}`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `该路径已被一个文件占用，不是文件夹：${message}`;
    case 'ENOENT':
      return `文件不存在：${message}`;
    case 'EISDIR':
      return `这是一个文件夹，不是文件：${message}`;
    case 'SQLITE_CANTOPEN':
      return `无法创建或打开文件：${message}`;
    default:
      if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) return `读写磁盘出错（磁盘可能已满）：${message}`;
      return message;
  }
}
