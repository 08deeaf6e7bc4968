import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ListOverrides, ParsedApprovedList } from '../../core/lists/approvedList';
import type { ParsedRoster } from '../../core/verify/roster';
import { ImportError } from '../../core/files/sheet';

/**
 * Files brought to the counter are untrusted. Each is parsed in a worker thread with bounded
 * memory and time, so a hostile file (a zip bomb, a million rows, a parser trap) costs a clear
 * error and leaves the app responsive, and nothing is written until the parse has succeeded.
 */
export const PARSE_TIME_LIMIT_MS = 30_000;
const PARSE_HEAP_LIMIT_MB = 768;

export type ParseRequest =
  | { kind: 'approvedList'; fileName: string; bytes: Uint8Array; today: string; overrides: ListOverrides }
  | { kind: 'roster'; fileName: string; bytes: Uint8Array };

export type ParseReply = { ok: true; value: ParsedApprovedList | ParsedRoster } | { ok: false; importError: string } | { ok: false; internal: string };

const here = dirname(fileURLToPath(import.meta.url));
// Bundled builds (Electron) ship the worker as parseWorker.cjs beside the main script.
const bundledWorker = join(here, 'parseWorker.cjs');

function startWorker(): Worker {
  if (existsSync(bundledWorker)) return new Worker(bundledWorker, { resourceLimits: { maxOldGenerationSizeMb: PARSE_HEAP_LIMIT_MB } });
  return new Worker(join(here, 'parseWorker.mjs'), { resourceLimits: { maxOldGenerationSizeMb: PARSE_HEAP_LIMIT_MB } });
}

function parseInWorker(request: ParseRequest, timeLimitMs: number): Promise<ParsedApprovedList | ParsedRoster> {
  return new Promise((resolve, reject) => {
    const worker = startWorker();
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new ImportError(`文件“${request.fileName}”在 ${timeLimitMs / 1000} 秒内未能读完，疑似异常文件，已停止读取。`))), timeLimitMs);
    worker.once('message', (reply: ParseReply) => finish(() => {
      if (reply.ok) resolve(reply.value);
      else if ('importError' in reply) reject(new ImportError(reply.importError));
      else reject(new Error(reply.internal));
    }));
    worker.once('error', (error: Error & { code?: string }) => finish(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new ImportError(`文件“${request.fileName}”读取时占用内存过多，疑似异常文件，已停止读取。`)
      : error)));
    worker.once('exit', (code) => finish(() => reject(new Error(`file parser exited with code ${code}`))));
    // A real copy: a Node Buffer's slice() is a view, and transferring its memory would detach
    // the caller's buffer (or Node's shared pool, for small files).
    const copy = new Uint8Array(request.bytes);
    worker.postMessage({ ...request, bytes: copy }, [copy.buffer]);
  });
}

export async function parseApprovedListFile(fileName: string, bytes: Uint8Array, today: string, overrides: ListOverrides = {}, timeLimitMs = PARSE_TIME_LIMIT_MS): Promise<ParsedApprovedList> {
  return (await parseInWorker({ kind: 'approvedList', fileName, bytes, today, overrides }, timeLimitMs)) as ParsedApprovedList;
}

export async function parseRosterFile(fileName: string, bytes: Uint8Array, timeLimitMs = PARSE_TIME_LIMIT_MS): Promise<ParsedRoster> {
  return (await parseInWorker({ kind: 'roster', fileName, bytes }, timeLimitMs)) as ParsedRoster;
}
