import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { ADMIN, createVisit, expect, fixture, prepareSeniorCounter, screenshot, test } from './support';
import type { Host } from './support';

/**
 * A register that can be trusted, end to end: the first run creates the administrator, every
 * entry names the signed-in clerk, a mistake is corrected by a 更正 entry, the day is closed into
 * a signed batch, and a register changed behind the app's back is caught at the entry changed.
 */

// An action that cannot happen (a hidden element) fails in seconds rather than at the test timeout.
test.use({ actionTimeout: 15_000 });

const UNIT = '成都市人力资源和社会保障局';
const SENIOR = '高级专业技术职务资格证书';
const CORRECTION_REASON = '凭条数量登记有误，经核对实际签章 39 本';

/** A visit of the clean senior roster (40 rows, all pass) sealed through the UI: one register entry. */
async function sealCleanVisit(page: Page, host: Host): Promise<void> {
  await prepareSeniorCounter(host);
  await createVisit(page, { unit: UNIT, certificateType: SENIOR, slipNo: 'QZ2026-0015', slipCount: 40, slipSigner: '谢天涛' });
  await page.getByTestId('roster-import-input').setInputFiles(fixture('rosters/senior-clean.xlsx'));
  await expect(page.getByTestId('visit-summary')).toContainText('可签章 40 本');
  await expect(page.getByTestId('seal-button')).toBeEnabled();
  await page.getByTestId('seal-button').click();
  await page.getByTestId('seal-confirm').click();
  // Sealing opens the register sheet for the agent to sign.
  await page.getByTestId('pdf-close').click();
  await expect(page.getByTestId('seal-entries').locator('.ant-table-row')).toHaveCount(1);
}

