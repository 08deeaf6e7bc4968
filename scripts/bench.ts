/**
 * `npm run bench`: how fast the counter is on large data, each figure beside a baseline measured in
 * the same run, so that a slow or noisy machine shows up in both and the ratio still means
 * something. Every figure and every baseline runs in its own child process so that peak memory
 * (max RSS) belongs to that figure alone.
 *
 *   npm run bench                      JSON on stdout, a table on stderr
 *   npm run -s bench -- --json         JSON only
 *   npm run bench -- --only chain,pdf  some figures (ids: see the table)
 *   npm run bench -- --runs 3          timed runs per side instead of each figure's default
 *   npm run bench -- --fresh           rebuild the cached databases in bench-data/cache
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_DIR, ensureLargeFiles, log, prepareChainDb, prepareDecadeDb, prepareVerifyDb, REPO_DIR, TMP_DIR } from './bench/data';
import { FIGURES, firstRunPeakMb, median, type Figure, type Measurement, type Side } from './bench/figures';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    child: { type: 'string' },
    side: { type: 'string' },
    warmup: { type: 'string' },
  },
  strict: true,
});

const RESULT_PREFIX = '@@bench-result ';

interface ChildResult extends Measurement {
  /** Peak of one run (set-up included): see firstRunPeakMb. */
  peakRssMb: number;
  /** Peak over all the runs in the child, for reference. */
  maxRssMb: number;
}

export interface FigureResult {
  id: string;
  title: string;
  baseline: string;
  runs: number;
  medianMs: number;
  baselineMedianMs: number;
  ratio: number;
  target: Figure['target'];
  met: boolean;
  /** Why `met` is false, one phrase per missed target. */
  missed: string[];
  /** Max RSS of one run of the figure, set-up included, in its own process. */
  peakRssMb: number;
  /** Max RSS after all the runs in that process (garbage not yet collected included). */
  peakRssAllRunsMb: number;
  baselinePeakRssMb: number;
  samplesMs: number[];
  baselineSamplesMs: number[];
  detail: Record<string, unknown>;
}

async function runChild(id: string, side: Side, runs: number, warmup: number): Promise<void> {
  const figure = FIGURES.find((f) => f.id === id);
  if (!figure) throw new Error(`unknown figure ${id}`);
  const measured = await figure.measure(side, runs, warmup);
  // Linux reports maxRSS in kilobytes.
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const result: ChildResult = { ...measured, peakRssMb: firstRunPeakMb ?? maxRssMb, maxRssMb };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

function runInChild(figure: Figure, side: Side, runs: number): Promise<ChildResult> {
  const script = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', script, '--child', figure.id, '--side', side, '--runs', String(runs), '--warmup', String(figure.warmup)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) reject(new Error(`${figure.id} (${side}) exited with ${code}`));
      else resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult);
    });
  });
}

function ensureRenderer(): void {
  if (existsSync(join(REPO_DIR, 'dist', 'renderer', 'index.html'))) return;
  log('bench: building the renderer (dist/renderer is missing) …');
  const vite = join(REPO_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('the renderer build failed');
}

/** Samples of all rounds together; peak memory is the highest any child reached. */
function pool(children: ChildResult[]): ChildResult {
  const details = children.map((c) => c.detail).filter((d): d is Record<string, unknown> => d !== undefined);
  return {
    samplesMs: children.flatMap((c) => c.samplesMs),
    peakRssMb: Math.max(...children.map((c) => c.peakRssMb)),
    maxRssMb: Math.max(...children.map((c) => c.maxRssMb)),
    ...(details.length > 0 ? { detail: mergeDetails(details) } : {}),
  };
}

/** Numbers measured in every round are given as their median; anything else as the first round had it. */
function mergeDetails(details: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(details[0]!)) {
    const values = details.map((d) => d[key]);
    merged[key] = values.every((v) => typeof v === 'number') ? Math.round(median(values)) : values[0];
  }
  return merged;
}

const round = (ms: number) => (ms >= 100 ? Math.round(ms) : Math.round(ms * 10) / 10);

