import { writeFileSync } from 'node:fs';
import { PRACTICE_FAULTS, cleanRoster, practicePeople, practiceRoster } from '../../services/visits/training';
import { recordPrinting, scan } from './counter-scanner';
import { expect, fixture, prepareSeniorCounter, screenshot, test, upload } from './support';
import type { Host } from './support';

/**
 * Issue 12's measure, end to end: a unit that has been to the counter before brings a 100-row
 * senior roster with three faulty rows and a slip on which 98 certificates are written. From the
 * agent at the counter to the register sheet printing takes at most eight deliberate actions, with
 * the keyboard and the scanner only, on a 1366×768 screen. A screenshot of every step is saved.
 */

test.use({ actionTimeout: 15_000, viewport: { width: 1366, height: 768 } });

const UNIT = '四川华西集团有限公司';
const SENIOR = '高级专业技术职务资格证书';
const SLIP = 'QZ2026-0007';
const AGENT = { name: '张经办', phone: '028-86123456' };

/** The counter as it is on the morning of the visit: lists, reference data, units, and the unit's earlier visit. */
async function counterWithKnownUnit(host: Host, rosterPath: string): Promise<void> {
  await prepareSeniorCounter(host);
  await host.api('reference.import', { kind: 'units', ...upload(fixture('units.csv')) });
  const people = practicePeople((await host.api('lists.rows', { offset: 0, limit: 1000 })).rows);
  const earlier = await host.api('visits.create', { unit: UNIT, agentName: AGENT.name, agentPhone: AGENT.phone, certificateType: SENIOR, slipNo: 'QZ2026-0006', slipCount: 2, slipSigner: '谢天涛' });
  await host.api('visits.importRoster', { visitId: earlier.id, fileName: '上次名册.csv', dataBase64: Buffer.from(cleanRoster(people.slice(100, 102), 800001)).toString('base64') });
  await host.api('visits.seal', { visitId: earlier.id });
  writeFileSync(rosterPath, practiceRoster(people, 700001));
}