test.describe('from the first run', () => {
  test.use({ signedIn: false });

  test('first run, sign-in, a sealed visit corrected, day close, lock, and a tampered register found', async ({ page, host }, testInfo) => {
    await test.step('the first run asks for the administrator, from the keyboard', async () => {
      await page.goto(host.url);
      await expect(page.getByTestId('setup-screen')).toBeVisible();
      await expect(page.getByTestId('setup-username')).toBeFocused();
      await page.keyboard.type(ADMIN.username);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('setup-display-name')).toBeFocused();
      await page.keyboard.type(ADMIN.displayName);
      await page.keyboard.press('Enter');
      await page.keyboard.type(ADMIN.password);
      await page.keyboard.press('Enter');
      // A different second password is caught before anything is created.
      await page.keyboard.type(`${ADMIN.password}x`);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('setup-error')).toHaveText('两次输入的密码不一致');
      await page.getByTestId('setup-password-repeat').fill(ADMIN.password);
      await screenshot(page, testInfo, '01-setup');
      await page.getByTestId('setup-password-repeat').press('Enter');
      await expect(page.getByTestId('account-name')).toHaveText(`${ADMIN.displayName} · 管理员`);
      await expect(page.getByTestId('nav-accounts')).toBeVisible();
    });

    await test.step('sign out, and sign in again: a wrong password first', async () => {
      await page.getByTestId('account-menu').click();
      await screenshot(page, testInfo, '02-account-menu');
      await page.getByTestId('menu-sign-out').click();
      await expect(page.getByTestId('signin-screen')).toBeVisible();
      await expect(page.getByTestId('signin-username')).toBeFocused();
      await page.keyboard.type(ADMIN.username);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('signin-password')).toBeFocused();
      await page.keyboard.type('wrong-password');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('signin-error')).toContainText('用户名或密码不正确');
      await expect(page.getByTestId('signin-password')).toBeFocused();
      await screenshot(page, testInfo, '03-signin-wrong');
      await page.keyboard.type(ADMIN.password);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('account-name')).toHaveText(`${ADMIN.displayName} · 管理员`);
    });

    await test.step('seal a visit: the entry names the signed-in clerk', async () => {
      await sealCleanVisit(page, host);
      await page.getByTestId('nav-register').click();
      const register = page.getByTestId('register-table');
      await expect(register.locator('.ant-table-row')).toHaveCount(1);
      await expect(register.getByTestId('register-kind-1')).toHaveText('签章');
      await expect(register.getByTestId('register-clerk-1')).toContainText(ADMIN.displayName);
    });

    await test.step('更正: a new entry names the one it corrects; the original stays and says so', async () => {
      await page.getByTestId('register-correct-1').click();
      await expect(page.getByTestId('correct-count')).toHaveValue('40');
      await expect(page.getByTestId('correct-unit')).toHaveValue(UNIT);
      await expect(page.getByTestId('correct-confirm')).toBeDisabled();
      await page.getByTestId('correct-count').fill('39');
      await page.getByTestId('correct-reason').fill(CORRECTION_REASON);
      await expect(page.getByTestId('correct-summary')).toContainText('数量 40 → 39');
      await screenshot(page, testInfo, '04-correct');
      await page.getByTestId('correct-reason').press('Enter');
      await expect(page.getByTestId('correct-reason')).toBeHidden();

      const register = page.getByTestId('register-table');
      await expect(register.locator('.ant-table-row')).toHaveCount(2);
      await expect(register.getByTestId('register-kind-2')).toContainText('更正第 1 号');
      await expect(register.getByTestId('register-corrected-1')).toHaveText('已更正（见第 2 号）');
      await expect(register.getByTestId('register-corrections-1')).toContainText('数量 40 → 39');
      await expect(register.getByTestId('register-corrections-1')).toContainText(CORRECTION_REASON);
      await expect(register).toContainText(`更正理由：${CORRECTION_REASON}`);
      // A 更正 is not itself corrected: only 签章 entries offer it.
      await expect(register.getByTestId('register-correct-2')).toHaveCount(0);
      const original = await host.api('register.list', { offset: 0, limit: 10 });
      expect(original.entries.find((entry) => entry.seq === 1)?.count).toBe(40);
      await screenshot(page, testInfo, '05-register-corrected');
    });

    await test.step('日结: batch 1 holds entries 1–2; closing again makes nothing new', async () => {
      await page.getByTestId('register-close-day').click();
      await expect(page.getByTestId('register-close-result')).toContainText('第 1 批（第 1–2 号登记，共 2 条）');
      const batches = page.getByTestId('batches-table');
      await expect(batches.locator('.ant-table-row')).toHaveCount(1);
      await expect(batches.getByTestId('batch-range-1')).toHaveText('第 1–2 号');
      await expect(batches).toContainText('待上报');
      await page.getByTestId('batches-verify').click();
      await expect(page.getByTestId('batch-check-1')).toContainText('完整');
      await screenshot(page, testInfo, '06-batches');

      await page.getByTestId('register-close-day').click();
      await expect(page.getByTestId('register-close-result')).toContainText('以来没有新的登记，未生成新批次');
      await expect(batches.locator('.ant-table-row')).toHaveCount(1);
    });

    await test.step('校验登记簿: all entries intact', async () => {
      await page.getByTestId('register-tab-entries').click();
      await page.getByTestId('register-verify').click();
      await expect(page.getByTestId('register-verify-result')).toContainText('全部 2 条登记完整');
      await screenshot(page, testInfo, '07-verify-intact');
    });

    await test.step('lock with Ctrl+L, unlock with the password: back where the clerk was', async () => {
      await page.keyboard.press('Control+L');
      await expect(page.getByTestId('lock-screen')).toBeVisible();
      await expect(page.getByTestId('lock-account')).toHaveText(ADMIN.displayName);
      await expect(page.getByTestId('register-table')).toHaveCount(0);
      await expect(page.getByTestId('lock-password')).toBeFocused();
      expect((await host.api('auth.status', {})).locked).toBe(true);
      await page.keyboard.type('wrong-password');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('lock-error')).toContainText('密码不正确');
      await screenshot(page, testInfo, '08-locked');
      await page.keyboard.type(ADMIN.password);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('register-table')).toBeVisible();
      await expect(page.getByTestId('account-name')).toBeVisible();
    });

    await test.step('locked from elsewhere: the next call shows the lock screen', async () => {
      // Another window (here the test itself) locks the host's session; this page learns it from its next call.
      await host.api('auth.lock', {});
      // The header's sync poll (every 5 s) may be the call that learns it first, taking the button away.
      await page.getByTestId('register-verify').click({ timeout: 3_000 }).catch(() => undefined);
      await expect(page.getByTestId('lock-screen')).toBeVisible();
      await page.getByTestId('lock-password').fill(ADMIN.password);
      await page.getByTestId('lock-unlock').click();
      await expect(page.getByTestId('register-table')).toBeVisible();
      // The menu locks too.
      await page.getByTestId('account-menu').click();
      await page.getByTestId('menu-lock').click();
      await expect(page.getByTestId('lock-screen')).toBeVisible();
      await page.getByTestId('lock-password').fill(ADMIN.password);
      await page.getByTestId('lock-password').press('Enter');
      await expect(page.getByTestId('register-table')).toBeVisible();
    });

    await test.step('the database changed behind the app: 校验登记簿 names entry 1 as changed', async () => {
      const db = new Database(host.dbPath, { timeout: 5000 });
      try {
        db.exec('DROP TRIGGER register_entries_no_update');
        db.prepare("UPDATE register_entries SET canonical = CAST(json_set(CAST(canonical AS TEXT), '$.count', json_extract(CAST(canonical AS TEXT), '$.count') + 1) AS BLOB) WHERE seq = 1").run();
      } finally {
        db.close();
      }
      await page.getByTestId('register-verify').click();
      const result = page.getByTestId('register-verify-result');
      await expect(result.getByTestId('register-break-seq')).toHaveText('第 1 号');
      await expect(result.getByTestId('register-break-problem')).toHaveText('改动');
      await expect(result.getByTestId('register-break-message')).toContainText('第 1 号登记');
      // The list is read again: the changed entry is marked, with what it now says.
      const broken = page.getByTestId('register-table').locator('tr.register-row-broken');
      await expect(broken).toHaveCount(1);
      await expect(broken).toHaveAttribute('data-row-key', '1');
      await expect(broken.getByRole('cell', { name: '41', exact: true })).toBeVisible();
      await screenshot(page, testInfo, '09-verify-broken');

      await page.getByTestId('register-tab-batches').click();
      await page.getByTestId('batches-verify').click();
      await expect(page.getByTestId('batch-check-1')).toContainText('不符');
      await screenshot(page, testInfo, '10-batches-broken');
    });
  });
});

