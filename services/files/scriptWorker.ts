import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the TypeScript module `name` in `dir`: the Electron build ships it
 * bundled as `name.cjs` beside the main script (scripts/build-electron.mjs); unbundled runs start
 * it through its `name.mjs`, which loads the TypeScript with tsx.
 */
export function startScriptWorker(dir: string, name: string, options: WorkerOptions): Worker {
  const bundled = join(dir, `${name}.cjs`);
  return new Worker(existsSync(bundled) ? bundled : join(dir, `${name}.mjs`), options);
}
