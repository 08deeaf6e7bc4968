import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { PRACTICE_FAULTS, cleanRoster, practicePeople, practiceRoster } from '../../services/visits/training';
import { scan } from './counter-scanner';
import { expect, fixture, prepareSeniorCounter, screenshot, test, upload } from './support';
import type { Host } from './support';

/**
 * The rest of issue 12 at the counter, in Chromium against the loopback host: scans anywhere (a
 * slip, a certificate, a number never sealed), the ledger search, the help overlay, F8 through the
 * problem rows, mending and dropping a visit, an unreadable roster kept on the visit, fewer
 * certificates than the slip printed with their reason, a lost backend, and training mode.
 */

test.use({ actionTimeout: 15_000, viewport: { width: 1366, height: 768 } });

const UNIT = '四川华西集团有限公司';
const SENIOR = '高级专业技术职务资格证书';

/** Lists and reference data, one earlier sealing for the unit; returns its certificate numbers and the practice roster. */
async function counterWithHistory(host: Host, rosterPath: string): Promise<{ sealed: string[]; holder: { name: string; idNumber: string } }> {
  await prepareSeniorCounter(host);
  await host.api('reference.import', { kind: 'units', ...upload(fixture('units.csv')) });
  const people = practicePeople((await host.api('lists.rows', { offset: 0, limit: 1000 })).rows);
  const earlier = await host.api('visits.create', { unit: UNIT, agentName: '张经办', agentPhone: '028-86123456', certificateType: SENIOR, slipNo: 'QZ2026-0006', slipCount: 2, slipSigner: '谢天涛' });
  await host.api('visits.importRoster', { visitId: earlier.id, fileName: '上次名册.csv', dataBase64: Buffer.from(cleanRoster(people.slice(100, 102), 800001)).toString('base64') });
  await host.api('visits.seal', { visitId: earlier.id });
  writeFileSync(rosterPath, practiceRoster(people, 700001));
  return { sealed: ['51202501800001', '51202501800002'], holder: { name: people[100]!.name, idNumber: people[100]!.idNumber } };
}

test('scans anywhere: a slip typed into another field stays out of it, a certificate opens the ledger, an unknown number says so', async ({ page, host }, testInfo) => {
  const { sealed, holder } = await counterWithHistory(host, testInfo.outputPath('roster.csv'));
  await page.goto(host.url);

  await test.step('a slip scanned while the cursor is in 事由 starts the form afresh from the slip, and 事由 stays empty', async () => {
    await page.getByTestId('visit-new').click();
    await page.getByTestId('visit-purpose').click();
    await scan(page, 'QZ2026-0007');
    await expect(page.getByTestId('visit-slip')).toHaveValue('QZ2026-0007');
    await expect(page.getByTestId('visit-unit')).toHaveValue(UNIT);
    await expect(page.getByTestId('visit-purpose')).toHaveValue('');
    await screenshot(page, testInfo, 'scan-slip-in-field');
  });

  await test.step('a certificate number scanned in the 登记簿 filter opens the ledger; the filter keeps what was typed', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByTestId('register-unit-filter').click();
    await page.keyboard.type('华西', { delay: 80 });
    await scan(page, sealed[0]!);
    const lookup = page.getByTestId('certificate-lookup');
    await expect(lookup.getByTestId('certificate-card')).toHaveCount(1);
    await expect(lookup).toContainText(holder.name);
    await expect(lookup.getByTestId('certificate-status')).toHaveText('已签章');
    await expect(lookup).toContainText(UNIT);
    await expect(lookup).toContainText('李窗口');
    await screenshot(page, testInfo, 'scan-certificate');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('register-unit-filter')).toHaveValue('华西');
  });

  await test.step('a number never sealed and never issued is said so, and nothing opens', async () => {
    await page.getByTestId('register-unit-filter').click();
    await scan(page, '51202501999999');
    await expect(page.getByText('既不是已发放的签章凭条，也不是本窗口签章过的证书编号')).toBeVisible();
    await expect(page.getByTestId('certificate-lookup')).toHaveCount(0);
    await screenshot(page, testInfo, 'scan-unknown');
  });

  await test.step('the 登记簿 search box finds a certificate by ID number, and says when a number was never sealed', async () => {
    await page.getByTestId('register-certificate-search').fill(holder.idNumber);
    await page.getByTestId('register-certificate-search').press('Enter');
    await expect(page.getByTestId('certificate-lookup').getByTestId('certificate-card')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await page.getByTestId('register-certificate-search').fill('51202501999999');
    await page.getByTestId('register-certificate-search').press('Enter');
    await expect(page.getByTestId('certificate-not-found')).toContainText('本窗口没有签章过“51202501999999”');
    await screenshot(page, testInfo, 'search-never-sealed');
    await page.keyboard.press('Escape');
  });

  await test.step('F1 lists every chord', async () => {
    await page.keyboard.press('F1');
    await expect(page.getByTestId('help-overlay')).toContainText('Ctrl+Enter');
    await expect(page.getByTestId('help-overlay')).toContainText('F8 / Shift+F8');
    await screenshot(page, testInfo, 'help-overlay');
    await page.keyboard.press('Escape');
  });
});