test('the screen locks itself after the idle minutes; a key from the scanner counts as activity', async ({ page, host }, testInfo) => {
  // The host's clock is fixed; the page's own clock is the one the idle timer reads.
  await page.clock.install();
  await page.goto(host.url);
  await expect(page.getByTestId('account-name')).toBeVisible();
  expect((await host.api('settings.get', {})).idleLockMinutes).toBe(5);

  await page.clock.fastForward('04:00');
  // A barcode scanner is a keyboard: its keys keep the screen open.
  await page.keyboard.type('QZ2026');
  await page.clock.fastForward('04:00');
  // Long enough for a lock, had one been started, to reach the host and the screen.
  await page.waitForTimeout(500);
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  await expect(page.getByTestId('account-name')).toBeVisible();
  expect((await host.api('auth.status', {})).locked).toBe(false);

  await page.clock.fastForward('01:05');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('lock-account')).toHaveText(ADMIN.displayName);
  expect((await host.api('auth.status', {})).locked).toBe(true);
  await screenshot(page, testInfo, 'idle-locked');
});

test('roles: the administrator creates a clerk, who sees no 账户 page, no list import and no 更正', async ({ page, host }, testInfo) => {
  await page.goto(host.url);
  await sealCleanVisit(page, host);

  await test.step('账户: create a clerk account', async () => {
    await page.getByTestId('nav-accounts').click();
    await page.getByTestId('account-new').click();
    await page.getByTestId('account-username').fill('wangjb');
    await page.getByTestId('account-display-name').fill('王经办');
    await page.getByTestId('account-password').fill('clerk-pass-1');
    await page.getByTestId('account-password-repeat').fill('clerk-pass-1');
    await screenshot(page, testInfo, 'accounts-new');
    await page.getByTestId('account-create').click();
    const accounts = page.getByTestId('accounts-table');
    await expect(accounts.getByRole('row', { name: /wangjb/ })).toContainText('窗口经办人');
    await expect(accounts.getByRole('row', { name: /wangjb/ })).toContainText('可用');
    // The signed-in administrator cannot disable itself.
    await expect(page.getByTestId(`account-disable-${ADMIN.username}`)).toHaveCount(0);
    await screenshot(page, testInfo, 'accounts');
  });

  await test.step('the clerk signs in and sees only what a clerk may do', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-sign-out').click();
    await page.getByTestId('signin-username').fill('wangjb');
    await page.getByTestId('signin-password').fill('clerk-pass-1');
    await page.getByTestId('signin-password').press('Enter');
    await expect(page.getByTestId('account-name')).toHaveText('王经办 · 窗口经办人');
    await expect(page.getByTestId('nav-accounts')).toHaveCount(0);

    await page.getByTestId('nav-lists').click();
    await expect(page.getByTestId('lists-table')).toContainText('川职改〔2025〕12号');
    await expect(page.getByTestId('list-import-input')).toHaveCount(0);

    await page.getByTestId('nav-register').click();
    await expect(page.getByTestId('register-table').locator('.ant-table-row')).toHaveCount(1);
    await expect(page.getByTestId('register-correct-1')).toHaveCount(0);
    // A clerk closes the day and verifies the register like anyone at the counter.
    await expect(page.getByTestId('register-close-day')).toBeVisible();

    await page.getByTestId('nav-settings').click();
    // Keys and file paths are in the administrator's 高级 section, which a clerk does not have.
    await expect(page.getByTestId('settings-advanced')).toHaveCount(0);
    await expect(page.getByTestId('settings-workstation')).toHaveCount(0);
    await expect(page.getByTestId('workstation-export-key')).toHaveCount(0);
    await expect(page.getByTestId('settings-save')).toHaveCount(0);
    await expect(page.getByTestId('settings-office-name')).toBeDisabled();
    await expect(page.getByTestId('reference-import-slips')).toHaveCount(0);
    await expect(page.getByTestId('settings-export')).toHaveCount(0);
    await screenshot(page, testInfo, 'clerk-settings', true);
  });

  await test.step('the clerk changes the password, and unlocks with the new one', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByTestId('menu-change-password').click();
    await expect(page.getByTestId('password-current')).toBeFocused();
    await page.keyboard.type('clerk-pass-1');
    await page.keyboard.press('Enter');
    await page.keyboard.type('clerk-pass-2');
    await page.keyboard.press('Enter');
    await page.keyboard.type('clerk-pass-2');
    await screenshot(page, testInfo, 'change-password');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('password-current')).toBeHidden();
    await page.keyboard.press('Control+L');
    await page.getByTestId('lock-password').fill('clerk-pass-1');
    await page.getByTestId('lock-password').press('Enter');
    await expect(page.getByTestId('lock-error')).toContainText('密码不正确');
    await page.getByTestId('lock-password').fill('clerk-pass-2');
    await page.getByTestId('lock-password').press('Enter');
    await expect(page.getByTestId('account-name')).toHaveText('王经办 · 窗口经办人');
  });
});

