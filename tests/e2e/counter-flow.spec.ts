import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import type { CallName, CallResult, Request, Response } from '../../core/contract';
import { FINDING_LABEL } from '../../core/findings';
import type { FindingCode } from '../../core/findings';

/**
 * One visit at the counter, end to end, through the loopback host and the built renderer:
 * approved list → new visit → roster with every kind of error → acknowledge → seal → print →
 * register → verify. A screenshot of every step lands in this test's output folder.
 */

const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES_DIR = join(REPO_DIR, '..', 'shared', 'fixtures');
const UNIT = '成都市人力资源和社会保障局';

interface ExpectedRoster {
  rows: { row: number; codes: FindingCode[]; verdict: 'pass' | 'warning' | 'error' }[];
}
const expected = JSON.parse(readFileSync(join(FIXTURES_DIR, 'rosters', 'senior-errors.expected.json'), 'utf8')) as ExpectedRoster;
const expectedErrorRows = expected.rows.filter((row) => row.verdict === 'error').length;
const rowsPerCode = new Map<FindingCode, number>();
for (const row of expected.rows) for (const code of row.codes) rowsPerCode.set(code, (rowsPerCode.get(code) ?? 0) + 1);

let host: ChildProcess | undefined;
let appUrl = '';

test.beforeAll(async () => {
  if (!existsSync(join(REPO_DIR, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: build the renderer first (vite build --config renderer/vite.config.ts)');
  }
  const dbPath = join(mkdtempSync(join(tmpdir(), 'seal-counter-e2e-')), 'seal-counter.sqlite');
  host = spawn(join(REPO_DIR, 'node_modules', '.bin', 'tsx'), ['server/main.ts', '--db', dbPath, '--no-open', '--port', '0'], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  appUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the host printed no address within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    host?.stdout?.on('data', onData);
    host?.stderr?.on('data', onData);
    host?.once('exit', (code) => reject(new Error(`the host exited (${code}) before printing its address:\n${output}`)));
  });
});

test.afterAll(() => {
  host?.kill('SIGTERM');
});

/** A contract call from the test itself, for set-up the clerk would do in settings. */
async function api<N extends CallName>(name: N, request: Request<N>): Promise<Response<N>> {
  const url = new URL(appUrl);
  const token = url.hash.replace(/^#token=/, '');
  const response = await fetch(new URL(`api/${name}`, url.origin + url.pathname), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Seal-Token': token },
    body: JSON.stringify(request),
  });
  const result = (await response.json()) as CallResult<N>;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  // Let antd's open/close motions end, so a modal is captured open rather than half faded in.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))));
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

function fixture(relativePath: string): string {
  return join(FIXTURES_DIR, relativePath);
}

/** Acknowledges every warning row; the table is virtual, so it scrolls to reach rows not yet rendered. */
async function acknowledgeAllWarnings(page: Page, testInfo: TestInfo, warningRows: number): Promise<void> {
  const table = page.getByTestId('visit-rows-table');
  for (let acknowledged = 0, scrolls = 0; acknowledged < warningRows; ) {
    const button = page.getByTestId('acknowledge-button').first();
    if (await button.isVisible()) {
      await button.click();
      await page.getByTestId('acknowledge-reason').fill('已核验外语合格证复印件及单位变动证明');
      if (acknowledged === 0) await screenshot(page, testInfo, '08-acknowledge');
      await page.getByTestId('acknowledge-reason').press('Enter');
      await expect(page.getByTestId('acknowledge-reason')).toBeHidden();
      acknowledged += 1;
      continue;
    }
    expect(scrolls++, 'every warning row should be reachable by scrolling').toBeLessThan(40);
    await table.locator('.ant-table-body, .ant-table-tbody-virtual-holder').first().hover();
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(100);
  }
}

test('counter flow: list, visit, roster, acknowledge, seal, print, register', async ({ page }, testInfo) => {
  await test.step('certificate-number rule of the fixtures is configured', async () => {
    const settings = JSON.parse(readFileSync(join(REPO_DIR, 'tests', 'fixtures', 'settings-senior14.json'), 'utf8')) as Request<'settings.save'>;
    await api('settings.save', settings);
  });

  await test.step('the app opens and hides its token', async () => {
    await page.goto(appUrl);
    await expect(page.getByText('四川省人力资源和社会保障厅')).toBeVisible();
    expect(page.url()).not.toContain('token=');
    await screenshot(page, testInfo, '01-start');
  });

  await test.step('import the senior approved list', async () => {
    await page.getByTestId('nav-lists').click();
    await page.getByTestId('list-import-input').setInputFiles(fixture('approved/senior-engineers-2025.xlsx'));
    await expect(page.getByTestId('list-import-doc')).toHaveValue('川职改〔2025〕12号');
    await expect(page.getByRole('dialog')).toContainText('300 行');
    await expect(page.getByTestId('list-import-confirm')).toBeEnabled();
    await screenshot(page, testInfo, '02-list-preview');
    await page.getByTestId('list-import-confirm').click();
    await expect(page.getByRole('dialog')).toBeHidden();
    const lists = page.getByTestId('lists-table');
    await expect(lists).toContainText('川职改〔2025〕12号');
    await expect(lists).toContainText('300');
    await screenshot(page, testInfo, '03-lists');
  });

  await test.step('create a visit from the keyboard', async () => {
    await page.getByTestId('nav-visits').click();
    await page.getByTestId('visit-new').click();
    await expect(page.getByTestId('visit-unit')).toBeFocused();
    await page.keyboard.type(UNIT);
    await page.keyboard.press('Enter');
    await page.keyboard.type('张经办');
    await page.keyboard.press('Enter');
    await page.keyboard.type('028-86123456');
    await page.keyboard.press('Enter');
    // The certificate type is a searchable select: type, Enter picks, Enter moves on.
    await page.keyboard.type('高级');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-cert-type')).toContainText('高级专业技术职务资格证书');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-slip')).toBeFocused();
    await page.keyboard.type('QZ2025-0001');
    await page.keyboard.press('Enter');
    await page.keyboard.type('王处长');
    await page.keyboard.press('Enter');
    await page.getByTestId('visit-clerk').fill('李窗口');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-purpose')).toBeFocused();
    await screenshot(page, testInfo, '04-new-visit');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('roster-import-input')).toBeAttached();
    await expect(page.getByText(UNIT).first()).toBeVisible();
  });

  await test.step('import the roster and see every finding in Chinese', async () => {
    await page.getByTestId('roster-import-input').setInputFiles(fixture('rosters/senior-errors.xlsx'));
    const summary = page.getByTestId('visit-summary');
    await expect(summary).toContainText(`共 ${expected.rows.length} 行`);
    await expect(summary).toContainText(`错误 ${expectedErrorRows}`);
    for (const [code, rows] of rowsPerCode) {
      await expect(page.getByTestId(`finding-tag-${code}`)).toHaveText(`${FINDING_LABEL[code]} ${rows}`);
    }
    await screenshot(page, testInfo, '05-roster');
  });

  await test.step('filter by a finding, then to problem rows only', async () => {
    const table = page.getByTestId('visit-rows-table');
    await page.getByTestId('finding-tag-NOT_APPROVED').click();
    await expect(table.locator('.ant-table-row')).toHaveCount(rowsPerCode.get('NOT_APPROVED') ?? 0);
    await expect(table).toContainText('不在任何已导入的批准名单中');
    await screenshot(page, testInfo, '06-filter-not-approved');
    await page.getByTestId('finding-tag-NOT_APPROVED').click();
    await page.getByTestId('only-problems-switch').click();
    await expect(table.getByText('通过', { exact: true })).toHaveCount(0);
    await expect(table.getByText('不可签章').first()).toBeVisible();
    await screenshot(page, testInfo, '07-only-problems');
  });

  const sealable = expected.rows.length - expectedErrorRows;
  await test.step('acknowledge every warning', async () => {
    const warningText = (await page.getByTestId('visit-summary').textContent()) ?? '';
    const warningRows = Number(/警告 (\d+)/.exec(warningText)?.[1] ?? NaN);
    expect(warningRows).toBeGreaterThan(0);
    await acknowledgeAllWarnings(page, testInfo, warningRows);
    await expect(page.getByTestId('seal-button')).toHaveText(`确认签章（${sealable} 本）`);
  });

  await test.step('seal (Ctrl+Enter) and see the register entries', async () => {
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('seal-confirm')).toBeVisible();
    await expect(page.getByRole('dialog')).toContainText('高级职务资格证书专用章（钢印）');
    await expect(page.getByRole('dialog')).toContainText(`错误 ${expectedErrorRows} 行`);
    await screenshot(page, testInfo, '09-seal-confirm');
    await page.getByTestId('seal-confirm').click();
    const entries = page.getByTestId('seal-entries');
    await expect(entries).toContainText('高级职务资格证书专用章（钢印）');
    await expect(entries).toContainText(String(sealable));
    await expect(page.getByTestId('seal-button')).toBeDisabled();
    await expect(page.getByTestId('seal-button')).toHaveText('已签章');
    await screenshot(page, testInfo, '10-sealed');
  });

  await test.step('print the visit register sheet', async () => {
    await page.getByTestId('print-visit-sheet').click();
    await expect(page.getByTestId('pdf-frame')).toBeVisible();
    await page.waitForTimeout(1000);
    await screenshot(page, testInfo, '11-print');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pdf-download').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfPath = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text.status, 'pdftotext (poppler-utils) must be installed').toBe(0);
    expect(text.stdout).toContain('印章使用登记表');
    expect(text.stdout).toContain(UNIT);
    await page.getByTestId('pdf-close').click();
    await expect(page.getByTestId('pdf-frame')).toBeHidden();
  });

  await test.step('the register shows the entry and verifies', async () => {
    await page.getByTestId('nav-register').click();
    const register = page.getByTestId('register-table');
    await expect(register).toContainText(UNIT);
    await expect(register).toContainText('QZ2025-0001');
    await screenshot(page, testInfo, '12-register');
    await page.getByTestId('register-verify').click();
    await expect(page.getByTestId('register-verify-result')).toContainText('全部 1 条登记完整');
    await screenshot(page, testInfo, '13-register-verified');
  });
});
