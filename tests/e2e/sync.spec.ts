import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startHub, TestWorkstation } from '../support/hub';
import type { HubProcess } from '../support/hub';
import { COUNTER_DAY, expect, fixture, screenshot, test as base, upload } from './support';
import type { Page } from '@playwright/test';
import type { Host } from './support';

/**
 * The header's sync indicator against a real hub process: batches wait while the hub is down, go
 * on their own once it starts (the host's agent retries with back-off), at once after 日结 and with 同步;
 * conflicts the hub finds with another office show as a badge and a drawer.
 */

/**
 * Every hub a test starts, and its folder, are gone when the test ends, passed, failed or timed
 * out: a fixture's teardown runs in all three cases, where a finally in the test body may not.
 */
const test = base.extend<{ hubs: { dir: string; started: HubProcess[] } }>({
  // eslint-disable-next-line no-empty-pattern
  hubs: async ({}, use) => {
    const hubs = { dir: mkdtempSync(join(tmpdir(), 'seal-counter-e2e-hub-')), started: [] as HubProcess[] };
    try {
      await use(hubs);
    } finally {
      for (const hub of hubs.started) await hub.kill();
      rmSync(hubs.dir, { recursive: true, force: true });
    }
  },
});

// An action that cannot happen (a hidden element) fails in seconds rather than at the test timeout.
test.use({ actionTimeout: 15_000 });