function assess(figure: Figure, runs: number, measured: ChildResult, baseline: ChildResult): FigureResult {
  const medianMs = median(measured.samplesMs);
  const baselineMedianMs = median(baseline.samplesMs);
  const ratio = Math.round((medianMs / baselineMedianMs) * 100) / 100;
  const { maxRatio, maxMs, maxRssMb } = figure.target;
  const missed: string[] = [];
  if (maxRatio !== undefined && ratio > maxRatio) missed.push(`ratio ${ratio} > ${maxRatio}`);
  if (maxMs !== undefined && medianMs > maxMs) missed.push(`${round(medianMs)} ms > ${maxMs} ms`);
  if (measured.peakRssMb > maxRssMb) missed.push(`${measured.peakRssMb} MB > ${maxRssMb} MB`);
  return {
    id: figure.id,
    title: figure.title,
    baseline: figure.baselineTitle,
    runs,
    medianMs: round(medianMs),
    baselineMedianMs: round(baselineMedianMs),
    ratio,
    target: figure.target,
    met: missed.length === 0,
    missed,
    peakRssMb: measured.peakRssMb,
    peakRssAllRunsMb: measured.maxRssMb,
    baselinePeakRssMb: baseline.peakRssMb,
    samplesMs: measured.samplesMs.map(round),
    baselineSamplesMs: baseline.samplesMs.map(round),
    detail: { ...(baseline.detail ? { baseline: baseline.detail } : {}), ...measured.detail },
  };
}

export function table(results: readonly FigureResult[]): string {
  const header = ['figure', 'median ms', 'baseline ms', 'ratio', 'target', 'peak RSS MB', 'met'];
  const rows = results.map((r) => [
    r.id,
    String(r.medianMs),
    String(r.baselineMedianMs),
    `${r.ratio}×`,
    [r.target.maxRatio !== undefined ? `≤ ${r.target.maxRatio}×` : '', r.target.maxMs !== undefined ? `≤ ${r.target.maxMs} ms` : ''].filter(Boolean).join(', '),
    String(r.peakRssMb),
    r.met ? 'yes' : `NO (${r.missed.join('; ')})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function runParent(): Promise<void> {
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !FIGURES.some((f) => f.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${FIGURES.map((f) => f.id).join(', ')}`);
  const selected = FIGURES.filter((f) => !only || only.includes(f.id));
  const needs = new Set(selected.flatMap((f) => f.needs));
  const started = Date.now();

  if (needs.has('large') || needs.has('verifyDb') || needs.has('decadeDb')) ensureLargeFiles();
  if (needs.has('verifyDb')) await prepareVerifyDb(values.fresh);
  if (needs.has('chainDb')) await prepareChainDb(values.fresh);
  if (needs.has('decadeDb')) await prepareDecadeDb(values.fresh);
  if (needs.has('renderer')) ensureRenderer();

  const results: FigureResult[] = [];
  try {
    for (const figure of selected) {
      const runs = values.runs ? Number(values.runs) : figure.runs;
      // Baseline and figure take turns, so that a burst of load from something else on the
      // machine lands on both rather than on one of them.
      const perRound = Math.ceil(runs / figure.rounds);
      log(`bench: ${figure.id} — ${figure.rounds} round(s) of baseline then figure, ${perRound} timed run(s) each (+${figure.warmup} warm-up) …`);
      const baselines: ChildResult[] = [];
      const figures: ChildResult[] = [];
      for (let round = 0; round < figure.rounds; round++) {
        baselines.push(await runInChild(figure, 'baseline', perRound));
        figures.push(await runInChild(figure, 'figure', perRound));
      }
      const result = assess(figure, perRound * figure.rounds, pool(figures), pool(baselines));
      results.push(result);
      log(`bench:   ${result.medianMs} ms vs ${result.baselineMedianMs} ms (${result.ratio}×), peak ${result.peakRssMb} MB${result.met ? '' : ` — missed: ${result.missed.join('; ')}`}`);
    }
  } finally {
    rmSync(TMP_DIR, { recursive: true, force: true });
  }

  const report = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    measuredAt: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    allMet: results.every((r) => r.met),
    figures: results,
  };
  const json = JSON.stringify(report, null, 2);
  mkdirSync(BENCH_DIR, { recursive: true });
  writeFileSync(join(BENCH_DIR, 'results.json'), `${json}\n`);
  process.stdout.write(`${json}\n`);
  if (!values.json) process.stderr.write(`\n${table(results)}\n\n(full results also in bench-data/results.json)\n`);
}

// Last, so that every declaration above is initialised before it runs.
if (values.child) {
  await runChild(values.child, values.side as Side, Number(values.runs), Number(values.warmup));
} else {
  await runParent();
}
