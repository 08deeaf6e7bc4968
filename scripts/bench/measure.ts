/**
 * What every figure of the bench shares: the shape of a figure, timed runs, the peak of one run.
 */

/** What one child process measured: a time per run (warm-up runs left out) and anything worth showing. */
export interface Measurement {
  samplesMs: number[];
  detail?: Record<string, unknown>;
}

export type Side = 'figure' | 'baseline';

export interface Figure {
  id: string;
  title: string;
  baselineTitle: string;
  /** Timed runs per side; the median is reported. */
  runs: number;
  /** The runs are split over this many baseline-then-figure pairs of child processes. */
  rounds: number;
  /** Untimed runs first, so that the JIT and the page cache are warm as in a working day. */
  warmup: number;
  target: { maxRatio?: number; maxMs?: number; maxRssMb: number };
  /** Which prepared data the parent must make before starting the children. */
  needs: ('large' | 'verifyDb' | 'chainDb' | 'decadeDb' | 'renderer')[];
  measure(side: Side, runs: number, warmup: number): Promise<Measurement>;
}

export const MAX_RSS_MB = 400;

/**
 * Max RSS (MB) of this process once its first run (set-up included) was done: the peak memory of
 * one run, which is what the target is about. Later runs in the same process only add what the
 * garbage collector has not yet given back.
 */
export let firstRunPeakMb: number | undefined;
export const noteFirstRun = () => { firstRunPeakMb ??= Math.round(process.resourceUsage().maxRSS / 1024); };

export async function timeRuns<T>(runs: number, warmup: number, setUp: () => T | Promise<T>, timed: (state: T) => unknown, tearDown?: (state: T) => void): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const state = await setUp();
    const start = performance.now();
    await timed(state);
    const ms = performance.now() - start;
    tearDown?.(state);
    noteFirstRun();
    if (i >= warmup) samples.push(ms);
  }
  return samples;
}

/** For figures that time a stretch inside each run themselves: `run` returns its milliseconds. */
export async function selfTimedRuns(runs: number, warmup: number, run: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await run();
    noteFirstRun();
    if (i >= warmup) samples.push(ms);
  }
  return samples;
}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench sanity check failed: ${message}`);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
