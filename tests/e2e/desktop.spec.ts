import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ADMIN, expect, screenshot, test } from './support';

/**
 * The loopback host's door and the app's background failures, in Debian's Chromium: a second
 * window opened with the printed address has no session and must sign in; a backup that fails in
 * the background is shown in the header and in the log on 设置.
 */
test('a second window opened with the address must sign in, and signing in there moves the session to it', async ({ page, host, browser }, testInfo) => {
  await page.goto(host.url);
  await expect(page.getByTestId('account-name')).toHaveText(`${ADMIN.displayName} · 管理员`);

  // Another window, as a colleague would open it from the printed address: no cookie.
  const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const second = await other.newPage();
    await second.goto(host.url);
    await expect(second.getByTestId('signin-screen')).toBeVisible();
    await expect(second.getByTestId('account-name')).toHaveCount(0);
    await screenshot(second, testInfo, 'second-window-signin');
    await second.getByTestId('signin-username').fill(ADMIN.username);
    await second.getByTestId('signin-password').fill(ADMIN.password);
    await second.getByTestId('signin-submit').click();
    await expect(second.getByTestId('account-name')).toHaveText(`${ADMIN.displayName} · 管理员`);

    // One window, one counter: the first window is sent to sign in at its next step — the clerk's
    // click, or the header's own poll if that comes first.
    const nav = page.getByTestId('nav-register');
    await expect(nav.or(page.getByTestId('signin-screen'))).toBeVisible();
    if (await nav.isVisible()) await nav.click({ timeout: 5_000 }).catch(() => undefined);
    await expect(page.getByTestId('signin-screen')).toBeVisible();
    await expect(page.getByTestId('signin-screen')).toContainText('登录状态已失效，请重新登录。');
    await screenshot(page, testInfo, 'first-window-signed-out');
  } finally {
    await other.close();
  }
});

test('a failed automatic backup stays in the header, and the administrator finds it in the log on 设置', async ({ page, host }, testInfo) => {
  // A file where the backups folder should be: the first automatic backup (3 s after start) fails.
  writeFileSync(join(dirname(host.dbPath), 'backups'), 'not a folder');
  await page.goto(host.url);
  const notice = page.getByTestId('background-failure-notice');
  await expect(notice).toHaveText('后台任务失败：自动备份', { timeout: 30_000 });
  await notice.hover();
  await expect(page.getByTestId('background-failures')).toContainText('备份失败');
  await screenshot(page, testInfo, 'background-failure-notice');

  await page.getByTestId('background-failures-open-log').click();
  const log = page.getByTestId('settings-log');
  await expect(log).toContainText('自动备份失败');
  await expect(log).toContainText('签章窗口已启动（浏览器窗口）');
  await log.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, 'settings-log');
  // Still there on the other pages: it goes only when a backup succeeds.
  await page.getByTestId('nav-visits').click();
  await expect(notice).toBeVisible();
});
