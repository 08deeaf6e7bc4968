import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { workstationIdOf } from '../../core/register/batch';
import { UserError } from '../../core/errors';
import { backupsDirFor, dailyBackupName, isDailyBackupName, nativeBindingOption, openDatabase, SCHEMA_VERSION, type Db } from '../../db/database';
import { type ServiceContext } from '../context';
import { workstationKeyPathFor } from '../paths';
import { currentTip } from '../register/entries';
import { readWitness, writeWitness } from '../register/witness';
import { loadWorkstationIdentity, type WorkstationIdentity } from '../register/workstationKey';
import { officeTimestamp } from '../../core/time';
import { startScriptWorker } from '../files/scriptWorker';
import { CheckFailed, checkCandidate, checkDatabaseFile, describeIoError, registerSize, toSingleFile, type CopyCheckReply, type CopyCheckRequest, type DatabaseFileReport, type RegisterSize } from './copyCheck';

/**
 * Backups of the one database file, and restoring one of them.
 *
 * A backup is taken with SQLite's online backup API (safe while the counter is in use), written
 * to a temporary file in the backups folder, and checked before it may replace anything: it opens,
 * `integrity_check` is ok, it holds as many register entries as the live file, and its hash chain
 * verifies. Only then is it renamed over the day's file `seal-counter-YYYY-MM-DD.sqlite`. A
 * candidate that fails is deleted and the previous good backup stays.
 */

/** How many daily backups are kept; older ones (files named as dailyBackupName names them, nothing else) are deleted. */
export const KEEP_DAILY_BACKUPS = 30;

/** What backing up needs from the services: the live connection, where its file is, the clock, and whose register it is. */
export type BackupContext = Pick<ServiceContext, 'db' | 'dbPath' | 'clock' | 'workstation'>;

export interface BackupOptions {
  /** Copies the live database to `destination`. SQLite's online backup API; tests pass a faulty copier. */
  copy?: (db: Db, destination: string) => Promise<unknown>;
  /** How many daily backups to keep. */
  keep?: number;
}

export interface BackupResult {
  path: string;
  entryCount: number;
  lastSeq: number;
  /** Old daily backups deleted by the rotation. */
  removed: string[];
}

/** `<db dir>/backups/seal-counter-YYYY-MM-DD.sqlite` for the default database, by the office's date. */
export function dailyBackupPath(dbPath: string, date: string): string {
  return join(backupsDirFor(dbPath), dailyBackupName(dbPath, date));
}

const here = dirname(fileURLToPath(import.meta.url));

