import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/hub';

/**
 * The load test (scripts/hub-load.ts), shortened: a dozen workstations, ten days each, through
 * nginx to two nodes, one killed half way, with duplicates, out-of-order days and forgeries. The
 * script checks every chain and every forgery itself and exits 1 otherwise; `npm run bench`
 * runs it at full size (200 workstations, 150 days).
 */
interface Report {
  batches: number;
  entries: number;
  forged: { sent: number; refusedAtClient: number; refusedAtHub: number };
  nodeKilled: { atBatch: number } | null;
  outOfOrderSent: number;
  duplicatesSent: number;
  problems: string[];
}

describe('the hub under load, shortened', () => {
  it('keeps every chain whole and refuses every forgery with a node killed half way', { timeout: 240_000 }, async () => {
    const args = ['--import', 'tsx', join(REPO_DIR, 'scripts', 'hub-load.ts'), '--workstations', '12', '--days', '12', '--max-entries', '80', '--forged', '0.15', '--seed', '3'];
    // Its own process group, so that nothing of it outlives a failed or timed-out test.
    const child = spawn(process.execPath, args, { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGTERM'), 220_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.problems).toEqual([]);
    expect(report.batches).toBe(144);
    // Killed while workstations were still pushing.
    expect(report.nodeKilled!.atBatch).toBeLessThan(report.batches);
    expect(report.forged.sent).toBeGreaterThan(0);
    expect(report.forged.refusedAtClient).toBe(report.forged.sent);
    expect(report.forged.refusedAtHub).toBe(report.forged.sent);
    expect(report.duplicatesSent + report.outOfOrderSent).toBeGreaterThan(0);
    console.log(`hub load (short): ${JSON.stringify({ ...report, problems: undefined })}`);
  });
});
