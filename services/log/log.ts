import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { BackgroundTask, LogEntry, LogLevel, TaskFailure } from '../../core/contract/log';
import { officeTimestamp } from '../../core/time';

/**
 * The app's log: structured lines (JSON, one per line) in a rotating file beside the database,
 * `logs/<name>.log` with `<name>.log.1` … `.5` before it. A packaged Windows app has no console,
 * so whatever goes wrong in the background — a backup, a sync round, closing a day, an internal
 * error behind a call — is written here, where the administrator reads it from 设置.
 *
 * pino writes in this process (no worker-thread transport: a bundled, packaged app would have to
 * ship and locate the worker's files); rotating-file-stream rotates by size and keeps five old
 * files, so the log never grows without bound. The file is created by the first line: a command
 * that logs nothing leaves no log behind.
 */
export const LOG_FILE_SIZE = '5M';
export const LOG_FILES_KEPT = 5;

export const TASK_LABEL: Record<BackgroundTask, string> = {
  backup: '自动备份',
  sync: '与集中服务器同步',
  'day-close': '自动日结',
  'file-check': '数据文件完整性检查',
  host: '程序',
  call: '操作',
};

export interface AppLog {
  /** The folder the log files are in. */
  readonly dir: string;
  info(task: BackgroundTask, message: string): void;
  warn(task: BackgroundTask, message: string, error?: unknown): void;
  error(task: BackgroundTask, message: string, error?: unknown): void;
  /** A background task failed: logged, and shown in the header until the same task succeeds again. */
  taskFailed(task: BackgroundTask, message: string, error?: unknown): void;
  taskSucceeded(task: BackgroundTask): void;
  failures(): TaskFailure[];
  /** The newest entries first, read from the files (after what is still being written has reached them). */
  recent(limit: number, minLevel?: LogLevel): Promise<LogEntry[]>;
  close(): Promise<void>;
}

const LEVEL_RANK: Record<LogLevel, number> = { info: 30, warn: 40, error: 50 };

export function logDirFor(dbPath: string): string {
  return join(dirname(dbPath), 'logs');
}

function logNameFor(dbPath: string): string {
  return `${basename(dbPath, extname(dbPath))}.log`;
}

/** Opens the log of the database at `dbPath`; `timestamp` is the office clock (DOMAIN.md §15). */
export function openLog(dbPath: string, officeTime: () => string, options: { size?: string; kept?: number } = {}): AppLog {
  // The office's zone is a setting in the database; a log line about a broken database must still get a time.
  const timestamp = () => {
    try {
      return officeTime();
    } catch {
      return officeTimestamp(new Date());
    }
  };
  const dir = logDirFor(dbPath);
  const name = logNameFor(dbPath);
  const kept = options.kept ?? LOG_FILES_KEPT;
  const failures = new Map<BackgroundTask, TaskFailure>();
  let stream: RotatingFileStream | null = null;
  let logger: Logger | null = null;
  let broken = false;
  // Lines handed to the file stream and not yet written, and who waits for them (recent, close).
  let pending = 0;
  let waiting: (() => void)[] = [];
  const written = () => {
    pending--;
    if (pending > 0) return;
    const waiters = waiting;
    waiting = [];
    for (const resolve of waiters) resolve();
  };

  const writer = (): Logger | null => {
    if (logger || broken) return logger;
    try {
      mkdirSync(dir, { recursive: true });
      // Classic rotation: the generator gets the rotation's number (none for the current file).
      const opened = createStream((index: number | Date) => (typeof index === 'number' && index > 0 ? `${name}.${index}` : name), { path: dir, size: options.size ?? LOG_FILE_SIZE, rotate: kept });
      // A log that cannot be written (disk full, no permission) must never stop the counter.
      opened.on('error', () => {
        broken = true;
        pending = 1;
        written();
      });
      stream = opened;
      const destination = {
        write(line: string) {
          pending++;
          return opened.write(line, written);
        },
      };
      logger = pino({
        base: { pid: process.pid },
        messageKey: 'message',
        timestamp: () => `,"time":"${timestamp()}"`,
        formatters: { level: (label) => ({ level: label }) },
      }, destination);
    } catch {
      broken = true;
    }
    return logger;
  };

  const write = (level: LogLevel, task: BackgroundTask, message: string, error?: unknown): void => {
    const target = writer();
    if (!target) return;
    try {
      if (error === undefined) target[level]({ task }, message);
      else target[level]({ task, err: error instanceof Error ? error : new Error(describeValue(error)) }, message);
    } catch {
      // Never the reason a call or a background task fails.
    }
  };

  /** Until every line written so far is in the file. */
  const settled = (): Promise<void> => (pending === 0 || broken ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)));

  return {
    dir,
    info: (task, message) => write('info', task, message),
    warn: (task, message, error) => write('warn', task, message, error),
    error: (task, message, error) => write('error', task, message, error),
    taskFailed(task, message, error) {
      write('error', task, message, error);
      failures.set(task, { task, label: TASK_LABEL[task], message, at: timestamp() });
    },
    taskSucceeded(task) {
      failures.delete(task);
    },
    failures: () => [...failures.values()],
    async recent(limit, minLevel = 'info') {
      await settled();
      const entries: LogEntry[] = [];
      for (let index = 0; index <= kept && entries.length < limit; index++) {
        const path = join(dir, index === 0 ? name : `${name}.${index}`);
        if (!existsSync(path)) continue;
        const lines = readFileSync(path, 'utf8').split('\n');
        for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
          const entry = parseLine(lines[i]!);
          if (entry && LEVEL_RANK[entry.level] >= LEVEL_RANK[minLevel]) entries.push(entry);
        }
      }
      return entries;
    },
    async close() {
      const current = stream;
      await settled();
      stream = null;
      logger = null;
      if (!current || current.destroyed) return;
      await new Promise<void>((resolve) => current.end(() => resolve()));
    },
  };
}

/** One line of the file as the viewer shows it; a line cut short by a crash or written by hand is skipped. */
function parseLine(line: string): LogEntry | null {
  if (!line.trim()) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { time, level, task, message, err } = raw as Record<string, unknown>;
  if (typeof time !== 'string' || typeof message !== 'string' || (level !== 'info' && level !== 'warn' && level !== 'error')) return null;
  const detail = typeof err === 'object' && err !== null ? describeError(err as Record<string, unknown>) : null;
  return { time, level, task: typeof task === 'string' ? task : '', message, detail };
}

function describeError(err: Record<string, unknown>): string {
  const stack = typeof err.stack === 'string' ? err.stack : null;
  const message = typeof err.message === 'string' ? err.message : '';
  return stack ?? message;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
