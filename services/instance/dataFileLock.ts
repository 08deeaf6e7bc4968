import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../core/errors';
import { officeTimestamp } from '../../core/time';
import { nativeBindingOption, type Db } from '../../db/database';

/**
 * One program at a time writes a data file: the app (Electron or the loopback host) for as long
 * as it runs, or a command-line command that changes the data (import-list, close-day, …) for as
 * long as it runs. Two apps on one file would each keep their own idea of the signed-in clerk,
 * the open visit and the register's tip.
 *
 * The lock is an operating-system file lock that SQLite takes for us: a RESERVED lock
 * (`BEGIN IMMEDIATE`) on the empty file `<data file>.lock`, held by an open transaction that is
 * never committed. The system releases it when the process ends, however it ends (a crash, a
 * kill, a power cut), so a lock is never left behind by a program that is gone, on Windows as on
 * Linux — which a file holding a process id cannot promise. Who holds it is written beside it
 * (`<data file>.lock.json`) for the message the next program shows.
 */
export type LockHolderKind = 'electron' | 'loopback' | 'cli';

export interface LockHolder {
  kind: LockHolderKind;
  pid: number;
  startedAt: string;
  /** The loopback host's address, once it listens. */
  address: string | null;
  /** The command holding it, for the command line. */
  command: string | null;
}

export interface DataFileLock {
  /** Records the loopback host's address for the message a second start shows. */
  setAddress(address: string): void;
  release(): void;
}

const HOLDER_LABEL: Record<LockHolderKind, string> = { electron: '签章窗口', loopback: '签章窗口（浏览器窗口）', cli: '命令行' };

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

function holderPathFor(dbPath: string): string {
  return `${dbPath}.lock.json`;
}

/** The program holding the data file, or null when none does. */
export function dataFileHolder(dbPath: string): LockHolder | null {
  const probe = tryLock(dbPath, { mustExist: true });
  if (probe === 'absent') return null;
  if (probe !== 'held') {
    probe.close();
    return null;
  }
  return readHolder(dbPath) ?? { kind: 'loopback', pid: 0, startedAt: '', address: null, command: null };
}

/**
 * Takes the data file for this program, or refuses with one Chinese sentence naming who has it.
 * `refusal` says what the caller was about to do, e.g. “无法启动” or “import-list 会改动数据”.
 */
export function holdDataFile(dbPath: string, holder: { kind: LockHolderKind; command?: string }, refusal: string): DataFileLock {
  const taken = tryLock(dbPath, { mustExist: false });
  if (taken === 'held' || taken === 'absent') throw new UserError(refusalText(dbPath, readHolder(dbPath), refusal));
  const record: LockHolder = { kind: holder.kind, pid: process.pid, startedAt: officeTimestamp(new Date()), address: null, command: holder.command ?? null };
  writeHolder(dbPath, record);
  let released = false;
  return {
    setAddress(address) {
      if (released) return;
      record.address = address;
      writeHolder(dbPath, record);
    },
    release() {
      if (released) return;
      released = true;
      rmSync(holderPathFor(dbPath), { force: true });
      taken.close();
    },
  };
}

/** For a command that changes the data: refuses while the app (or another such command) holds the file. */
export function assertDataFileFree(dbPath: string, refusal: string): void {
  const holder = dataFileHolder(dbPath);
  if (holder) throw new UserError(refusalText(dbPath, holder, refusal));
}

function refusalText(dbPath: string, holder: LockHolder | null, refusal: string): string {
  if (!holder) return `${refusal}：另一个签章窗口程序正在使用数据文件“${dbPath}”。同一数据文件同时只能由一个程序使用，请先关闭它。`;
  const who = holder.kind === 'cli' && holder.command ? `命令行（${holder.command}）` : HOLDER_LABEL[holder.kind];
  const since = holder.startedAt ? `，自 ${holder.startedAt.slice(0, 16).replace('T', ' ')} 起` : '';
  const where = holder.address ? `，地址 ${holder.address}（在该地址打开的新窗口需要登录）` : '';
  const advice = holder.kind === 'cli' ? '请等该命令结束后再试' : '请切换到已打开的签章窗口，或先关闭它';
  return `${refusal}：${who}正在使用数据文件“${dbPath}”（进程 ${holder.pid}${since}${where}）。同一数据文件同时只能由一个程序使用，${advice}。`;
}

/** 'held' when another connection has the lock; 'absent' when there is no lock file and none may be made. */
function tryLock(dbPath: string, options: { mustExist: boolean }): Db | 'held' | 'absent' {
  if (options.mustExist && !existsSync(lockPathFor(dbPath))) return 'absent';
  let db: Db;
  try {
    if (!options.mustExist) mkdirSync(dirname(dbPath), { recursive: true });
    db = new Database(lockPathFor(dbPath), { ...nativeBindingOption(), timeout: 0, fileMustExist: options.mustExist });
  } catch (error) {
    // better-sqlite3 itself failing to load is no folder problem: say what it is.
    if ((error as { code?: unknown }).code === 'ERR_DLOPEN_FAILED') throw error;
    if (options.mustExist) return 'absent';
    throw new UserError(`无法在数据文件旁建立锁文件“${lockPathFor(dbPath)}”（${(error as Error).message}）。请检查该文件夹的写入权限。`);
  }
  try {
    // The journal in memory: holding the lock writes nothing beside the file.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN IMMEDIATE');
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'held';
    throw error;
  }
}

function writeHolder(dbPath: string, holder: LockHolder): void {
  const path = holderPathFor(dbPath);
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify(holder));
    renameSync(`${path}.tmp`, path);
  } catch {
    // Only the wording of another program's refusal depends on it.
  }
}

function readHolder(dbPath: string): LockHolder | null {
  try {
    const raw = JSON.parse(readFileSync(holderPathFor(dbPath), 'utf8')) as Partial<LockHolder>;
    if (raw.kind !== 'electron' && raw.kind !== 'loopback' && raw.kind !== 'cli') return null;
    return { kind: raw.kind, pid: Number(raw.pid) || 0, startedAt: String(raw.startedAt ?? ''), address: typeof raw.address === 'string' ? raw.address : null, command: typeof raw.command === 'string' ? raw.command : null };
  } catch {
    return null;
  }
}