test('设置: the workstation card, the exported public key, and the idle-lock and hub settings', async ({ page, host }, testInfo) => {
  const info = await host.api('workstation.info', {});
  await page.goto(host.url);
  await page.getByTestId('nav-settings').click();
  const card = page.getByTestId('settings-workstation');
  await expect(card.getByTestId('workstation-id')).toContainText(info.workstationId);
  await expect(card.getByTestId('workstation-public-key')).toContainText(info.publicKey);
  await expect(card.getByTestId('workstation-key-protection')).toContainText(info.keyProtectionText);
  // The loopback host has no system key store: the key file is shown as a warning.
  expect(info.keyProtection).toBe('owner-only-file');
  await expect(card.locator('.ant-alert-warning')).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('workstation-export-key').click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { workstationId: string; publicKey: string };
  expect(exported).toMatchObject({ workstationId: info.workstationId, publicKey: info.publicKey });

  const provinceKey = Buffer.alloc(32, 7).toString('base64');
  await page.getByTestId('settings-idle-lock').fill('10');
  await page.getByTestId('settings-hub-url').fill('https://hub.example.invalid:8443');
  await expect(page.getByTestId('settings-hub-incomplete')).toBeVisible();
  await expect(page.getByTestId('settings-save')).toBeDisabled();
  await page.getByTestId('settings-province-key').fill(provinceKey);
  await expect(page.getByTestId('settings-hub-incomplete')).toHaveCount(0);
  await screenshot(page, testInfo, 'settings-workstation', true);
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  const saved = await host.api('settings.get', {});
  expect(saved.idleLockMinutes).toBe(10);
  expect(saved.hub).toEqual({ url: 'https://hub.example.invalid:8443', provincePublicKey: provinceKey });
});
