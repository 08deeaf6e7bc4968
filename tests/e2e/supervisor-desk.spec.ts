import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { expect, fixture, prepareSeniorCounter, screenshot, test, upload } from './support';

/**
 * The supervisor's desk on screen: a 预审 of a roster and its report, the counter day recognising
 * the prechecked file, a spot check of certificates drawn, looked at and recorded (and a redraw
 * shown as such), a spot check of a whole visit from the draw to its paper, and the 统计 page with
 * its charts. Screenshots of each step land in the test's output folder.
 */
test.use({ actionTimeout: 15_000 });

const UNIT = '四川省住房和城乡建设厅';
const ACCOUNTANTS = readFileSync(fixture('approved/exam-intermediate-accountant-2025.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));

test('预审, the prechecked file on the counter day, a spot check and the statistics', async ({ page, host }, testInfo) => {
  await host.api('lists.import', upload(fixture('approved/exam-intermediate-accountant-2025.csv')));
  const rows = ACCOUNTANTS.slice(0, 6).map((p, i) => `${i + 1},C${String(i + 1).padStart(5, '0')},${p[2]},${p[3]},${p[4]},${p[8]}`);
  const roster = ['序号,证书编号,姓名,性别,身份证号码,资格名称', ...rows, '7,C00007,王芳,女,11010519491231002X,中级会计师'].join('\n');
  const rosterPath = join(mkdtempSync(join(tmpdir(), 'precheck-e2e-')), '住建厅名册.csv');
  writeFileSync(rosterPath, roster);

  let code = '';
  let visitId = 0;
  await test.step('预审: the roster checked, the row to fix listed, the report with its code', async () => {
    await page.goto(host.url);
    await page.getByTestId('nav-precheck').click();
    await page.getByTestId('precheck-unit').fill(UNIT);
    await page.getByTestId('precheck-file').setInputFiles(rosterPath);
    await expect(page.getByTestId('precheck-counts')).toHaveText('共 7 行：通过 6，警告 0，错误 1');
    await expect(page.getByTestId('precheck-rows')).toContainText('王芳');
    await expect(page.getByTestId('precheck-rows')).toContainText('不在批准名单');
    code = (await page.getByTestId('precheck-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    await screenshot(page, testInfo, '01-precheck');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('precheck-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`预审报告-${code}.pdf`);
    const text = spawnSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain(`预审码：${code}`);
  });

  await test.step('the counter day: the same file says it was prechecked', async () => {
    const visit = await host.api('visits.create', { unit: UNIT, agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    await page.getByTestId('nav-visits').click();
    await page.getByRole('row', { name: new RegExp(UNIT) }).first().click();
    await page.getByTestId('roster-import-input').setInputFiles(rosterPath);
    await expect(page.getByTestId('precheck-notice')).toContainText(`已预审，与预审报告一致（预审码 ${code}`);
    await screenshot(page, testInfo, '02-counter-day-prechecked');
    await host.api('visits.setDocuments', { visitId: visit.id, documents: ['登记表'] });
    await host.api('visits.seal', { visitId: visit.id });
    visitId = visit.id;
  });

  await test.step('抽查: draw two, look at what the clerk saw, record 合格 and a problem', async () => {
    await page.getByTestId('nav-spotcheck').click();
    await page.getByTestId('spotcheck-amount').fill('2');
    await page.getByTestId('spotcheck-draw').click();
    const items = page.getByTestId('spotcheck-items');
    await expect(items.locator('tbody tr.ant-table-row')).toHaveCount(2);
    const certNos = await items.locator('tbody tr.ant-table-row td:nth-child(2)').allTextContents();
    await items.locator('tbody tr.ant-table-row').first().locator('.ant-table-row-expand-icon').click();
    await expect(page.getByTestId(`spotcheck-seen-${certNos[0]}`)).toContainText('核验结果');
    await page.getByTestId(`spotcheck-pass-${certNos[0]}`).click();
    await expect(page.getByTestId(`spotcheck-result-${certNos[0]}`)).toContainText('合格');
    await page.getByTestId(`spotcheck-problem-${certNos[1]}`).click();
    await page.getByTestId('spotcheck-problem-note').fill('登记表未见单位盖章');
    await page.getByTestId('spotcheck-problem-confirm').click();
    await expect(page.getByTestId(`spotcheck-result-${certNos[1]}`)).toContainText('有问题登记表未见单位盖章');
    await expect(page.getByTestId('spotcheck-progress')).toHaveText('2 / 1');
    await screenshot(page, testInfo, '03-spotcheck', true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('spotcheck-pdf').click()]);
    const text = spawnSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('抽查记录');
    expect(text).toContain('登记表未见单位盖章');
  });

  await test.step('a second draw over the same range is shown as a redraw', async () => {
    await page.getByTestId('spotcheck-draw').click();
    await expect(page.getByTestId('spotcheck-detail')).toContainText('本次为重新抽样，已记入登记簿');
    await expect(page.getByTestId('spotcheck-draws')).toContainText('第 2 次抽样');
    // Both draws are register entries, the second naming the first; the chain holds them all.
    const [second, first] = await host.api('spotcheck.list', {});
    expect(second!.earlierDraws).toEqual([first!.seq]);
    expect(first).toMatchObject({ checked: 2, problems: 1 });
    expect(await host.api('register.verify', {})).toMatchObject({ intact: true, count: second!.seq });
  });

  await test.step('抽查 of a whole visit: drawn, everything the clerk saw, a problem recorded by keyboard, the paper and the .xlsx', async () => {
    await page.getByTestId('spotcheck-sampling').getByText('整次办证').click();
    await page.getByTestId('spotcheck-amount').fill('1');
    await page.getByTestId('spotcheck-draw').click();
    await expect(page.getByTestId('spotcheck-detail')).toContainText('（整次办证）');
    const visits = page.getByTestId('spotcheck-visits');
    await expect(visits.locator('tbody tr.ant-table-row')).toHaveCount(1);
    // The first row in the page's order is the sampled visit's (the opened visit holds tables of its own).
    const sampled = visits.locator('tbody tr.ant-table-row').first();
    await expect(sampled).toContainText(`${visitId}${UNIT}李明`);
    await expect(sampled).toContainText('6 / 7未签章 1');
    await sampled.locator('.ant-table-row-expand-icon').click();
    const seen = page.getByTestId(`spotcheck-visit-seen-${visitId}`);
    await expect(seen).toContainText('已查验材料登记表');
    await expect(seen).toContainText('共 7 行，签章 6 行，未签章 1 行');
    await expect(page.getByTestId(`spotcheck-visit-entries-${visitId}`)).toContainText('签章');
    // The roster as the counter showed it once sealed: six 已签章 rows, 王芳 refused with the finding.
    const roster = seen.getByTestId('visit-rows-table');
    await expect(roster.getByTestId('row-verdict')).toHaveCount(7);
    await expect(roster.getByTestId('row-verdict').getByText('已签章')).toHaveCount(6);
    await expect(roster.locator('[data-testid="row-verdict"][data-row-no="7"]')).toHaveText('错误不可签章');
    await expect(roster).toContainText('王芳');
    await expect(roster).toContainText('不在任何已导入的批准名单中');
    await page.getByTestId(`spotcheck-problem-visit-${visitId}`).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('spotcheck-problem-note')).toBeFocused();
    await page.keyboard.type('第 7 行王芳退回，未留退回清单');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId(`spotcheck-result-visit-${visitId}`)).toContainText('有问题第 7 行王芳退回，未留退回清单');
    await expect(page.getByTestId('spotcheck-progress')).toHaveText('1 / 1');
    await screenshot(page, testInfo, '04-spotcheck-visit', true);

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('spotcheck-pdf').click()]);
    const text = spawnSync('pdftotext', ['-layout', await pdf.path(), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('已签章的办证（每次办证整体检查）');
    expect(text.replace(/\s+/g, '')).toContain('办证号用章单位经办人窗口经办人签章时间证书张数结论说明');
    // The visit's line: 办证号, 用章单位, 经办人, 窗口经办人, the time, 证书张数, 结论, and the note (wrapped in its cell).
    expect(text).toMatch(new RegExp(`^\\s*${visitId}\\s+${UNIT}\\s+李明\\s+\\S+\\s+2026-11-24\\s+6\\s+有问题\\s+第 7 行王芳退回，`, 'm'));
    expect(text).toContain('未留退回清单');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('spotcheck-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^抽查记录-\d+\.xlsx$/);
    const rows = XLSX.utils.sheet_to_json<(string | number)[]>(XLSX.read(readFileSync(await xlsx.path())).Sheets['抽查记录']!, { header: 1, defval: '' });
    expect(rows.at(-1)!.slice(0, 3)).toEqual([visitId, UNIT, '李明']);
    expect(rows.at(-1)!.slice(7, 12)).toEqual([6, 7, 1, '有问题', '第 7 行王芳退回，未留退回清单']);

    const [draw] = await host.api('spotcheck.list', {});
    expect(draw).toMatchObject({ sampling: 'visits', sampleSize: 1, checked: 1, problems: 1, earlierDraws: [] });
    expect(await host.api('register.verify', {})).toMatchObject({ intact: true });
  });

  await test.step('统计: every chart drawn with its table', async () => {
    await page.getByTestId('nav-stats').click();
    await expect(page.getByTestId('stats-totals')).toContainText('签章证书');
    await expect(page.getByTestId('stats-totals')).toContainText('6');
    for (const chart of ['stats-by-day', 'stats-by-week', 'stats-by-unit', 'stats-by-seal', 'stats-by-clerk', 'stats-refusals']) {
      await expect(page.getByTestId(chart).locator('canvas')).toHaveCount(1);
    }
    await expect(page.getByTestId('stats-by-unit-table')).toContainText(UNIT);
    await expect(page.getByTestId('stats-refusals-table')).toContainText('不在批准名单内');
    await screenshot(page, testInfo, '05-stats', true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^统计-2026-11-01至2026-11-30\.xlsx$/);
  });
});

test('统计: blank stock issued, sealed, spoiled and held, and the page as a PDF for a report', async ({ page, host }, testInfo) => {
  const HUAXI = '四川华西集团有限公司';
  const SENIOR = '高级专业技术职务资格证书';
  await prepareSeniorCounter(host);
  await host.api('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000300' }] });
  await host.api('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload(fixture('rosters/senior-clean.xlsx')), ranges: [{ first: '51202500000101', last: '51202500000142' }] });
  const visit = await host.api('visits.create', { unit: HUAXI, agentName: '周经办', agentPhone: '028-86123456', certificateType: SENIOR, slipNo: 'QZ2026-0006', slipCount: 40, slipSigner: '谢天涛' });
  await host.api('visits.importRoster', { visitId: visit.id, ...upload(fixture('rosters/senior-clean.xlsx')) });
  expect((await host.api('visits.seal', { visitId: visit.id })).sealedCount).toBe(40);
  await host.api('stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000141', '51202500000142'] });

  await test.step('the stock chart and its tables: 200 received, 42 issued, 40 sealed, 2 spoiled, none held', async () => {
    await page.goto(host.url);
    await page.getByTestId('nav-stats').click();
    await expect(page.getByTestId('stats-range')).toHaveText('2026-11-01 至 2026-11-30');
    await expect(page.getByTestId('stats-stock').locator('canvas')).toHaveCount(1);
    await expect(page.getByTestId('stats-stock-units').locator('canvas')).toHaveCount(1);
    // 证书类型, 入库, 期初持有, 发放, 签章, 废证, 期末持有, 库存
    await expect(page.getByTestId('stats-stock-table').locator('.ant-table-row td')).toHaveText([SENIOR, '200', '0', '42', '40', '2', '0', '158']);
    await expect(page.getByTestId('stats-stock-units-table').locator('.ant-table-row td')).toHaveText([HUAXI, SENIOR, '0', '42', '40', '2', '0']);
    await expect(page.getByTestId('stats-stock-units-card')).toContainText('前 1 名，共 1 个单位');
    // Let the bars finish growing before the pictures are taken.
    await page.waitForTimeout(1200);
    await page.getByTestId('stats-stock-card').screenshot({ path: testInfo.outputPath('05-stats-stock.png') });
    await page.getByTestId('stats-stock-units-card').screenshot({ path: testInfo.outputPath('05-stats-stock-units.png') });
    await screenshot(page, testInfo, '06-stats-with-stock', true);
  });

  await test.step('统计报告 (PDF): the period, each chart drawn on the page above its table from the register', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-pdf').click()]);
    expect(download.suggestedFilename()).toBe('统计报告-2026-11-01至2026-11-30.pdf');
    const path = testInfo.outputPath('统计报告.pdf');
    await download.saveAs(path);
    const text = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ').replace(/： /g, '：');
    expect(text).toContain('统计期间：2026-11-01 至 2026-11-30');
    expect(text).toContain('2026-11-24 40 0 是');
    expect(text).toContain(`${HUAXI} 40 1`);
    expect(text).toContain(`${SENIOR} 2026 200 0 42 40 2 0 158`);
    expect(text).toContain(`${HUAXI} ${SENIOR} 2026 0 42 40 2 0`);
    // Every chart the page drew is in the report, as ECharts rendered it.
    const images = spawnSync('pdfimages', ['-list', path], { encoding: 'utf8' }).stdout.trim().split('\n').slice(2).filter((line) => line.trim().split(/\s+/)[2] === 'image');
    expect(images).toHaveLength(8);
    spawnSync('pdftoppm', ['-png', '-r', '60', path, testInfo.outputPath('07-stats-report')]);
  });
});