test('F8 walks the problem rows; a visit is mended with a reason and dropped with 作废', async ({ page, host }, testInfo) => {
  const rosterPath = testInfo.outputPath('roster.csv');
  await counterWithHistory(host, rosterPath);
  const visit = await host.api('visits.create', { unit: UNIT, agentName: '张经办', agentPhone: '028-86123456', certificateType: SENIOR, slipNo: 'QZ2026-0007', slipCount: 100, slipSigner: '谢天涛' });
  await host.api('visits.importRoster', { visitId: visit.id, ...upload(rosterPath) });
  await page.goto(host.url);
  await page.getByRole('row', { name: new RegExp(UNIT) }).click();
  await expect(page.getByTestId('visit-summary')).toContainText('共 100 行');

  await test.step('F8 / Shift+F8 move between the problem rows', async () => {
    const current = page.locator('.roster-row-current [data-testid="row-verdict"]');
    await page.keyboard.press('F8');
    await expect(current).toHaveAttribute('data-row-no', String(PRACTICE_FAULTS.idChecksum));
    await page.keyboard.press('F8');
    await expect(current).toHaveAttribute('data-row-no', String(PRACTICE_FAULTS.nameMismatch));
    await page.keyboard.press('F8');
    await expect(current).toHaveAttribute('data-row-no', String(PRACTICE_FAULTS.unitMismatch));
    await page.keyboard.press('Shift+F8');
    await expect(current).toHaveAttribute('data-row-no', String(PRACTICE_FAULTS.nameMismatch));
    await screenshot(page, testInfo, 'f8-problem-rows');
  });

  await test.step('F2 mends the slip count with a reason, kept with the visit', async () => {
    await page.keyboard.press('F2');
    await page.getByTestId('mend-slipCount').fill('98');
    await page.getByTestId('mend-reason').fill('凭条数量录入有误');
    await screenshot(page, testInfo, 'mend');
    await page.getByTestId('mend-reason').press('Enter');
    await expect(page.getByTestId('visit-amendments')).toContainText('凭条上的证书数“100”→“98”');
    await expect(page.getByTestId('visit-amendments')).toContainText('凭条数量录入有误');
    await screenshot(page, testInfo, 'mended');
  });

  await test.step('作废本次办证 with a reason: shown as 已作废 with who and why, and listed under 已作废', async () => {
    await page.getByTestId('visit-void').click();
    await page.getByTestId('acknowledge-reason').fill('用章单位带错名册，改日再来');
    await page.getByTestId('acknowledge-confirm').click();
    await expect(page.getByTestId('visit-voided')).toContainText('由 李窗口 作废');
    await expect(page.getByTestId('visit-voided')).toContainText('用章单位带错名册，改日再来');
    await expect(page.getByTestId('visit-voided-tag')).toBeVisible();
    await expect(page.getByTestId('seal-button')).toHaveCount(0);
    await screenshot(page, testInfo, 'voided');
    await page.getByRole('button', { name: '返回列表' }).click();
    await page.getByText('已作废', { exact: true }).click();
    await expect(page.getByRole('row', { name: new RegExp(UNIT) })).toContainText('用章单位带错名册，改日再来');
    await screenshot(page, testInfo, 'voided-list');
  });
});

