import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FINDING_LABEL } from '../../core/verify/findings';
import type { FindingCode } from '../../core/verify/findings';
import { ADMIN, OFF_DAY, SENIOR14_SETTINGS, createVisit, csvDataRows, expect, expectedRoster, fixture, prepareSeniorCounter, screenshot, test } from './support';

/**
 * Visits at the counter, end to end, through the loopback host and the built renderer, each with
 * its own database and a fixed clock. A screenshot of every step lands in the test's output folder.
 */

// An action that cannot happen (a hidden element) fails in seconds rather than at the test timeout.
test.use({ actionTimeout: 15_000 });

const UNIT = '成都市人力资源和社会保障局';
const SENIOR = '高级专业技术职务资格证书';
const REASON_UNIT = '已核实单位变动证明（调动文件）';

const rows = expectedRoster('senior-errors');
const rowsPerCode = new Map<FindingCode, number>();
for (const row of rows) for (const code of row.codes) rowsPerCode.set(code, (rowsPerCode.get(code) ?? 0) + 1);
const errorRows = rows.filter((row) => row.verdict === 'error');
const passRows = rows.filter((row) => row.verdict === 'pass').length;
const warningRows = rows.filter((row) => row.verdict === 'warning');
/** Warning rows that the copy of the foreign-language certificate alone clears. */
const langOnlyRows = warningRows.filter((row) => row.codes.every((code) => code === 'LANG_CERT_REQUIRED')).length;
/** Warning rows that need a reason (UNIT_MISMATCH), with or without LANG_CERT_REQUIRED too. */
const reasonRows = warningRows.filter((row) => row.codes.includes('UNIT_MISMATCH')).length;
/** What may be sealed once the document is ticked and every warning acknowledged: the number written on the slip. */
const SEALABLE = passRows + warningRows.length;