/** Makes a checked backup now and rotates the old ones. Throws a UserError saying what went wrong. */
export async function makeBackup(ctx: BackupContext, options: BackupOptions = {}): Promise<BackupResult> {
  const dir = backupsDirFor(ctx.dbPath);
  const target = dailyBackupPath(ctx.dbPath, ctx.clock.date());
  const nothingChanged = '未完成的备份文件已删除，数据文件和原有备份都没有改动。';
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw new UserError(`备份失败：无法使用备份文件夹“${dir}”（${describeIoError(error)}）。数据文件和原有备份都没有改动。`);
  }
  removeAbandonedTemporaries(dir);
  const temp = join(dir, `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const copy = options.copy ?? ((db: Db, destination: string) => db.backup(destination));
  let report: DatabaseFileReport;
  try {
    await copy(ctx.db, temp);
    report = await checkCopyInWorker(temp, ctx.workstation);
    if (report.schemaVersion !== SCHEMA_VERSION) throw new CheckFailed(`数据版本为 ${report.schemaVersion}，应为 ${SCHEMA_VERSION}`);
    // A sealing may land between the copy and this check: a backup is good when the live register
    // still holds its last entry unchanged, i.e. when it is a verified prefix of the live register.
    const liveHash = report.lastSeq === 0 ? null : (ctx.db.prepare('SELECT hash FROM register_entries WHERE seq = ?').pluck().get(report.lastSeq) as string | undefined) ?? null;
    if (report.lastSeq > 0 && liveHash !== report.lastHash) {
      throw new CheckFailed(`备份中的第 ${report.lastSeq} 号登记与数据文件中的不同，备份不是当前登记簿的前一部分`);
    }
    fsyncFile(temp);
    renameSync(temp, target);
    fsyncDirectory(dir);
  } catch (error) {
    removeDatabaseFiles(temp);
    if (error instanceof CheckFailed) {
      throw new UserError(`备份未通过检查，已丢弃，原有备份未被替换：${error.message}。${nothingChanged}`);
    }
    throw new UserError(`备份失败：${describeIoError(error)}（备份文件夹“${dir}”）。${nothingChanged}`);
  }
  return { path: target, entryCount: report.entryCount, lastSeq: report.lastSeq, removed: rotateBackups(ctx.dbPath, options.keep ?? KEEP_DAILY_BACKUPS) };
}

/**
 * checkCandidate in a worker thread: on a ten-year register the integrity check and the chain walk
 * take the better part of a minute, which the counter's host must not spend unresponsive every
 * hour. One thread serves the process's backups one after another (they never overlap: each is
 * awaited), started on the first and let go of when the process ends; only the public half of
 * the workstation's key crosses over.
 */
let copyChecker: Worker | null = null;

function checkCopyInWorker(path: string, workstation: WorkstationIdentity): Promise<DatabaseFileReport> {
  const request: CopyCheckRequest = { path, workstation: { id: workstation.id, publicKey: workstation.publicKey } };
  const worker = copyChecker ?? startScriptWorker(here, 'copyCheckWorker', {});
  copyChecker = worker;
  worker.ref();
  return new Promise<DatabaseFileReport>((resolve, reject) => {
    const answered = (reply: CopyCheckReply) => {
      stopListening();
      if (reply.ok) resolve(reply.report);
      else if ('failed' in reply) reject(new CheckFailed(reply.failed));
      else reject(Object.assign(new Error(reply.message), { code: reply.code }));
    };
    // Ending without an answer (a crash, the heap limit) is a failed check; the next backup starts a new thread.
    const ended = (error: unknown) => {
      stopListening();
      if (copyChecker === worker) copyChecker = null;
      reject(error instanceof Error ? error : new Error(`检查备份的线程意外退出（${String(error)}）`));
    };
    const stopListening = () => {
      worker.off('message', answered).off('error', ended).off('exit', ended);
      worker.unref();
    };
    worker.on('message', answered).on('error', ended).on('exit', ended);
    worker.postMessage(request);
  });
}

export type DailyBackupOutcome = { made: true; backup: BackupResult } | { made: false; path: string };

/**
 * The automatic backup. The rule: make today's backup if there is none yet, or if the register
 * has grown since it was made (its entry count or last sequence number differ from the live
 * register's; read from the backup file itself, so there is no sidecar to go stale). Hosts call
 * it at start-up and every hour, so a day's work is in a backup within the hour. Other changes
 * (an imported list, new settings) ride along with the next register change or the next day's
 * backup; the register is what cannot be redone.
 */
export async function runDailyBackup(ctx: BackupContext, options: BackupOptions = {}): Promise<DailyBackupOutcome> {
  const path = dailyBackupPath(ctx.dbPath, ctx.clock.date());
  if (existsSync(path)) {
    const live = registerSize(ctx.db);
    const saved = readRegisterSize(path);
    if (saved && saved.entryCount === live.entryCount && saved.lastSeq === live.lastSeq) return { made: false, path };
  }
  return { made: true, backup: await makeBackup(ctx, options) };
}

export interface AutomaticBackup {
  stop(): void;
}

/**
 * Starts the automatic backup: shortly after start-up, then every hour. It never blocks the
 * counter and never stops it: every outcome, failures included, goes to `log`.
 */
export function startAutomaticBackup(
  ctx: BackupContext,
  options: BackupOptions & { log?: (message: string, failed: boolean) => void; firstDelayMs?: number; intervalMs?: number } = {},
): AutomaticBackup {
  const log = options.log ?? ((message: string, failed: boolean) => (failed ? console.error(message) : console.log(message)));
  let running = false;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped) return;
    running = true;
    runDailyBackup(ctx, options).then(
      (outcome) => {
        if (outcome.made) log(`已备份数据文件：${outcome.backup.path}（${outcome.backup.entryCount} 条登记）。`, false);
      },
      (error: unknown) => {
        if (!stopped) log(`自动备份失败：${error instanceof Error ? error.message : String(error)}`, true);
      },
    ).finally(() => {
      running = false;
    });
  };
  const first = setTimeout(tick, options.firstDelayMs ?? 3_000);
  const hourly = setInterval(tick, options.intervalMs ?? 3_600_000);
  first.unref();
  hourly.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(hourly);
    },
  };
}

export interface RestoreResult {
  dbPath: string;
  restoredFrom: string;
  entryCount: number;
  /** The database that was in place, renamed (with its -wal and -shm files); never deleted. */
  keptAside: string[];
  /**
   * When the restored register is shorter than what the workstation had written (its witness) or
   * than what the hub holds: the entries and batches that must be fetched again or redone.
   */
  behind: RestoreGap | null;
}

export interface RestoreGap {
  restoredSeq: number;
  restoredBatchNo: number;
  /** How far the register had gone, as the witness beside the key remembered it. */
  writtenSeq: number;
  writtenBatchNo: number;
  /** The last batch the hub acknowledged. */
  hubBatchNo: number;
}

/** Says a RestoreGap in the administrator's words. */
export function describeRestoreGap(gap: RestoreGap): string {
  const batches = Math.max(gap.writtenBatchNo, gap.hubBatchNo) - gap.restoredBatchNo;
  const lines = [`恢复的备份截至第 ${gap.restoredSeq} 号登记、第 ${gap.restoredBatchNo} 批；本工作站此前已写到第 ${gap.writtenSeq} 号登记、第 ${gap.writtenBatchNo} 批。`];
  if (batches > 0) {
    lines.push(`有 ${batches} 个批次（第 ${gap.restoredBatchNo + 1}–${gap.restoredBatchNo + batches} 批）不在恢复后的数据文件中${gap.hubBatchNo > gap.restoredBatchNo ? `，其中集中服务器已收到至第 ${gap.hubBatchNo} 批，须从集中服务器取回` : ''}；其余须按纸质登记表重新办理。`);
  }
  if (gap.writtenSeq > gap.restoredSeq) lines.push(`第 ${gap.restoredSeq + 1}–${gap.writtenSeq} 号登记不在恢复后的数据文件中。`);
  return lines.join('');
}

/**
 * Puts `file` in place of the database at `dbPath`. The file is checked first (a seal-counter
 * database that opens, passes integrity_check, is not from a newer version and whose chain
 * verifies); the current database is refused if the app has it open, and is otherwise renamed to
 * `<name>.before-restore-<timestamp>.sqlite` with its -wal and -shm files, never deleted.
 *
 * It does not open the current database through openDatabase: that one may be the damaged file.
 */
export function restoreBackup(file: string, dbPath: string, now: () => Date = () => new Date()): RestoreResult {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = stat.size;
  } catch (error) {
    throw new UserError(`无法恢复：找不到备份文件“${file}”（${describeIoError(error)}）。数据文件没有改动。`);
  }
  if (size === 0) throw new UserError(`无法恢复：“${file}”是空文件，不是签章窗口的数据文件。数据文件没有改动。`);
  if (fileHasContent(`${file}-wal`)) {
    throw new UserError(`无法恢复：“${file}”旁边还有未并入的日志文件“${file}-wal”，单独使用该文件会丢失最后的登记（这通常是从正在运行的签章窗口直接复制出来的文件）。请改用 backups 文件夹中的备份：它们都是单个完整的文件。数据文件没有改动。`);
  }
  const dir = dirname(dbPath);
  // The candidate is a copy beside the database: what is checked is exactly what is put in place,
  // the chosen file is never written to, and the final rename stays on one disk.
  const temp = join(dir, `.${basename(dbPath)}.restore-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let report: DatabaseFileReport;
  try {
    try {
      mkdirSync(dir, { recursive: true });
      copyFileSync(file, temp);
    } catch (error) {
      throw new UserError(`无法恢复：复制“${file}”到“${dir}”失败（${describeIoError(error)}）。数据文件没有改动。`);
    }
    try {
      report = checkCandidate(temp, null);
      if (report.schemaVersion < SCHEMA_VERSION) {
        // A backup from an older version: bring the copy up to date, as opening it would.
        openDatabase(temp).close();
        toSingleFile(temp);
      }
      report = checkDatabaseFile(temp, { workstationOf: (db) => recordedWorkstation(db, dbPath) });
    } catch (error) {
      if (error instanceof CheckFailed) throw new UserError(`无法恢复：“${file}”${error.message}。数据文件没有改动。`);
      if (error instanceof UserError) throw new UserError(`无法恢复：无法把“${file}”升级到本程序的数据版本（${error.message}）。数据文件没有改动。`);
      throw new UserError(`无法恢复：检查“${file}”时出错（${describeIoError(error)}）。数据文件没有改动。`);
    }
    assertNotInUse(dbPath);
    fsyncFile(temp);
    const known = knownProgress(temp, dbPath);
    const keptAside = moveAside(dbPath, now());
    try {
      renameSync(temp, dbPath);
    } catch (error) {
      putBack(keptAside, dbPath);
      throw new UserError(`无法恢复：无法把备份放到“${dbPath}”（${describeIoError(error)}）。原数据文件已放回原处。`);
    }
    fsyncDirectory(dir);
    rewriteWitness(dbPath, officeTimestamp(now()));
    const behind = known && (known.seq > report.lastSeq || Math.max(known.lastBatchNo, known.hubBatchNo) > report.lastBatchNo)
      ? { restoredSeq: report.lastSeq, restoredBatchNo: report.lastBatchNo, writtenSeq: known.seq, writtenBatchNo: known.lastBatchNo, hubBatchNo: known.hubBatchNo }
      : null;
    return { dbPath, restoredFrom: file, entryCount: report.entryCount, keptAside, behind };
  } finally {
    removeDatabaseFiles(temp);
  }
}

