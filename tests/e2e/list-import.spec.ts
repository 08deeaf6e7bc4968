import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_DIR, expect, fixture, screenshot, test } from './support';

/**
 * Approved lists in the formats offices actually receive: a CSV saved by Excel on Chinese Windows
 * (GBK, no BOM) and an Excel 97-2003 workbook; then the same list again, unchanged and corrected.
 */

// An action that cannot happen (a hidden element) fails in seconds rather than at the test timeout.
test.use({ actionTimeout: 15_000 });

const GBK_LIST = fixture('approved/exam-economist-2025.gbk.csv');
const GBK_DOC = '川人社办发〔2025〕112号';
const XLS_LIST = join(REPO_DIR, 'tests', 'fixtures', 'worker-grade-2025.xls');
const XLS_DOC = '川人社职鉴〔2025〕8号';

// Decoded here independently of the app, so a search by name proves the app decoded GBK too.
const gbkLines = new TextDecoder('gbk').decode(readFileSync(GBK_LIST)).split(/\r?\n/).filter((line) => line.trim() !== '');
const [, , gbkName = '', , gbkId = ''] = gbkLines[1]?.split(',') ?? [];
// The worker roster's people come from the worker-grade list, which the .xls holds.
const [, , , , workerName = '', , workerId = ''] = readFileSync(fixture('rosters/worker-grade.csv'), 'utf8').split(/\r?\n/)[1]?.split(',') ?? [];

async function previewList(page: Page, path: string): Promise<void> {
  await page.getByTestId('list-import-input').setInputFiles(path);
  await expect(page.getByRole('dialog')).toBeVisible();
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByTestId('list-search').fill(text);
  await page.getByTestId('list-search').press('Enter');
}

test('a GBK CSV and an .xls list import cleanly, are found by search, and a corrected list replaces the old one only when confirmed', async ({ page, host }, testInfo) => {
  expect(gbkName).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
  expect(workerId).toMatch(/^\d{17}[\dX]$/);
  await page.goto(host.url);
  await page.getByTestId('nav-lists').click();
  const lists = page.getByTestId('lists-table');

  await test.step('the GBK CSV', async () => {
    await previewList(page, GBK_LIST);
    await expect(page.getByTestId('list-import-doc')).toHaveValue(GBK_DOC);
    await expect(page.getByRole('dialog')).toContainText('200 行');
    await expect(page.getByRole('dialog')).not.toContainText('无法导入');
    await screenshot(page, testInfo, '01-gbk-preview');
    await page.getByTestId('list-import-confirm').click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(lists.getByRole('row', { name: new RegExp(GBK_DOC) })).toContainText('200');
  });

  await test.step('the .xls workbook', async () => {
    await previewList(page, XLS_LIST);
    await expect(page.getByTestId('list-import-doc')).toHaveValue(XLS_DOC);
    await expect(page.getByRole('dialog')).toContainText('150 行');
    await expect(page.getByRole('dialog')).toContainText('工人技术等级资格证书');
    await page.getByTestId('list-import-confirm').click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(lists.getByRole('row', { name: new RegExp(XLS_DOC) })).toContainText('150');
    await screenshot(page, testInfo, '02-lists');
  });

  await test.step('a search finds a person from each', async () => {
    await search(page, gbkName);
    const people = page.getByTestId('people-table');
    await expect(people).toContainText(gbkId);
    await expect(people).toContainText(GBK_DOC);
    await screenshot(page, testInfo, '03-search-gbk');
    await search(page, workerId);
    await expect(people).toContainText(workerName);
    await expect(people).toContainText(XLS_DOC);
    await screenshot(page, testInfo, '04-search-xls');
  });

  await test.step('the same file again: nothing to update', async () => {
    await previewList(page, GBK_LIST);
    await expect(page.getByTestId('list-import-unchanged')).toBeVisible();
    await expect(page.getByTestId('list-import-confirm')).toBeDisabled();
    await screenshot(page, testInfo, '05-unchanged');
    await page.getByRole('button', { name: '取消' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
  });

  await test.step('a corrected list: the differences, then the update once confirmed', async () => {
    // One person dropped and one work unit corrected, saved as UTF-8 the way a clerk re-exports it.
    const header = gbkLines[0] ?? '';
    const data = gbkLines.slice(1, -1);
    data[0] = (data[0] ?? '').replace(/,[^,]*(有限公司|研究院|局|厅|大学|医院)[^,]*,/, ',四川省交通运输厅,');
    expect(data[0]).toContain('四川省交通运输厅');
    const corrected = testInfo.outputPath('exam-economist-2025-corrected.csv');
    writeFileSync(corrected, `\uFEFF${[header, ...data].join('\r\n')}\r\n`, 'utf8');

    const titleBefore = (await lists.getByRole('row', { name: new RegExp(GBK_DOC) }).getByRole('cell').nth(1).textContent()) ?? '';
    await previewList(page, corrected);
    const diff = page.getByTestId('list-import-diff');
    await expect(diff).toContainText('新增 0 人，删除 1 人，变更 1 人');
    await expect(diff).toContainText(gbkName);
    await expect(page.getByTestId('list-import-confirm')).toHaveText('确认按新名单更新');
    await screenshot(page, testInfo, '06-diff');
    await page.getByTestId('list-import-confirm').click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(lists.getByRole('row', { name: new RegExp(GBK_DOC) })).toContainText('199');
    // The list keeps its title: the re-exported file has no title row, and its name is no title.
    await expect(lists.getByRole('row', { name: new RegExp(GBK_DOC) }).getByRole('cell').nth(1)).toHaveText(titleBefore);
    await expect(lists.locator('.ant-table-row')).toHaveCount(2);
  });
});