test('counter flow: settings, reference data, list, visit with the error roster, documents, acknowledgements, seal, register', async ({ page, host }, testInfo) => {
  expect(SEALABLE).toBe(23);

  await test.step('the app opens and hides its token', async () => {
    await page.goto(host.url);
    await expect(page.getByText('四川省人力资源和社会保障厅')).toBeVisible();
    expect(page.url()).not.toContain('token=');
    await screenshot(page, testInfo, '01-start');
  });

  await test.step('设置: import the settings file, export it back, import the reference data', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-import-input').setInputFiles(SENIOR14_SETTINGS);
    await expect(page.getByTestId('settings-certno-rules')).toContainText('^51\\d{4}(0\\d|1\\d|2[01])\\d{6}$');
    await expect(page.getByTestId('settings-seals')).toContainText('高级职务资格证书专用章（钢印）');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('settings-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { certNoRules: Record<string, { regex?: string }> };
    expect(exported.certNoRules[SENIOR]?.regex).toBe('^51\\d{4}(0\\d|1\\d|2[01])\\d{6}$');

    await page.getByTestId('reference-import-slips').setInputFiles(fixture('slips.csv'));
    await expect(page.getByTestId('reference-count-slips')).toHaveText(`${csvDataRows('slips.csv')} 张`);
    await page.getByTestId('reference-import-signers').setInputFiles(fixture('signers.csv'));
    await expect(page.getByTestId('reference-count-signers')).toHaveText(`${csvDataRows('signers.csv')} 人`);
    await page.getByTestId('reference-import-holidays').setInputFiles(fixture('holidays.csv'));
    await expect(page.getByTestId('reference-count-holidays')).toHaveText(`${csvDataRows('holidays.csv')} 天`);
    await screenshot(page, testInfo, '02-settings', true);
  });

  await test.step('import the senior approved list', async () => {
    await page.getByTestId('nav-lists').click();
    await page.getByTestId('list-import-input').setInputFiles(fixture('approved/senior-engineers-2025.xlsx'));
    await expect(page.getByTestId('list-import-doc')).toHaveValue('川职改〔2025〕12号');
    await expect(page.getByRole('dialog')).toContainText('300 行');
    await expect(page.getByTestId('list-import-confirm')).toBeEnabled();
    await screenshot(page, testInfo, '03-list-preview');
    await page.getByTestId('list-import-confirm').click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(page.getByTestId('lists-table')).toContainText('川职改〔2025〕12号');
    await expect(page.getByTestId('lists-table')).toContainText('300');
  });

  await test.step('create a visit from the keyboard: the slip fills the unit and type, Enter walks the empty fields and creates it', async () => {
    await page.getByTestId('nav-visits').click();
    await page.getByTestId('visit-new').click();
    await expect(page.getByTestId('visit-slip')).toBeFocused();
    // Typed by hand, key by key (a scanner's burst is tested in counter-flows).
    await page.keyboard.type('QZ2026-0014', { delay: 60 });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-unit')).toHaveValue(UNIT);
    await expect(page.getByTestId('visit-cert-type')).toContainText(SENIOR);
    await expect(page.getByTestId('visit-agent-name')).toBeFocused();
    await page.keyboard.type('张经办', { delay: 60 });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-agent-phone')).toBeFocused();
    await page.keyboard.type('028-86123456', { delay: 60 });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-slip-count')).toBeFocused();
    await page.keyboard.type(String(SEALABLE), { delay: 60 });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-slip-signer')).toBeFocused();
    await page.keyboard.type('谢天涛', { delay: 60 });
    await screenshot(page, testInfo, '04-new-visit');
    // The last required field: Enter creates the visit; 事由 is optional and not walked through.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('roster-import-input')).toBeAttached();
    await expect(page.getByText(UNIT).first()).toBeVisible();
    await expect(page.getByText(`${SEALABLE} 本`).first()).toBeVisible();
    // A Tuesday: no day warning.
    await expect(page.getByTestId('day-warning')).toHaveCount(0);
  });

  await test.step('import the error roster: every finding in Chinese, with its count', async () => {
    await page.getByTestId('roster-import-input').setInputFiles(fixture('rosters/senior-errors.xlsx'));
    const summary = page.getByTestId('visit-summary');
    await expect(summary).toContainText(`共 ${rows.length} 行`);
    await expect(summary).toContainText(`错误 ${errorRows.length}`);
    await expect(summary).toContainText(`警告 ${warningRows.length}`);
    await expect(summary).toContainText(`可签章 ${passRows} 本`);
    for (const [code, count] of rowsPerCode) {
      await expect(page.getByTestId(`finding-tag-${code}`)).toHaveText(`${FINDING_LABEL[code]} ${count}`);
    }
    await expect(page.getByTestId('documents-lang-hint')).toBeVisible();
    await screenshot(page, testInfo, '05-roster');
  });

  await test.step('filter by a finding', async () => {
    const table = page.getByTestId('visit-rows-table');
    await page.getByTestId('finding-tag-NOT_APPROVED').click();
    await expect(table.locator('.ant-table-row')).toHaveCount(rowsPerCode.get('NOT_APPROVED') ?? 0);
    await expect(table).toContainText('不在任何已导入的批准名单中');
    await screenshot(page, testInfo, '06-filter-not-approved');
    await page.getByTestId('finding-tag-NOT_APPROVED').click();
  });

  await test.step('every error row is blocked, every warning row waits, and the seal button says why', async () => {
    // Tall enough for the virtual table to render all rows at once, long messages wrapping included.
    await page.setViewportSize({ width: 1440, height: 5000 });
    await expect(page.locator('[data-testid="row-verdict"]')).toHaveCount(rows.length);
    for (const row of rows) {
      const verdict = page.locator(`[data-testid="row-verdict"][data-row-no="${row.row}"]`);
      if (row.verdict === 'error') await expect(verdict, `row ${row.row}`).toContainText('不可签章');
      else if (row.verdict === 'warning') await expect(verdict, `row ${row.row}`).not.toContainText('可签章');
      else await expect(verdict, `row ${row.row}`).toHaveText('通过');
    }
    await expect(page.getByTestId('acknowledge-button')).toHaveCount(reasonRows);
    await expect(page.getByTestId('row-blocked-by')).toHaveCount(warningRows.length);
    await screenshot(page, testInfo, '07-blocked', true);
    await page.setViewportSize({ width: 1440, height: 900 });
    // Not disabled: 签章 (Ctrl+Enter) leads through what is still open; the reason is in sight.
    await expect(page.getByTestId('seal-blocked-reason')).toBeVisible();
  });

  await test.step('tick 外语合格证复印件: the language-certificate rows become sealable', async () => {
    await page.getByTestId('documents-seen').getByText('外语合格证复印件').click();
    await expect(page.getByTestId('documents-seen').getByRole('checkbox', { name: '外语合格证复印件' })).toBeChecked();
    await expect(page.getByTestId('visit-summary')).toContainText(`可签章 ${passRows + langOnlyRows} 本`);
    await expect(page.getByTestId('documents-lang-hint')).toHaveCount(0);
  });

  await test.step('acknowledge one UNIT_MISMATCH row, then the rest at once, with a reason', async () => {
    await page.getByTestId('finding-tag-UNIT_MISMATCH').click();
    await page.getByTestId('acknowledge-button').first().click();
    await page.getByTestId('acknowledge-reason').fill(REASON_UNIT);
    await screenshot(page, testInfo, '08-acknowledge');
    await page.getByTestId('acknowledge-reason').press('Enter');
    await expect(page.getByTestId('acknowledge-reason')).toBeHidden();
    await expect(page.getByTestId('visit-summary')).toContainText(`可签章 ${passRows + langOnlyRows + 1} 本`);

    await expect(page.getByTestId('acknowledge-all')).toContainText(`（${reasonRows - 1} 行，F9）`);
    await page.getByTestId('acknowledge-all').click();
    await page.getByTestId('acknowledge-reason').fill(REASON_UNIT);
    await screenshot(page, testInfo, '09-acknowledge-all');
    await page.getByTestId('acknowledge-confirm').click();
    await expect(page.getByTestId('acknowledge-reason')).toBeHidden();
    await expect(page.getByTestId('acknowledge-all')).toHaveCount(0);
    await page.getByTestId('finding-tag-UNIT_MISMATCH').click();
    await expect(page.getByTestId('visit-summary')).toContainText(`可签章 ${SEALABLE} 本`);
  });

  await test.step('the slip now agrees: nothing blocks sealing', async () => {
    await expect(page.getByTestId('slip-findings')).toHaveCount(0);
    await expect(page.getByTestId('seal-blocked-reason')).toHaveCount(0);
    await expect(page.getByTestId('seal-button')).toBeEnabled();
    await expect(page.getByTestId('seal-button')).toHaveText(`签章（${SEALABLE} 本）`);
    await screenshot(page, testInfo, '10-ready');
  });

  await test.step('seal (Ctrl+Enter): exactly the sealable rows, one register entry', async () => {
    await page.keyboard.press('Control+Enter');
    const dialog = page.getByRole('dialog');
    await expect(page.getByTestId('seal-confirm')).toBeVisible();
    await expect(dialog).toContainText('高级职务资格证书专用章（钢印）');
    await expect(dialog).toContainText(`错误 ${errorRows.length} 行`);
    await expect(dialog).toContainText(`QZ2026-0014（凭条 ${SEALABLE} 本，谢天涛 签字）`);
    await screenshot(page, testInfo, '11-seal-confirm');
    await page.getByTestId('seal-confirm').click();
    // The register sheet opens by itself, for the agent to sign; it is printed in the next step.
    await expect(page.getByTestId('pdf-print')).toBeFocused();
    await page.getByTestId('pdf-close').click();
    const entries = page.getByTestId('seal-entries');
    await expect(entries.locator('.ant-table-row')).toHaveCount(1);
    await expect(entries.locator('.ant-table-row')).toContainText('高级职务资格证书专用章（钢印）');
    await expect(entries.locator('.ant-table-row td').nth(3)).toHaveText(String(SEALABLE));
    await expect(page.getByTestId('seal-remarks')).toContainText(REASON_UNIT);
    await expect(page.getByTestId('seal-button')).toBeDisabled();
    await expect(page.getByTestId('seal-button')).toHaveText('已签章');
    await screenshot(page, testInfo, '12-sealed');

    // Exactly the pass and warning rows were sealed, row by row.
    await page.setViewportSize({ width: 1440, height: 5000 });
    await expect(page.locator('[data-testid="row-verdict"]')).toHaveCount(rows.length);
    for (const row of rows) {
      const verdict = page.locator(`[data-testid="row-verdict"][data-row-no="${row.row}"]`);
      await expect(verdict, `row ${row.row}`).toHaveText(row.verdict === 'error' ? '错误不可签章' : '已签章');
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await test.step('print the visit register sheet', async () => {
    await page.getByTestId('print-visit-sheet').click();
    await expect(page.getByTestId('pdf-frame')).toBeVisible();
    await page.waitForTimeout(1000);
    await screenshot(page, testInfo, '13-print');
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

  await test.step('the register shows the entry with its count and remarks, and verifies', async () => {
    await page.getByTestId('nav-register').click();
    const register = page.getByTestId('register-table');
    await expect(register.locator('.ant-table-row')).toHaveCount(1);
    await expect(register).toContainText(UNIT);
    await expect(register).toContainText('QZ2026-0014');
    await expect(register.getByRole('cell', { name: String(SEALABLE), exact: true })).toBeVisible();
    await expect(register.getByTestId('register-remarks')).toContainText(REASON_UNIT);
    // The signed-in account is the clerk on the entry (the form no longer asks for a name).
    await expect(register.getByTestId('register-kind-1')).toHaveText('签章');
    await expect(register.getByTestId('register-clerk-1')).toContainText(ADMIN.displayName);
    await expect(register.getByTestId('register-clerk-1')).toContainText(ADMIN.username);
    await screenshot(page, testInfo, '14-register');
    await page.getByTestId('register-verify').click();
    await expect(page.getByTestId('register-verify-result')).toContainText('全部 1 条登记完整');
  });

  await test.step('the sealed visit, reopened from the list, shows its register entry', async () => {
    await page.getByTestId('nav-visits').click();
    await page.getByTestId('nav-visits').click();
    await page.getByText('已签章', { exact: true }).click();
    await page.getByRole('row', { name: new RegExp(UNIT) }).click();
    const entries = page.getByTestId('seal-entries');
    await expect(entries.locator('.ant-table-row')).toHaveCount(1);
    await expect(entries.locator('.ant-table-row td').nth(3)).toHaveText(String(SEALABLE));
    await expect(page.getByTestId('seal-remarks')).toContainText(REASON_UNIT);
    await screenshot(page, testInfo, '15-sealed-reopened');
  });
});

test('a slip that was never issued is shown in Chinese and blocks sealing', async ({ page, host }, testInfo) => {
  await prepareSeniorCounter(host);
  await page.goto(host.url);
  await createVisit(page, { unit: UNIT, certificateType: SENIOR, slipNo: 'QZ2025-0999', slipCount: 40, slipSigner: '谢天涛' });
  await page.getByTestId('roster-import-input').setInputFiles(fixture('rosters/senior-clean.xlsx'));
  await expect(page.getByTestId('visit-summary')).toContainText('可签章 40 本');

  const findings = page.getByTestId('slip-findings');
  await expect(findings.locator('li')).toHaveCount(1);
  await expect(page.getByTestId('slip-finding-SLIP_UNKNOWN')).toContainText('QZ2025-0999');
  await expect(page.getByTestId('slip-finding-SLIP_UNKNOWN')).toContainText('没有发放记录');
  await expect(page.getByTestId('seal-button')).toBeDisabled();
  await expect(page.getByTestId('seal-blocked-reason')).toContainText('签章凭条未通过核验');
  // The shortcut is blocked as well as the button.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('seal-confirm')).toHaveCount(0);
  await screenshot(page, testInfo, 'slip-unknown');
});

test.describe('on a day that is not a counter day', () => {
  test.use({ clock: OFF_DAY });

  test('the day warning asks for a reason before sealing', async ({ page, host }, testInfo) => {
    const reason = '经处长同意，本周二停电顺延办理';
    await prepareSeniorCounter(host);
    await page.goto(host.url);
    await createVisit(page, { unit: UNIT, certificateType: SENIOR, slipNo: 'QZ2026-0015', slipCount: 40, slipSigner: '谢天涛' });
    await page.getByTestId('roster-import-input').setInputFiles(fixture('rosters/senior-clean.xlsx'));
    await expect(page.getByTestId('visit-summary')).toContainText('可签章 40 本');
    await expect(page.getByTestId('slip-findings')).toHaveCount(0);

    await expect(page.getByTestId('day-warning')).toBeVisible();
    await expect(page.getByTestId('seal-blocked-reason')).toContainText('办证日');
    await screenshot(page, testInfo, 'day-warning');

    await page.getByTestId('day-acknowledge').click();
    await page.getByTestId('acknowledge-reason').fill(reason);
    await screenshot(page, testInfo, 'day-acknowledge');
    await page.getByTestId('acknowledge-confirm').click();
    await expect(page.getByTestId('day-acknowledgement')).toContainText(reason);
    await expect(page.getByTestId('seal-button')).toBeEnabled();

    await page.getByTestId('seal-button').click();
    await page.getByTestId('seal-confirm').click();
    await page.getByTestId('pdf-close').click();
    await expect(page.getByTestId('seal-entries').locator('.ant-table-row td').nth(3)).toHaveText('40');
    await expect(page.getByTestId('seal-remarks')).toContainText(reason);
    await screenshot(page, testInfo, 'day-sealed');
  });

  test('设置: the office name and the counter days are saved, and Monday then needs no reason', async ({ page, host }, testInfo) => {
    const officeName = '四川省人力资源和社会保障厅政务服务窗口';
    await prepareSeniorCounter(host);
    await page.goto(host.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-office-name').fill(officeName);
    await page.getByTestId('settings-counter-weekdays').getByText('周一').click();
    await page.getByTestId('settings-save').click();
    await expect(page.locator('.ant-layout-header')).toContainText(officeName);
    await screenshot(page, testInfo, 'settings-saved');
    expect((await host.api('settings.get', {})).counterWeekdays).toEqual([1, 2, 3, 4]);

    await createVisit(page, { unit: UNIT, certificateType: SENIOR, slipNo: 'QZ2026-0015', slipCount: 40, slipSigner: '谢天涛' });
    await page.getByTestId('roster-import-input').setInputFiles(fixture('rosters/senior-clean.xlsx'));
    await expect(page.getByTestId('visit-summary')).toContainText('可签章 40 本');
    await expect(page.getByTestId('day-warning')).toHaveCount(0);
    await expect(page.getByTestId('seal-button')).toBeEnabled();
  });
});