const ROSTER_HEADER = '序号,证书编号,姓名,性别,身份证号码,资格名称';
const EXAM_LIST = 'approved/exam-intermediate-accountant-2025.csv';
/** 序号, 管理号, 姓名, 性别, 身份证号码, …, 资格名称 (column 8): the people of the exam list. */
const people = readFileSync(fixture(EXAM_LIST), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((line) => line.split(','));
const OTHER_OFFICE = '绵阳市职称服务窗口';

interface Sealed {
  certNo: string;
  name: string;
  idNumber: string;
  qualification: string;
}

/** antd's popover fades in with a CSS transition, which the screenshot helper does not wait for. */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(400);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Seals one visit of the given people of the exam list through the API, and closes the day: one batch. */
async function sealAndCloseDay(host: Host, firstPerson: number, count: number): Promise<Sealed[]> {
  const sealed = Array.from({ length: count }, (_, i) => {
    const p = people[firstPerson + i]!;
    return { certNo: `ZJ2026${String(firstPerson + i + 1).padStart(5, '0')}`, name: p[2]!, idNumber: p[4]!, qualification: p[8]! };
  });
  const lines = sealed.map((s, i) => `${i + 1},${s.certNo},${s.name},${people[firstPerson + i]![3]},${s.idNumber},${s.qualification}`);
  const visit = await host.api('visits.create', { unit: '四川省建筑设计研究院有限公司', agentName: '张经办', agentPhone: '028-86123456', certificateType: '专业技术资格证书', slipNo: '' });
  await host.api('visits.importRoster', { visitId: visit.id, fileName: 'roster.csv', dataBase64: Buffer.from(`${ROSTER_HEADER}\n${lines.join('\n')}\n`).toString('base64') });
  await host.api('visits.seal', { visitId: visit.id });
  const closed = await host.api('batches.closeDay', {});
  expect(closed.created, 'the day close made a batch').not.toBeNull();
  return sealed;
}

test('the header shows the outbox: offline with a batch waiting, online once the hub starts, 同步 at once, and cross-office conflicts', async ({ page, host, hubs }, testInfo) => {
  const port = await freePort();
  const hubUrl = `http://127.0.0.1:${port}`;
  const dataDir = join(hubs.dir, 'hub-data');
  let sealed: Sealed[] = [];

  await test.step('set-up: a hub folder (not started), the workstation enrolled in it and named in the settings, one day closed', async () => {
    // An empty folder becomes the hub's: its database and the province key are made here.
    mkdirSync(dataDir);
    const key = await runCli(['hub-province-key', '--data', dataDir]);
    expect(key.code, key.stderr).toBe(0);
    const provincePublicKey = key.stdout.trim();

    const exported = await host.api('workstation.exportKey', {});
    const keyFile = join(hubs.dir, exported.fileName);
    writeFileSync(keyFile, exported.json);
    const enrolled = await runCli(['hub-enroll', '--data', dataDir, keyFile]);
    expect(enrolled.code, enrolled.stderr).toBe(0);

    const settings = await host.api('settings.get', {});
    await host.api('settings.save', { ...settings, hub: { url: hubUrl, provincePublicKey } });
    await host.api('lists.import', upload(fixture(EXAM_LIST)));
    sealed = await sealAndCloseDay(host, 0, 3);
  });

  const state = page.getByTestId('sync-state');
  const waiting = page.getByTestId('sync-waiting');

  await test.step('the hub is down: 离线, 待上报 1, and why in the details', async () => {
    await page.goto(host.url);
    await expect(state).toHaveText('离线');
    await expect(waiting).toHaveText('待上报 1');
    await expect(page.getByTestId('sync-conflicts')).toHaveCount(0);
    await screenshot(page, testInfo, '01-offline');

    await page.getByTestId('sync-state-button').hover();
    const details = page.getByTestId('sync-details');
    await expect(details).toBeVisible();
    await expect(details.getByTestId('sync-hub-url')).toHaveText(hubUrl);
    await expect(details.getByTestId('sync-last-contact')).toHaveText('尚未联系上');
    await expect(details.getByTestId('sync-last-error')).toContainText('无法连接集中服务器');
    await expect(details.getByTestId('sync-problem')).toHaveCount(0);
    await settle(page);
    await screenshot(page, testInfo, '02-offline-details');
    await page.mouse.move(10, 500);
    await expect(details).toBeHidden();
  });

  await test.step('the hub starts: without a click, the agent delivers the batch and the header says 在线, 待上报 0', async () => {
    hubs.started.push(await startHub(dataDir, { SEAL_COUNTER_CLOCK: COUNTER_DAY }, `127.0.0.1:${port}`));
    // The agent retries 5 s, 10 s, 20 s, 40 s after the failures: the hub is reached at one of them.
    await expect(state).toHaveText('在线', { timeout: 60_000 });
    await expect(waiting).toHaveText('待上报 0');
    const batches = await host.api('batches.list', {});
    expect(batches.map((batch) => batch.acknowledgedAt !== null)).toEqual([true]);
    await screenshot(page, testInfo, '03-online');
  });

  await test.step('a second day closed goes to the hub at once (日结 starts a round), and 同步 confirms it', async () => {
    await sealAndCloseDay(host, 3, 2);
    await expect(waiting).toHaveText('待上报 0', { timeout: 10_000 });
    await expect(page.getByTestId('sync-now')).toBeEnabled();
    // Keyboard-reachable: focused and pressed with Enter, like any button.
    await page.getByTestId('sync-now').focus();
    await page.keyboard.press('Enter');
    await expect(state).toHaveText('在线');
    await expect(page.getByText('同步完成：批次已全部上报')).toBeVisible();
    await expect(page.getByTestId('sync-problem-flag')).toHaveCount(0);
    expect((await host.api('batches.list', {})).every((batch) => batch.acknowledgedAt !== null)).toBe(true);
    await screenshot(page, testInfo, '04-synced');
  });

  await test.step('another office sealed the same certificate number, and the same person under another number: the conflicts', async () => {
    const other = new TestWorkstation(OTHER_OFFICE);
    const enrolled = await runCli(['hub-enroll', '--data', dataDir, other.writeKeyFile(hubs.dir)]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const stranger = people[40]!;
    const [sameNumber, samePerson] = [sealed[0]!, sealed[1]!];
    // Office B gave the number of row 1 to somebody else, and sealed row 2's person under a number of its own.
    other.seal({ certNo: sameNumber.certNo, name: stranger[2]!, idNumber: stranger[4]!, qualification: stranger[8]! });
    other.seal({ certNo: 'MY202600077', name: samePerson.name, idNumber: samePerson.idNumber, qualification: samePerson.qualification });
    const pushed = await other.client(hubUrl, { now: () => new Date(COUNTER_DAY) }).pushBatch(other.closeBatch());
    expect(pushed.kind).toBe('accepted');

    await page.getByTestId('sync-now').click();
    const badge = page.getByTestId('sync-conflicts');
    await expect(badge).toHaveText('跨窗口冲突 2');
    await screenshot(page, testInfo, '05-conflict-badge');

    await badge.click();
    const drawer = page.getByTestId('conflicts-drawer');
    await expect(drawer).toBeVisible();
    const certConflict = drawer.locator('[data-kind="cert-no"]');
    const personConflict = drawer.locator('[data-kind="person"]');
    await expect(certConflict.getByTestId('conflict-headline')).toHaveText(`证书编号 ${sameNumber.certNo} 在两个窗口都已签章`);
    await expect(personConflict.getByTestId('conflict-headline')).toHaveText('同一人（姓名、身份证号）同一资格名称在两个窗口都已签章');
    await expect(personConflict.getByTestId('conflict-subject')).toContainText(`${samePerson.name}，身份证号 ${samePerson.idNumber}，资格名称 ${samePerson.qualification}`);
    // Each sighting: the office (this one marked), the unit, the time and the register entry.
    for (const conflict of [certConflict, personConflict]) {
      const rows = conflict.locator('.ant-table-row');
      await expect(rows).toHaveCount(2);
      await expect(conflict.locator('.ant-table-row', { hasText: '本窗口' })).toContainText('四川省人力资源和社会保障厅');
      await expect(conflict.locator('.ant-table-row', { hasText: OTHER_OFFICE })).toContainText('四川华西集团有限公司');
      await expect(conflict.locator('.ant-table-row', { hasText: '本窗口' })).toContainText('四川省建筑设计研究院有限公司');
      await expect(conflict.locator('.ant-table-row', { hasText: '本窗口' })).toContainText(/第 \d+ 号/);
    }
    await expect(personConflict.locator('.ant-table-row', { hasText: OTHER_OFFICE })).toContainText('MY202600077');
    await expect(certConflict.locator('.ant-table-row', { hasText: OTHER_OFFICE })).toContainText(stranger[2]!);
    await screenshot(page, testInfo, '06-conflicts-drawer');
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
  });
});

test('a hub that refuses the workstation (not enrolled): 需处理 in red in the header, and why in the details', async ({ page, host, hubs }, testInfo) => {
  const dataDir = join(hubs.dir, 'hub-data');
  mkdirSync(dataDir);
  const key = await runCli(['hub-province-key', '--data', dataDir]);
  expect(key.code, key.stderr).toBe(0);
  const hub = await startHub(dataDir, { SEAL_COUNTER_CLOCK: COUNTER_DAY });
  hubs.started.push(hub);

  await page.goto(host.url);
  await expect(page.getByTestId('sync-state')).toHaveText('未配置中心');
  await expect(page.getByTestId('sync-now')).toHaveCount(0);
  await screenshot(page, testInfo, 'unconfigured');

  // Named in the settings while the app is open: the header tries the new hub without waiting for the agent.
  const settings = await host.api('settings.get', {});
  await host.api('settings.save', { ...settings, hub: { url: hub.url, provincePublicKey: key.stdout.trim() } });
  await expect(page.getByTestId('sync-problem-flag')).toHaveText('需处理', { timeout: 20_000 });
  await expect(page.getByTestId('sync-state')).toHaveText('在线');

  // The details open from the keyboard too.
  await page.getByTestId('sync-state-button').focus();
  await page.keyboard.press('Enter');
  const problem = page.getByTestId('sync-details').getByTestId('sync-problem');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText('需要人工处理');
  const refusal = (await host.api('sync.status', {})).problem;
  expect(refusal).toBeTruthy();
  await expect(problem).toContainText(refusal!);
  await settle(page);
  await screenshot(page, testInfo, 'problem-details');
});
