import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test as base } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import type { CallName, CallResult, Request, Response } from '../../core/contract';
import type { FindingCode } from '../../core/verify/findings';
import { exchangeLaunchUrl, loopbackClient } from '../support/loopback';

export { expect };

export const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES_DIR = join(REPO_DIR, '..', 'shared', 'fixtures');
export const SENIOR14_SETTINGS = join(REPO_DIR, 'tests', 'fixtures', 'settings-senior14.json');

/** A Tuesday: a counter day for senior certificates, in 2026, so the 2026 slips are this year's. */
export const COUNTER_DAY = '2026-11-24T09:30:00+08:00';
/** The Monday before it: not a counter day for senior certificates, and no holiday. */
export const OFF_DAY = '2026-11-23T09:30:00+08:00';

export function fixture(relativePath: string): string {
  return join(FIXTURES_DIR, relativePath);
}

/** Data rows of a CSV reference file: every line after the header that is not empty. */
export function csvDataRows(relativePath: string): number {
  return readFileSync(fixture(relativePath), 'utf8').split(/\r?\n/).slice(1).filter((line) => line.trim() !== '').length;
}

export interface ExpectedRow {
  row: number;
  codes: FindingCode[];
  verdict: 'pass' | 'warning' | 'error';
}

export function expectedRoster(name: string): ExpectedRow[] {
  return (JSON.parse(readFileSync(fixture(`rosters/${name}.expected.json`), 'utf8')) as { rows: ExpectedRow[] }).rows;
}

export interface Host {
  url: string;
  /** The host's database file, for a test that reaches past the app (tampering with the register). */
  dbPath: string;
  api<N extends CallName>(name: N, request: Request<N>): Promise<Response<N>>;
}

/** The administrator the `host` fixture creates on first run, unless a test asks for `signedIn: false`. */
export const ADMIN = { username: 'admin', displayName: '李窗口', password: 'counter-2026' } as const;

/**
 * Every test gets its own host and database, with the host's clock fixed by SEAL_COUNTER_CLOCK
 * so the calendar and the slips' year do not depend on the day the tests run. `clock` is an
 * option: a describe block changes it with test.use({ clock }).
 *
 * By default the first administrator (ADMIN) is set up through the API, which signs the host's
 * one session in: the page opened afterwards goes straight to the app. `signedIn: false` leaves
 * the first run to the test.
 */
export const test = base.extend<{ clock: string; signedIn: boolean; hostArgs: string[]; host: Host }>({
  clock: [COUNTER_DAY, { option: true }],
  signedIn: [true, { option: true }],
  /** More arguments for server/main.ts, such as --training. */
  hostArgs: [[], { option: true }],
  host: async ({ clock, signedIn, hostArgs, context }, use) => {
    const { host, process, cookie } = await startHost(clock, hostArgs);
    // The test's browser holds the session cookie, as the launcher's app window would after opening its one-time address.
    await context.addCookies([{ name: cookie.name, value: cookie.value, url: host.url, httpOnly: true, sameSite: 'Strict' }]);
    try {
      if (signedIn) await host.api('auth.setup', { ...ADMIN });
      await use(host);
    } finally {
      await stopHost(process);
    }
  },
});

async function startHost(clock: string, hostArgs: string[]): Promise<{ host: Host; process: ChildProcess; cookie: { name: string; value: string } }> {
  if (!existsSync(join(REPO_DIR, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: build the renderer first (vite build --config renderer/vite.config.ts)');
  }
  const dbPath = join(mkdtempSync(join(tmpdir(), 'seal-counter-e2e-')), 'seal-counter.sqlite');
  const child = spawn(join(REPO_DIR, 'node_modules', '.bin', 'tsx'), ['server/main.ts', '--db', dbPath, '--no-open', '--port', '0', ...hostArgs], {
    cwd: REPO_DIR,
    env: { ...process.env, SEAL_COUNTER_CLOCK: clock },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const launchUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the host printed no address within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?launch=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the host exited (${code}) before printing its address:\n${output}`)));
  });
  const [name, value] = (await exchangeLaunchUrl(launchUrl) ?? '').split('=');
  if (!name || !value) throw new Error(`the host gave no session cookie for ${launchUrl}`);
  const url = new URL(launchUrl).origin + '/';
  return { host: { url, dbPath, api: (call, request) => callApi(url, `${name}=${value}`, call, request) }, process: child, cookie: { name, value } };
}

async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
}

/** A contract call from the test itself, for set-up that another test already drives through the UI. */
async function callApi<N extends CallName>(url: string, cookie: string, name: N, request: Request<N>): Promise<Response<N>> {
  const result = (await loopbackClient(url, cookie).call(name, request)) as CallResult<N>;
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
}

export function upload(path: string): { fileName: string; dataBase64: string } {
  return { fileName: basename(path), dataBase64: readFileSync(path).toString('base64') };
}

/** Settings with the fixtures' senior certificate-number rule, the reference files and the senior list. */
export async function prepareSeniorCounter(host: Host): Promise<void> {
  await host.api('settings.import', { json: readFileSync(SENIOR14_SETTINGS, 'utf8') });
  for (const kind of ['slips', 'signers', 'holidays'] as const) await host.api('reference.import', { kind, ...upload(fixture(`${kind}.csv`)) });
  await host.api('lists.import', upload(fixture('approved/senior-engineers-2025.xlsx')));
}

export async function screenshot(page: Page, testInfo: TestInfo, name: string, fullPage = false): Promise<void> {
  // Let antd's open/close motions end, so a modal is captured open rather than half faded in.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))));
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage });
}

export interface VisitForm {
  unit: string;
  certificateType: string;
  slipNo: string;
  slipCount: number;
  slipSigner: string;
}

/** Fills the new-visit form by field (the keyboard walk through it is tested once, in the counter flow). */
export async function createVisit(page: Page, visit: VisitForm): Promise<void> {
  await page.getByTestId('nav-visits').click();
  await page.getByTestId('visit-new').click();
  await page.getByTestId('visit-unit').fill(visit.unit);
  await page.getByTestId('visit-agent-name').fill('张经办');
  await page.getByTestId('visit-agent-phone').fill('028-86123456');
  await page.getByTestId('visit-cert-type').click();
  // antd's options are plain divs with a title; its role="option" elements are an off-screen copy for screen readers.
  await page.locator(`.ant-select-item-option[title="${visit.certificateType}"]`).click();
  await expect(page.getByTestId('visit-cert-type')).toContainText(visit.certificateType);
  await page.getByTestId('visit-slip').fill(visit.slipNo);
  await page.getByTestId('visit-slip-count').fill(String(visit.slipCount));
  await page.getByTestId('visit-slip-signer').fill(visit.slipSigner);
  await page.getByTestId('visit-create').click();
  await page.getByTestId('roster-import-input').waitFor({ state: 'attached' });
}
