import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegister, CASES, layoutOf, runCase, type Layout, type RegisterFiles } from '../../scripts/tamper/kit';
import { REPO_DIR, tempDir } from '../support/services';

/**
 * Issue 11's tampering cases, each played on a copy of a register the app made: the file edited
 * as someone with write access would (triggers dropped, rows edited, hashes recomputed), then —
 * for the laundering cases — a sealing or a day close, which must be refused. Every case must be
 * named at the right entry by 校验登记簿.
 */
describe('a register no one can launder: the tamper kit', () => {
  let base: RegisterFiles;
  let layout: Layout;
  let work: string;

  beforeAll(async () => {
    work = tempDir('seal-tamper-');
    base = await buildRegister(join(work, 'base'));
    layout = layoutOf(base.dbPath);
  }, 60_000);

  it('plays on a register with a closed day, an open day, certificates and a replacement', () => {
    expect(layout).toMatchObject({ lastSeq: 18, lastBatch: { batchNo: 1, firstSeq: 1, lastSeq: 9 }, openMiddle: 11, withReplacement: 16 });
    expect(layout.openVisitId).not.toBeNull();
  });

  it.each(CASES.map((c) => [`${c.id}：${c.title}`, c] as const))('%s', (_name, tamperCase) => {
    const result = runCase(base, layout, tamperCase, join(work, tamperCase.id));
    expect(result.outcome, result.line).toBe('detected');
  });

  it('runs as `npm run -s tamper-kit`, and with --db PATH against a copy of an existing register', () => {
    const fresh = spawnSync('npm', ['run', '-s', 'tamper-kit'], { cwd: REPO_DIR, encoding: 'utf8' });
    expect(fresh.status, fresh.stderr).toBe(0);
    const lines = fresh.stdout.trim().split('\n');
    expect(lines).toHaveLength(CASES.length + 1);
    expect(lines.at(-1)).toBe(`tampering: ${CASES.length} cases, ${CASES.length} detected at the right entry, 0 laundered`);

    const copy = spawnSync('npm', ['run', '-s', 'tamper-kit', '--', '--db', base.dbPath], { cwd: REPO_DIR, encoding: 'utf8' });
    expect(copy.status, copy.stderr).toBe(0);
    // Without the old tip this kit keeps for itself, the rollback case cannot be played on a real register.
    expect(copy.stdout).toMatch(/^- tip-rollback：.*跳过/m);
    expect(copy.stdout.trim().split('\n').at(-1)).toBe(`tampering: ${CASES.length - 1} cases, ${CASES.length - 1} detected at the right entry, 0 laundered`);
    // The register the kit was pointed at is untouched.
    expect(layoutOf(base.dbPath)).toEqual(layout);
  }, 120_000);
});
