import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import XLSX from '@e965/xlsx';
import type { Download, Page } from '@playwright/test';
import { createVisit, expect, fixture, prepareSeniorCounter, screenshot, test } from './support';

/**
 * One unit's blank certificates on screen (issue 15): the printer's pre-numbered stock received,
 * a range issued against the unit's 登记表 plus 5% spares, a visit sealed from it, a misprinted
 * one handed back at the counter (and the same one refused the second time), and the
 * reconciliation issued = sealed + spoiled + held, read off the page.
 */

test.use({ actionTimeout: 15_000 });

const UNIT = '成都市人力资源和社会保障局';
const SENIOR = '高级专业技术职务资格证书';
const RECEIVED = { first: '51202500000101', last: '51202500000300' };
// senior-clean.xlsx carries 51202500000101..140: its 40 rows plus 2 spares are 101..142.
const ISSUED = { first: '51202500000101', last: '51202500000142' };
const SPOILED = '51202500000141';

async function pickType(page: Page, form: string): Promise<void> {
  await page.getByTestId(`stock-${form}-type`).click();
  // antd's options are plain divs with a title; only the open dropdown's are clickable.
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${SENIOR}"]`).click();
  await expect(page.getByTestId(`stock-${form}-type`)).toContainText(SENIOR);
}

