import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { damageFound, INTEGRITY_CHECK_PRAGMA, nativeBindingOption } from '../../db/database';

/**
 * SQLite's integrity check of a data file too large to be checked before it opens
 * (db/database.ts, CHECK_AT_OPEN_MAX_BYTES), on a read-only connection of its own in a worker
 * thread: half a minute of checking must not stop the counter's host from answering. The worker
 * is a few lines of plain JavaScript given the driver's resolved path, so the same code runs
 * unbundled (tsx) and in the Electron bundle, which keeps better-sqlite3 outside it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { ...workerData.options, readonly: true, fileMustExist: true });
try {
  parentPort.postMessage(db.pragma(workerData.pragma).map((row) => row.integrity_check));
} catch (error) {
  // A page too damaged for the check to walk is a finding, not a failure of the check.
  if (!/^SQLITE_(CORRUPT|NOTADB)/.test(String(error.code))) throw error;
  parentPort.postMessage([error.message]);
} finally {
  db.close();
}
`;

const STOPPED_WRITING = '为保护数据，签章窗口从现在起不再向登记簿写入（签章、日结等都会被拒绝）。';

/** The file's state for the writes that must not go on into a damaged register. */
export class DataFileHealth {
  /** The clerk's message once the background check has found damage; null while sound or unchecked. */
  damage: string | null = null;

  constructor(readonly checkedAtOpen: boolean) {}
}

/** Resolves to the clerk's message when the file is damaged, to null when it is sound. */
export function checkDataFileInBackground(path: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path, options: nativeBindingOption(), pragma: INTEGRITY_CHECK_PRAGMA },
    });
    worker.once('message', (findings: string[]) => resolve(damageFound(path, findings, STOPPED_WRITING)?.message ?? null));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`完整性检查线程意外退出（${code}）`));
    });
  });
}