test('an unreadable roster stays on the visit; re-importing asks first; fewer than the slip is sealed with a reason the sheet prints', async ({ page, host }, testInfo) => {
  const rosterPath = testInfo.outputPath('roster.csv');
  await counterWithHistory(host, rosterPath);
  await host.api('visits.create', { unit: UNIT, agentName: '张经办', agentPhone: '028-86123456', certificateType: SENIOR, slipNo: 'QZ2026-0007', slipCount: 100, slipSigner: '谢天涛' });
  const broken = testInfo.outputPath('名册.xlsx');
  writeFileSync(broken, 'this is not a workbook');
  await page.goto(host.url);
  await page.getByRole('row', { name: new RegExp(UNIT) }).click();

  await test.step('the unreadable file is said on the visit, with what to tell the unit, and is still there when the visit is reopened', async () => {
    await page.getByTestId('roster-import-input').setInputFiles(broken);
    await expect(page.getByTestId('roster-error')).toContainText('名册.xlsx');
    await expect(page.getByTestId('roster-error')).toContainText('请告知用章单位');
    await screenshot(page, testInfo, 'import-error');
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Alt+1');
    await page.getByRole('row', { name: new RegExp(UNIT) }).click();
    await expect(page.getByTestId('roster-error')).toContainText('名册.xlsx');
  });

  await test.step('a readable roster clears it; F9 confirms the warning with the common reason', async () => {
    await page.getByTestId('roster-import-input').setInputFiles(rosterPath);
    await expect(page.getByTestId('visit-summary')).toContainText('共 100 行');
    await expect(page.getByTestId('roster-error')).toHaveCount(0);
    await page.keyboard.press('F9');
    // The dialog opens with the common reason chosen and the focus on it: Enter confirms.
    await expect(page.getByTestId('acknowledge-reason')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('acknowledge-all')).toHaveCount(0);
  });

  await test.step('re-importing now asks first, naming the confirmations it would clear', async () => {
    await page.keyboard.press('Control+o');
    await expect(page.getByRole('dialog')).toContainText('将清除已确认的 1 行警告');
    await screenshot(page, testInfo, 'reimport-asks');
    await page.getByRole('button', { name: '取消' }).click();
  });

  await test.step('98 to seal on a slip of 100: Ctrl+Enter asks why, the reason offered first', async () => {
    await expect(page.getByTestId('slip-count-warning')).toContainText('少 2 本');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('acknowledge-reason')).toHaveValue('2 本核验不符退回单位');
    await screenshot(page, testInfo, 'fewer-than-slip');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('seal-confirm')).toBeFocused();
    await expect(page.getByRole('dialog')).toContainText('少于凭条的理由');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('pdf-frame')).toBeVisible();
  });

  await test.step('the register sheet prints the reason', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pdf-download').click()]);
    const pdfPath = testInfo.outputPath('sheet.pdf');
    await download.saveAs(pdfPath);
    // -raw keeps a table cell's lines together, in reading order.
    const text = spawnSync('pdftotext', ['-raw', pdfPath, '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout.replace(/\s+/g, '')).toContain('凭条100本，签章98本，理由：2本核验不符退回单位');
    await screenshot(page, testInfo, 'sheet');
  });
});

test('a lost backend is said in a red banner that stays, and the visit list does not pretend to be empty', async ({ page, host }, testInfo) => {
  await prepareSeniorCounter(host);
  await page.goto(host.url);
  await expect(page.getByTestId('visit-new')).toBeVisible();
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await expect(page.getByTestId('backend-lost')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('nav-register').click();
  await page.getByTestId('nav-visits').click();
  await expect(page.getByTestId('visit-list-error')).toContainText('无法连接签章窗口服务');
  await expect(page.getByText('没有办理中的办证')).toHaveCount(0);
  await screenshot(page, testInfo, 'backend-lost');
  await page.unroute('**/api/**');
  await expect(page.getByTestId('backend-lost')).toHaveCount(0, { timeout: 15_000 });
});

test.describe('training mode', () => {
  test.use({ hostArgs: ['--training'], signedIn: false });

  test('npm start -- --training: its own database from the fixtures, 培训 on every screen and on the printed sheet', async ({ page, host }, testInfo) => {
    await page.goto(host.url);
    await page.getByTestId('signin-username').fill('peixun');
    await page.getByTestId('signin-password').fill('peixun-2026');
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('training-watermark')).toBeVisible();
    await expect(page.getByTestId('training-tag')).toContainText('培训');
    await expect(page.getByRole('row', { name: /德阳市人力资源和社会保障局/ })).toBeVisible();
    await screenshot(page, testInfo, 'training-visits');
    await page.getByTestId('nav-register').click();
    await expect(page.getByTestId('register-table').locator('.ant-table-row')).toHaveCount(4);
    await page.getByTestId('register-print-day').click();
    await expect(page.getByTestId('pdf-frame')).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pdf-download').click()]);
    const pdfPath = testInfo.outputPath('training-sheet.pdf');
    await download.saveAs(pdfPath);
    expect(spawnSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).stdout).toContain('培训');
    await screenshot(page, testInfo, 'training-sheet');
    // The real database beside it was never touched.
    expect(readFileSync(host.dbPath.replace(/\.sqlite$/, '-training.sqlite')).length).toBeGreaterThan(0);
  });
});