/** What pdftotext reads in a downloaded PDF, without the spaces it puts between wide characters. */
async function pdfText(download: Download): Promise<string> {
  return execFileSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

/** The cells of the one reconciliation row for the unit, as the clerk reads them. */
async function balanceRow(page: Page): Promise<string[]> {
  const row = page.getByTestId('stock-balance').locator('.ant-table-row', { hasText: UNIT });
  await expect(row).toHaveCount(1);
  return row.locator('td').allInnerTexts();
}

test('stock: receive a range, issue it to a unit with spares, seal, return a spoiled one, reconcile', async ({ page, host }, testInfo) => {
  await prepareSeniorCounter(host);
  await page.goto(host.url);

  await test.step('空白证书入库: the printer’s 200 pre-numbered blanks', async () => {
    await page.getByTestId('nav-stock').click();
    await page.getByTestId('stock-tab-receive').click();
    await pickType(page, 'receive');
    await page.getByTestId('stock-receive-first').fill(RECEIVED.first);
    await page.getByTestId('stock-receive-last').fill(RECEIVED.last);
    await page.getByTestId('stock-receive-supplier').fill('四川省印刷厂');
    await page.getByTestId('stock-receive-submit').click();
    const shelf = page.getByTestId('stock-shelf').locator('.ant-table-row', { hasText: SENIOR });
    await expect(shelf.locator('td')).toHaveText([SENIOR, '200', '0', '200', `${RECEIVED.first}–${RECEIVED.last}`]);
    await expect(page.getByTestId('stock-movements').locator('.ant-table-row')).toHaveCount(1);
    await expect(page.getByTestId('stock-movements')).toContainText('空白证书入库');
    await screenshot(page, testInfo, '01-received', true);
  });

  await test.step('a range overlapping the stock is refused in Chinese and changes nothing', async () => {
    await page.getByTestId('stock-receive-first').fill('51202500000290');
    await page.getByTestId('stock-receive-last').fill('51202500000310');
    await page.getByTestId('stock-receive-submit').click();
    await expect(page.getByTestId('stock-receive-error')).toContainText('51202500000290');
    await expect(page.getByTestId('stock-movements').locator('.ant-table-row')).toHaveCount(1);
  });

  await test.step('发放给单位: its 登记表’s 40 rows plus 5% spares, as a range', async () => {
    await page.getByTestId('stock-tab-issue').click();
    await pickType(page, 'issue');
    await page.getByTestId('stock-issue-unit').fill(UNIT);
    await expect(page.getByTestId('stock-issue-roster-input')).toBeHidden();
    await page.getByTestId('stock-issue-roster-input').setInputFiles(fixture('rosters/senior-clean.xlsx'));
    await expect(page.getByTestId('stock-issue-roster-name')).toHaveText('senior-clean.xlsx');
    await page.getByTestId('stock-issue-first').fill(ISSUED.first);
    await page.getByTestId('stock-issue-last').fill(ISSUED.last);
    await page.getByTestId('stock-issue-contact').fill('吴人事');
    await page.getByTestId('stock-issue-phone').fill('028-85551234');
    await page.getByTestId('stock-issue-submit').click();
    await expect(page.getByText(`已向“${UNIT}”发放 42 本（其中备用 2 本）`)).toBeVisible();
    expect(await balanceRow(page)).toEqual([UNIT, SENIOR, '42', '2', '0', '0', '0', '42', '42 = 0 + 0 + 42', `${ISSUED.first}–${ISSUED.last}`, '']);
    await screenshot(page, testInfo, '02-issued', true);
  });

  await test.step('the unit’s visit is sealed at the counter from its numbers', async () => {
    await createVisit(page, { unit: UNIT, certificateType: SENIOR, slipNo: 'QZ2026-0015', slipCount: 40, slipSigner: '谢天涛' });
    await page.getByTestId('roster-import-input').setInputFiles(fixture('rosters/senior-clean.xlsx'));
    await expect(page.getByTestId('visit-summary')).toContainText('可签章 40 本');
    await page.getByTestId('seal-button').click();
    await page.getByTestId('seal-confirm').click();
    // Sealing opens the register sheet for the agent to sign.
    await page.getByTestId('pdf-close').click();
    await expect(page.getByTestId('seal-entries').locator('.ant-table-row')).toHaveCount(1);
    // The sealing says what the unit still holds: 42 issued, 40 sealed.
    await expect(page.getByTestId('seal-blanks-held')).toContainText('尚持有 2 张（领取 42，已签章 40，废证退回 0）');
  });

  await test.step('废证退回: one misprint handed back, and refused the second time', async () => {
    await page.getByTestId('nav-stock').click();
    await page.getByTestId('stock-tab-spoiled').click();
    await pickType(page, 'spoiled');
    await page.getByTestId('stock-spoiled-unit').fill(UNIT);
    await page.getByTestId('stock-spoiled-numbers').fill(SPOILED);
    await page.getByTestId('stock-spoiled-submit').click();
    await expect(page.getByText(`已登记“${UNIT}”退回的废证 1 本`)).toBeVisible();
    await expect(page.getByTestId('stock-spoiled-numbers')).toHaveValue('');

    await page.getByTestId('stock-spoiled-numbers').fill(SPOILED);
    await page.getByTestId('stock-spoiled-submit').click();
    await expect(page.getByTestId('stock-spoiled-error')).toContainText(`废证 ${SPOILED} 已于 2026-11-24 由“${UNIT}”退回登记过`);
    // A number the unit sealed is not a spoiled one.
    await page.getByTestId('stock-spoiled-numbers').fill('51202500000120');
    await page.getByTestId('stock-spoiled-submit').click();
    await expect(page.getByTestId('stock-spoiled-error')).toContainText('不是废证');
    await screenshot(page, testInfo, '03-spoiled-refused', true);
  });

  await test.step('the reconciliation: 42 issued = 40 sealed + 1 spoiled + 1 held, the shelf 158', async () => {
    expect(await balanceRow(page)).toEqual([UNIT, SENIOR, '42', '2', '0', '40', '1', '1', '42 = 40 + 1 + 1', `${ISSUED.first}–${ISSUED.last}`, '']);
    const shelf = page.getByTestId('stock-shelf').locator('.ant-table-row', { hasText: SENIOR });
    await expect(shelf.locator('td')).toHaveText([SENIOR, '200', '42', '158', `51202500000143–${RECEIVED.last}`]);
    await expect(page.getByTestId('stock-movements').locator('.ant-table-row td:nth-child(3)')).toHaveText(['废证退回', '空白证书发放', '空白证书入库']);
    await screenshot(page, testInfo, '04-reconciled', true);
  });

  await test.step('the papers: the 发放单 and the statement printed, the statement exported to Excel', async () => {
    await page.getByTestId('stock-print-issue-2').click();
    await expect(page.getByTestId('stock-paper-frame')).toBeVisible();
    await screenshot(page, testInfo, '05-issue-slip');
    const [slip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stock-paper-download').click()]);
    expect(slip.suggestedFilename()).toMatch(/\.pdf$/);
    const slipText = await pdfText(slip);
    expect(slipText).toContain(UNIT);
    expect(slipText).toContain(`${ISSUED.first}–${ISSUED.last}`);
    await page.getByTestId('stock-paper-close').click();

    await page.getByTestId('stock-print-statement').click();
    await expect(page.getByTestId('stock-paper-name')).toContainText('空白证书领用对账单-2026.pdf');
    const [statement] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stock-paper-download').click()]);
    expect(await pdfText(statement)).toContain(`${UNIT}${SENIOR}4220401151202500000101–51202500000142相符`);
    await page.getByTestId('stock-paper-close').click();

    const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stock-export-statement').click()]);
    expect(sheet.suggestedFilename()).toBe('空白证书领用对账单-2026.xlsx');
    const book = XLSX.read(readFileSync(await sheet.path()), { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['2026年度对账单']!, { header: 1, raw: true });
    expect(rows.find((r) => r[0] === UNIT)?.slice(0, 9)).toEqual([UNIT, SENIOR, 42, 2, 0, 40, 1, 1, `${ISSUED.first}–${ISSUED.last}`]);
  });

  await test.step('校验登记簿: the stock movements sit in the intact chain beside the sealing', async () => {
    expect(await host.api('register.verify', {})).toEqual({ intact: true, count: 4 });
  });
});

test.describe('in February, when the year’s requests come in', () => {
  test.use({ clock: '2026-02-10T10:00:00+08:00' });
  const HUAXI = '四川华西集团有限公司';
  const DEYANG = '德阳市人力资源和社会保障局';

  async function recordRequest(page: Page, unit: string, arrivedOn: string, count: number, file: string): Promise<void> {
    await page.getByTestId('slip-request-unit').fill(unit);
    await page.getByTestId('slip-request-arrived').fill(arrivedOn);
    await page.getByTestId('slip-request-count').fill(String(count));
    await page.getByTestId('slip-request-file-input').setInputFiles(file);
    await expect(page.getByTestId('slip-request-files')).toContainText(file.split('/').pop()!);
    await page.getByTestId('slip-request-submit').click();
  }

  test('slip requests: one in time, one late and admitted, a file that is not a roster refused, the slips numbered and exported', async ({ page, host }, testInfo) => {
    await page.goto(host.url);
    await page.getByTestId('nav-stock').click();
    await page.getByTestId('stock-tab-requests').click();
    const requests = page.getByTestId('slip-requests');
    // The browser's own file input ("Choose File") never shows: only the picker's Chinese button.
    await expect(page.getByTestId('slip-request-file-input')).toBeHidden();

    await recordRequest(page, HUAXI, '2026-01-15', 2, fixture('rosters/senior-clean.xlsx'));
    await expect(page.getByText(`已登记“${HUAXI}”的请领，已列入计划`)).toBeVisible();
    await recordRequest(page, DEYANG, '2026-02-10', 1, fixture('README.md'));
    await expect(page.getByTestId('slip-request-error')).toContainText('文件“README.md”不是可读取的发证名册');
    await expect(requests.locator('.ant-table-row')).toHaveCount(1);

    // What was typed stays after a refusal; the wrong file is taken off before the right one is added.
    await expect(page.getByTestId('slip-request-unit')).toHaveValue(DEYANG);
    await page.getByTestId('slip-request-files-clear').click();
    await recordRequest(page, DEYANG, '2026-02-10', 1, fixture('rosters/worker-grade.csv'));
    await expect(page.getByText(`已登记“${DEYANG}”的请领：逾期，未列入计划`)).toBeVisible();
    await expect(requests.locator('.ant-table-row', { hasText: DEYANG })).toContainText('逾期');
    await screenshot(page, testInfo, '11-requests', true);

    await page.getByTestId('slip-requests-number').click();
    await expect(requests.locator('.ant-table-row', { hasText: HUAXI })).toContainText('QZ2026-0001、QZ2026-0002');
    await expect(requests.locator('.ant-table-row', { hasText: DEYANG }).locator('td').last()).toHaveText('');

    await requests.locator('.ant-table-row', { hasText: DEYANG }).getByRole('button', { name: '准予列入' }).click();
    await page.getByTestId('slip-admit-reason').fill('材料已于 1 月寄出，邮路延误，经处长同意');
    await screenshot(page, testInfo, '12-admit-late');
    await page.getByTestId('slip-admit-confirm').click();
    await expect(requests.locator('.ant-table-row', { hasText: DEYANG })).toContainText('已准予列入（李窗口）');
    await page.getByTestId('slip-requests-number').click();
    await expect(requests.locator('.ant-table-row', { hasText: DEYANG })).toContainText('QZ2026-0003');

    const [list] = await Promise.all([page.waitForEvent('download'), page.getByTestId('slip-requests-export').click()]);
    expect(list.suggestedFilename()).toBe('签章凭条发放清单-2026.csv');
    expect(readFileSync(await list.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n')).toEqual([
      '凭条编号,用章单位,年度,发放日期', `QZ2026-0001,${HUAXI},2026,2026-02-10`, `QZ2026-0002,${HUAXI},2026,2026-02-10`, `QZ2026-0003,${DEYANG},2026,2026-02-10`,
    ]);
    // The numbered slips are what the counter checks a visit's slip against.
    expect((await host.api('reference.summary', {})).slips).toBe(3);
    await screenshot(page, testInfo, '13-numbered', true);
  });
});