/** How far this workstation's register had gone, as its witness remembers (checked with the key the candidate records). */
function knownProgress(candidate: string, dbPath: string): { seq: number; lastBatchNo: number; hubBatchNo: number } | null {
  const db = new Database(candidate, { ...nativeBindingOption(), readonly: true, fileMustExist: true });
  try {
    const workstation = recordedWorkstation(db, dbPath);
    const witness = readWitness(dbPath, workstation);
    return witness.kind === 'ok' ? witness.witness : null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/**
 * A restore is the administrator's deliberate choice of an older register: the witness beside the
 * key is written anew for it. What was lost is said by the restore, and the hub still holds every
 * batch it received: the sync reports them rather than push a second batch under their numbers.
 * A key kept in the desktop app's key store cannot sign here; the register check then says so.
 */
function rewriteWitness(dbPath: string, at: string): void {
  const db = new Database(dbPath, { ...nativeBindingOption(), fileMustExist: true });
  try {
    const workstation = loadWorkstationIdentity(db, dbPath, at);
    writeWitness(dbPath, workstation, currentTip({ db, workstation }), at, 'restored');
  } catch {
    // The restored file is in place either way; the register check will say what the witness lacks.
  } finally {
    db.close();
  }
}

/**
 * Refuses when any connection has the database open. In WAL mode `BEGIN EXCLUSIVE` alone does not
 * see readers; but every WAL connection holds a shared lock on the database file for as long as it
 * is open, and a connection in `locking_mode = EXCLUSIVE` must take an exclusive lock on that same
 * file to begin, so it gets SQLITE_BUSY while the app (even idle, even read-only, in this or another
 * process) has the file open. The lock is released before the rename (Windows cannot rename an
 * open file), so an app started in that instant is not caught: close the app before restoring.
 */
function assertNotInUse(dbPath: string): void {
  if (!existsSync(dbPath)) return;
  let db: Db | undefined;
  try {
    db = new Database(dbPath, { ...nativeBindingOption(), fileMustExist: true, timeout: 300 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new UserError(`无法恢复：签章窗口（或其他程序）正在使用数据文件“${dbPath}”。请先关闭签章窗口再恢复。数据文件没有改动。`);
    }
    // A file too damaged (or not a database at all) to be locked is no file the app can have open.
  } finally {
    // If the app crashed and left committed transactions in the -wal, closing this connection
    // checkpoints them into the file before it is set aside: the same content, nothing lost.
    db?.close();
  }
}

const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

function moveAside(dbPath: string, at: Date): string[] {
  if (!existsSync(dbPath)) return [];
  const stamp = officeTimestamp(at).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const stem = join(dirname(dbPath), basename(dbPath, extname(dbPath)));
  let aside = `${stem}.before-restore-${stamp}.sqlite`;
  for (let n = 2; SIDE_FILES.some((suffix) => existsSync(aside + suffix)); n++) aside = `${stem}.before-restore-${stamp}-${n}.sqlite`;
  const moved: string[] = [];
  try {
    for (const suffix of SIDE_FILES) {
      if (!existsSync(dbPath + suffix)) continue;
      renameSync(dbPath + suffix, aside + suffix);
      moved.push(aside + suffix);
    }
  } catch (error) {
    putBack(moved, dbPath);
    throw new UserError(`无法恢复：无法把当前数据文件“${dbPath}”移到一旁（${describeIoError(error)}）。数据文件没有改动。`);
  }
  return moved;
}

function putBack(moved: string[], dbPath: string): void {
  for (const path of moved) {
    const suffix = SIDE_FILES.find((s) => s !== '' && path.endsWith(s)) ?? '';
    try {
      renameSync(path, dbPath + suffix);
    } catch {
      // Left where it is, under its before-restore name: still never deleted.
    }
  }
}

/**
 * The workstation a database file belongs to, as it records it, for checking the file's own
 * signatures. When this workstation's key file sits beside `dbPath`, the file must be this
 * workstation's: a restored file whose identity does not match the key would not open.
 */
function recordedWorkstation(db: Db, dbPath: string): WorkstationIdentity {
  const row = db.prepare('SELECT id, public_key, created_at FROM workstation').get() as { id: string; public_key: string; created_at: string } | undefined;
  const publicKey = new Uint8Array(Buffer.from(row?.public_key ?? '', 'base64'));
  if (row && workstationIdOf(publicKey) !== row.id) throw new CheckFailed(`中记载的工作站身份（${row.id}）与其公钥不符，记录已被改动`);
  const keyPath = workstationKeyPathFor(dbPath);
  const here = keyFileWorkstation(keyPath);
  if (row && here && here !== row.id) {
    throw new CheckFailed(`是工作站 ${row.id} 的数据文件，而本机的工作站密钥“${keyPath}”属于 ${here}。恢复另一台工作站的数据时，须把那台工作站的密钥文件一并放到该位置（先把现有的移走保存）`);
  }
  const cannotSign = (): never => {
    throw new UserError('检查备份时不能签名。');
  };
  return { id: row?.id ?? '', publicKey, protection: 'owner-only-file', keyPath, createdAt: row?.created_at ?? '', sign: cannotSign };
}

function keyFileWorkstation(keyPath: string): string | null {
  try {
    const id = (JSON.parse(readFileSync(keyPath, 'utf8')) as { workstationId?: unknown }).workstationId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** The register size recorded in an existing backup, or null if it cannot be read. */
function readRegisterSize(path: string): RegisterSize | null {
  try {
    const db = new Database(path, { ...nativeBindingOption(), readonly: true, fileMustExist: true });
    try {
      return registerSize(db);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Deletes this database's daily backups beyond the newest `keep`; no other file. */
function rotateBackups(dbPath: string, keep: number): string[] {
  const dir = backupsDirFor(dbPath);
  let daily: string[];
  try {
    daily = readdirSync(dir).filter((name) => isDailyBackupName(dbPath, name)).sort().reverse();
  } catch {
    return []; // Rotated at the next backup.
  }
  const removed: string[] = [];
  for (const name of daily.slice(keep)) {
    try {
      rmSync(join(dir, name));
      removed.push(name);
    } catch {
      // Kept for the next rotation; an extra old backup harms nothing.
    }
  }
  return removed;
}

/**
 * Temporary files a backup left when the app was ended in the middle of one. Only those older than
 * an hour (file time, real clock): a younger one may belong to a backup running in another process.
 */
function removeAbandonedTemporaries(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!/^\..+\.\d+-[0-9a-f]{8}\.tmp(-wal|-shm|-journal)?$/.test(name)) continue;
    try {
      if (Date.now() - statSync(join(dir, name)).mtimeMs > 3_600_000) rmSync(join(dir, name), { force: true });
    } catch {
      // Tried again at the next backup.
    }
  }
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of SIDE_FILES) rmSync(path + suffix, { force: true });
}

function fileHasContent(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable. Windows cannot open a folder for fsync, and does not need to. */
function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: the file itself is already on disk.
  }
}

