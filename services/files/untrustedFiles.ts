import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { ListOverrides, ParsedApprovedList } from '../../core/lists/approvedList';
import type { ParsedRoster } from '../../core/verify/roster';
import { ImportError } from '../../core/files/sheet';
import { startScriptWorker } from './scriptWorker';
import { unpackRows, type PackedRows } from './packRows';

/**
 * Files brought to the counter are untrusted. Each is parsed in a worker thread with bounded
 * memory and time, so a hostile file (a zip bomb, a million rows, a parser trap) costs a clear
 * error and leaves the app responsive, and nothing is written until the parse has succeeded.
 *
 * The workers are kept warm between files (starting one and loading the readers costs about as
 * much as parsing a large list), at most two run at once, and further files wait their turn in the
 * order they came. Each file has its own limits (the readers bound its size, unzipped bytes and
 * rows; the pool bounds its time and the worker's heap); a worker that breaks a limit is ended
 * and a fresh one takes its place. Whatever goes wrong inside a parser reaches the caller as an
 * ImportError with one Chinese sentence; the details go to the log, never to the clerk.
 */
export const PARSE_TIME_LIMIT_MS = 30_000;
const PARSE_HEAP_LIMIT_MB = 768;
const MAX_WORKERS = 2;

export type ParseRequest =
  | { kind: 'approvedList'; fileName: string; bytes: Uint8Array; today: string; overrides: ListOverrides }
  | { kind: 'roster'; fileName: string; bytes: Uint8Array };

export type ParseReply =
  | { ok: true; value: Omit<ParsedApprovedList, 'rows'> | Omit<ParsedRoster, 'rows'>; rows: PackedRows }
  | { ok: false; importError: string }
  | { ok: false; internal: string };

const here = dirname(fileURLToPath(import.meta.url));

export interface ParsePoolOptions {
  maxWorkers?: number;
  heapLimitMb?: number;
  timeLimitMs?: number;
}

interface Job {
  id: number;
  request: ParseRequest;
  timeLimitMs: number;
  resolve(value: ParsedApprovedList | ParsedRoster): void;
  reject(error: Error): void;
}

interface PooledWorker {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

export class ParsePool {
  private readonly maxWorkers: number;
  private readonly heapLimitMb: number;
  readonly timeLimitMs: number;
  private readonly workers: PooledWorker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  /** Workers started so far: for tests that check warm reuse and replacement. */
  started = 0;

  constructor(options: ParsePoolOptions = {}) {
    this.maxWorkers = options.maxWorkers ?? MAX_WORKERS;
    this.heapLimitMb = options.heapLimitMb ?? PARSE_HEAP_LIMIT_MB;
    this.timeLimitMs = options.timeLimitMs ?? PARSE_TIME_LIMIT_MS;
  }

  /** Files being parsed now, and waiting. */
  get load(): { running: number; waiting: number } {
    return { running: this.workers.filter((w) => w.job).length, waiting: this.queue.length };
  }

  parse(request: ParseRequest, timeLimitMs = this.timeLimitMs): Promise<ParsedApprovedList | ParsedRoster> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, timeLimitMs, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends every worker; waiting files are refused. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new ImportError(`文件“${job.request.fileName}”未能读取：程序正在退出。`));
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.workers.find((w) => !w.job);
      if (!slot) {
        if (this.workers.length >= this.maxWorkers) return;
        slot = this.start();
      }
      this.run(slot, this.queue.shift()!);
    }
  }

  private start(): PooledWorker {
    const options = { resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb } };
    const worker = startScriptWorker(here, 'parseWorker', options);
    this.started++;
    const slot: PooledWorker = { worker, job: null, timer: null };
    worker.on('message', (message: { id: number; reply: ParseReply }) => this.replied(slot, message));
    worker.on('error', (error: Error & { code?: string }) => {
      const job = slot.job;
      this.retire(slot);
      if (!job) return;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') job.reject(new ImportError(`文件“${job.request.fileName}”读取时占用内存过多，疑似异常文件，已停止读取。`));
      else job.reject(failed(job.request.fileName, error.stack ?? String(error)));
    });
    worker.on('exit', () => {
      const job = slot.job;
      this.retire(slot);
      if (job) job.reject(failed(job.request.fileName, 'the parse worker exited'));
    });
    worker.unref();
    this.workers.push(slot);
    return slot;
  }

  private run(slot: PooledWorker, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.retire(slot);
      job.reject(new ImportError(`文件“${job.request.fileName}”在 ${job.timeLimitMs / 1000} 秒内未能读完，疑似异常文件，已停止读取。`));
    }, job.timeLimitMs);
    // A real copy: a Node Buffer's slice() is a view, and transferring its memory would detach
    // the caller's buffer (or Node's shared pool, for small files).
    const copy = new Uint8Array(job.request.bytes);
    slot.worker.postMessage({ id: job.id, request: { ...job.request, bytes: copy } }, [copy.buffer]);
  }

  private replied(slot: PooledWorker, { id, reply }: { id: number; reply: ParseReply }): void {
    const job = slot.job;
    if (!job || job.id !== id) return;
    this.release(slot);
    if (reply.ok) job.resolve({ ...reply.value, rows: unpackRows(reply.rows) } as ParsedApprovedList | ParsedRoster);
    else if ('importError' in reply) job.reject(new ImportError(reply.importError));
    else job.reject(failed(job.request.fileName, reply.internal));
    this.dispatch();
  }

  /** The worker is free for the next file. */
  private release(slot: PooledWorker): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  /** The worker broke a limit or died: it goes, and a fresh one is started when a file needs it. */
  private retire(slot: PooledWorker): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    const index = this.workers.indexOf(slot);
    if (index === -1) return;
    this.workers.splice(index, 1);
    slot.worker.removeAllListeners('exit');
    void slot.worker.terminate();
    // Files waiting for this slot go on in a fresh worker.
    queueMicrotask(() => this.dispatch());
  }
}

/** A failure inside the parser that is not the file's fault as far as anyone can tell: one sentence for the clerk, the details for the log. */
function failed(fileName: string, details: string): ImportError {
  console.error(`parse of ${fileName} failed inside the reader:\n${details}`);
  return new ImportError(`文件“${fileName}”已损坏或格式异常，无法读取。请在 Excel 中打开并另存后再导入。`);
}

let shared: ParsePool | null = null;

/** The pool the app's imports share. */
export function parsePool(): ParsePool {
  shared ??= new ParsePool();
  return shared;
}

export async function parseApprovedListFile(fileName: string, bytes: Uint8Array, today: string, overrides: ListOverrides = {}, timeLimitMs = PARSE_TIME_LIMIT_MS): Promise<ParsedApprovedList> {
  return (await parsePool().parse({ kind: 'approvedList', fileName, bytes, today, overrides }, timeLimitMs)) as ParsedApprovedList;
}

export async function parseRosterFile(fileName: string, bytes: Uint8Array, timeLimitMs = PARSE_TIME_LIMIT_MS): Promise<ParsedRoster> {
  return (await parsePool().parse({ kind: 'roster', fileName, bytes }, timeLimitMs)) as ParsedRoster;
}
