import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR, tempDir } from '../support/services';

/**
 * Electronegativity (Doyensec's checker of Electron's security checklist) over electron/ and
 * renderer/, offline: every finding of severity HIGH or MEDIUM is either gone or explained, with
 * why, in electronegativity-explained.json beside this file — and an explanation whose finding
 * is gone is removed, so the file says only what is true.
 */
interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
  manualReview: boolean;
}
interface Report {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Finding[];
}
type Run = (options: { input: string; isRelative: boolean; excludeFromScan: string[]; electronVersionOverride: string }) => Promise<Report>;

const run = createRequire(import.meta.url)('@doyensec/electronegativity') as Run;
const explained = JSON.parse(readFileSync(join(REPO_DIR, 'tests', 'desktop', 'electronegativity-explained.json'), 'utf8')) as { id: string; file: string; why: string }[];
const electronVersion = (JSON.parse(readFileSync(join(REPO_DIR, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

let report: Report;
beforeAll(async () => {
  // The two folders in one tree, so that checks spanning files (navigation limits, the CSP) see both.
  const tree = tempDir();
  cpSync(join(REPO_DIR, 'electron'), join(tree, 'electron'), { recursive: true });
  mkdirSync(join(tree, 'renderer'));
  cpSync(join(REPO_DIR, 'renderer', 'src'), join(tree, 'renderer', 'src'), { recursive: true });
  cpSync(join(REPO_DIR, 'renderer', 'index.html'), join(tree, 'renderer', 'index.html'));
  // The one check that asks the network (for Electron's release notes) is left out: these machines have none,
  // and packaging.test.ts holds Electron to a supported major.
  report = await run({ input: tree, isRelative: true, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'], electronVersionOverride: electronVersion });
  mkdirSync(join(REPO_DIR, 'test-results'), { recursive: true });
  writeFileSync(join(REPO_DIR, 'test-results', 'electronegativity.json'), JSON.stringify(report, null, 2));
}, 60_000);

describe('Electronegativity over electron/ and renderer/', () => {
  it('reads every file it was given, with its checks loaded', () => {
    expect(report.errors).toEqual([]);
    expect(report.atomicChecks).toBeGreaterThan(30);
    expect(report.globalChecks).toBeGreaterThan(3);
  });

  it('leaves no HIGH or MEDIUM finding unexplained', () => {
    const serious = report.issues.filter((issue) => issue.severity.name === 'HIGH' || issue.severity.name === 'MEDIUM');
    const unexplained = serious.filter((issue) => !explained.some((entry) => entry.id === issue.id && entry.file === issue.file));
    expect(unexplained.map((issue) => `${issue.severity.name} ${issue.id} ${issue.file}:${issue.location.line} ${issue.description}`)).toEqual([]);
  });

  it('explains only findings that are still there, each with a reason', () => {
    for (const entry of explained) {
      expect(report.issues.some((issue) => issue.id === entry.id && issue.file === entry.file), `${entry.id} ${entry.file}`).toBe(true);
      expect(entry.why.length).toBeGreaterThan(80);
    }
  });

  it('finds the defences the checklist asks for: navigation limits, a permission handler, a CSP', () => {
    const ids = report.issues.map((issue) => issue.id);
    for (const missing of ['LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'AUXCLICK_JS_CHECK', 'NODE_INTEGRATION_JS_CHECK']) {
      expect(ids, missing).not.toContain(missing);
    }
    expect(report.issues.filter((issue) => issue.id === 'CSP_GLOBAL_CHECK').map((issue) => issue.severity.name)).not.toContain('MEDIUM');
  });
});