test('a whole visit in eight deliberate actions: scan, count, signer, roster, confirm, seal, print', async ({ page, host }, testInfo) => {
  const rosterPath = testInfo.outputPath('华西集团-发证名册.csv');
  await counterWithKnownUnit(host, rosterPath);
  await recordPrinting(page);
  await page.goto(host.url);
  await expect(page.getByTestId('visit-new')).toBeVisible();
  await screenshot(page, testInfo, '00-agent-at-the-counter');
  const actions: string[] = [];
  const act = async (what: string, work: () => Promise<void>) => {
    actions.push(what);
    await work();
  };

  await test.step('1: the slip is scanned on the visit list: a new visit filled from the issuance list and the unit’s last agent', async () => {
    await act('扫描凭条', () => scan(page, SLIP));
    await expect(page.getByTestId('visit-slip')).toHaveValue(SLIP);
    await expect(page.getByTestId('visit-unit')).toHaveValue(UNIT);
    await expect(page.getByTestId('visit-cert-type')).toContainText(SENIOR);
    await expect(page.getByTestId('visit-agent-name')).toHaveValue(AGENT.name);
    await expect(page.getByTestId('visit-agent-phone')).toHaveValue(AGENT.phone);
    await expect(page.getByTestId('visit-slip-count')).toBeFocused();
    await screenshot(page, testInfo, '01-slip-scanned');
  });

  await test.step('2: the count written on the slip', async () => {
    await act('输入凭条证书数 98 ⏎', async () => {
      await page.keyboard.type('98', { delay: 80 });
      await page.keyboard.press('Enter');
    });
    await expect(page.getByTestId('visit-slip-signer')).toBeFocused();
    await screenshot(page, testInfo, '02-count');
  });

  const chooser = page.waitForEvent('filechooser');
  await test.step('3: the signer, the last required field: Enter creates the visit and opens the roster picker', async () => {
    await act('输入签字人 ⏎', async () => {
      await page.keyboard.type('谢天涛', { delay: 80 });
      await page.keyboard.press('Enter');
    });
    await expect(page.getByTestId('roster-import-input')).toBeAttached();
    await screenshot(page, testInfo, '03-visit-created');
  });

  await test.step('4: the roster file is chosen: problem rows first, every column on a 1366×768 screen', async () => {
    await act('选择发证名册文件', async () => (await chooser).setFiles(rosterPath));
    await expect(page.getByTestId('visit-summary')).toContainText('共 100 行');
    await expect(page.getByTestId('visit-summary')).toContainText('错误 2');
    await expect(page.getByTestId('visit-summary')).toContainText('警告 1');
    const firstRows = page.locator('[data-testid="row-verdict"]');
    await expect(firstRows.nth(0)).toHaveAttribute('data-row-no', String(PRACTICE_FAULTS.idChecksum));
    await expect(firstRows.nth(1)).toHaveAttribute('data-row-no', String(PRACTICE_FAULTS.nameMismatch));
    await expect(firstRows.nth(2)).toHaveAttribute('data-row-no', String(PRACTICE_FAULTS.unitMismatch));
    await expect(page.getByTestId('visit-rows-table')).toContainText('校验位不正确');
    const overflow = await page.evaluate(() => {
      const body = document.querySelector('[data-testid="visit-rows-table"] .ant-table-body, [data-testid="visit-rows-table"] .ant-table-tbody-virtual-holder');
      return { page: document.documentElement.scrollWidth - window.innerWidth, table: body ? body.scrollWidth - body.clientWidth : -1 };
    });
    expect(overflow.page, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    expect(overflow.table, 'the roster scrolls sideways').toBeLessThanOrEqual(0);
    await screenshot(page, testInfo, '04-roster-problems-first');
  });

  await test.step('5: Ctrl+Enter asks first for the warning’s reason, the common one already chosen', async () => {
    await act('Ctrl+Enter', () => page.keyboard.press('Control+Enter'));
    await expect(page.getByTestId('acknowledge-reason')).toBeFocused();
    await expect(page.getByTestId('acknowledge-reason')).toHaveValue('已核实单位变动证明');
    await screenshot(page, testInfo, '05-confirm-warning');
  });

  await test.step('6: Enter confirms it and leads on to the seal confirmation', async () => {
    await act('⏎ 确认警告', () => page.keyboard.press('Enter'));
    await expect(page.getByTestId('seal-confirm')).toBeFocused();
    await expect(page.getByRole('dialog')).toContainText('确认签章：98 本');
    await screenshot(page, testInfo, '06-seal-confirm');
  });

  await test.step('7: Enter seals, and the register sheet opens with the focus on 打印', async () => {
    await act('⏎ 签章', () => page.keyboard.press('Enter'));
    await expect(page.getByTestId('pdf-frame')).toBeVisible();
    await expect(page.getByTestId('pdf-print')).toBeFocused();
    await page.waitForTimeout(500);
    await screenshot(page, testInfo, '07-sheet');
  });

  await test.step('8: Enter prints', async () => {
    await act('⏎ 打印', () => page.keyboard.press('Enter'));
    await expect(page.getByTestId('pdf-print')).toHaveAttribute('data-print-requested', 'yes');
    expect(await page.evaluate(() => (window as unknown as { printedFrames?: number }).printedFrames)).toBe(1);
    await screenshot(page, testInfo, '08-printing');
  });

  console.log(`counter visit: ${actions.length} deliberate actions: ${actions.join(' → ')}`);
  expect(actions.length).toBeLessThanOrEqual(8);
  const entries = (await host.api('register.list', { unit: UNIT, offset: 0, limit: 10 })).entries;
  expect(entries[0]).toMatchObject({ count: 98, slipNo: SLIP, agentName: AGENT.name, approver: '谢天涛' });
  expect(entries[0]!.remarks).toContain(`序号 ${PRACTICE_FAULTS.unitMismatch} 的警告经确认，理由：已核实单位变动证明`);
});
