/**
 * `npm run -s tamper-kit`: plays every tampering case of scripts/tamper/kit.ts against a fresh
 * register made by the app, or with `--db PATH` against a copy of that register (the file, its
 * key and its witness beside it; the original is never touched), prints one line per case and
 * ends with `tampering: N cases, N detected at the right entry, 0 laundered`. Exit code 0 only
 * when every case played was detected at the right entry.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildRegister, copyRegister, runKit } from './tamper/kit';

const { values } = parseArgs({ options: { db: { type: 'string' } }, strict: true });
const work = mkdtempSync(join(tmpdir(), 'seal-tamper-kit-'));
let base;
if (values.db) {
  const dbPath = resolve(values.db);
  if (!existsSync(dbPath)) {
    console.error(`找不到数据文件“${dbPath}”。`);
    process.exit(2);
  }
  base = copyRegister({ dbPath, oldTipPath: null }, join(work, 'base'));
} else {
  base = await buildRegister(join(work, 'base'));
}
const { results, summary } = runKit(base, join(work, 'cases'));
for (const result of results) console.log(result.line);
console.log(summary);
process.exitCode = results.every((r) => r.outcome === 'detected' || r.outcome === 'skipped') ? 0 : 1;
