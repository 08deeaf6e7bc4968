import { runHubLoad, type LoadOptions } from '../hub-load';
import type { Figure } from './measure';

/**
 * The hub-load figure: the load test at full size (scripts/hub-load.ts) — 200 workstations, a
 * year of counter days each, through nginx to two nodes, one SIGKILLed half way, with duplicates,
 * out-of-order days and 5% forgeries — beside the same batches stored straight into the hub's
 * store in this process (no HTTP, no proxy, no request signatures): what the network, the
 * signatures and the second node cost. The run fails (and the figure with it) unless every chain
 * at the hub equals the workstation's and every forgery was refused.
 */
const FULL: Omit<LoadOptions, 'mode' | 'log'> = {
  workstations: 200, days: 150, minEntries: 20, maxEntries: 200, concurrency: 32, forgedShare: 0.05, killNode: true, seed: 17,
};

export const hubLoadFigure: Figure = {
  id: 'hub-load',
  title: '200 workstations × 150 counter days pushed through nginx to two hub nodes (one SIGKILLed), 5% forged',
  baselineTitle: 'the same batches stored by the hub\'s store in-process, no HTTP',
  runs: 1,
  rounds: 1,
  warmup: 0,
  // The driver's own memory; each node's peak is in the detail (peakRssMb).
  target: { maxRssMb: 2_000 },
  needs: [],
  async measure(side) {
    const report = await runHubLoad({ ...FULL, mode: side === 'figure' ? 'proxy' : 'store', killNode: side === 'figure', forgedShare: side === 'figure' ? FULL.forgedShare : 0, log: (line) => console.error(line) });
    if (report.problems.length > 0) throw new Error(`hub-load: ${report.problems.slice(0, 5).join(' / ')}`);
    const { batchesPerSecond, entriesPerSecond, latencyMs, peakRssMb, databaseMb, forged, nodeKilled, retries, batches, entries } = report;
    return { samplesMs: [report.pushSeconds * 1000], detail: { batches, entries, batchesPerSecond, entriesPerSecond, latencyMs, peakRssMb, databaseMb, forged, nodeKilled, retries } };
  },
};
