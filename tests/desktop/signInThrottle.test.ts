import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../server/httpHost';
import { PasswordThrottle } from '../../services/accounts/throttle';
import { dispatch } from '../../services/dispatch';
import { openServices } from '../../services/open';
import { loopbackClient } from '../support/loopback';
import { freshServices, signInForTests, TEST_ADMIN, tempDir } from '../support/services';

/**
 * Guessing passwords, over real HTTP as a program on the machine would: measured before, about
 * 10 wrong passwords a second without end, and unknown names answered 500 times faster than
 * known ones. Now three tries, then a wait that doubles; unknown names cost the same scrypt; and
 * scrypt runs off the thread that answers the counter.
 */
const BAD = { ok: false, error: { kind: 'user', message: '用户名或密码不正确。' } };
const mustWait = (seconds: number) => ({ ok: false, error: { kind: 'user', message: `密码错误次数过多，请 ${seconds} 秒后再试。` } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('signing in over the loopback host, against a guessing program', () => {
  const services = freshServices();
  let host: HttpHost;
  const clerks = ['clerk1', 'clerk2', 'clerk3', 'clerk4', 'clerk5', 'clerk6'];
  beforeAll(async () => {
    host = await startHttpHost({ backend: services, staticDir: tempDir() });
    for (const username of clerks) {
      const created = await dispatch(services, 'accounts.create', { username, displayName: '张三', password: 'right-password-1', role: 'clerk' });
      expect(created.ok).toBe(true);
    }
  });
  afterAll(async () => { await host.close(); services.close(); });

  it('gives three tries, then makes the next wait 1 s, then 2 s; the right password is refused during the wait and clears the count after it', async () => {
    const window = loopbackClient(host.url);
    const signIn = (password: string) => window.call('auth.signIn', { username: 'clerk1', password });
    for (let i = 0; i < 3; i++) expect(await signIn('guess')).toEqual(BAD);
    expect(await signIn('right-password-1')).toEqual(mustWait(1));
    await sleep(1_050);
    expect(await signIn('guess')).toEqual(BAD);
    expect(await signIn('guess')).toEqual(mustWait(2));
    await sleep(2_050);
    expect(await signIn('right-password-1')).toMatchObject({ ok: true, value: { account: { username: 'clerk1' } } });
    // Cleared: the next mistake is a free one again.
    expect(await window.call('auth.signIn', { username: 'clerk1', password: 'guess' })).toEqual(BAD);
    expect(await window.call('auth.signIn', { username: 'clerk1', password: 'right-password-1' })).toMatchObject({ ok: true });
  });

  it('lets no more than three of twenty tries sent at once reach scrypt', async () => {
    const window = loopbackClient(host.url);
    const answers = await Promise.all(Array.from({ length: 20 }, () => window.call('auth.signIn', { username: 'clerk2', password: 'guess' })));
    expect(answers.filter((answer) => JSON.stringify(answer) === JSON.stringify(BAD))).toHaveLength(3);
    expect(answers.filter((answer) => JSON.stringify(answer) === JSON.stringify(mustWait(1)))).toHaveLength(17);
  });

  it('counts an unknown name the same way and answers it in the same words', async () => {
    const window = loopbackClient(host.url);
    for (let i = 0; i < 3; i++) expect(await window.call('auth.signIn', { username: 'nobody-here', password: 'guess' })).toEqual(BAD);
    expect(await window.call('auth.signIn', { username: 'nobody-here', password: 'guess' })).toEqual(mustWait(1));
    // Case and spaces do not make a new name (the accounts table ignores them too).
    expect(await window.call('auth.signIn', { username: '  NOBODY-here ', password: 'guess' })).toEqual(mustWait(1));
  });

  it('takes as long for an unknown name as for a known one (it was 500 times faster)', async () => {
    const window = loopbackClient(host.url);
    const timed = async (username: string) => {
      const started = performance.now();
      expect(await window.call('auth.signIn', { username, password: 'guess' })).toEqual(BAD);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, each name's first try (no wait yet), so a busy machine slows both alike.
    for (const [index, clerk] of ['clerk3', 'clerk4', 'clerk5', 'clerk6'].entries()) {
      known.push(await timed(clerk));
      unknown.push(await timed(`stranger-${index}`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });

  it('keeps answering the counter while passwords are being hashed: scrypt runs off the main thread', async () => {
    const window = loopbackClient(host.url);
    const finished: string[] = [];
    const tries = ['a', 'b', 'c', 'd'].map((name) => window.call('auth.signIn', { username: `hash-load-${name}`, password: 'guess' }).then(() => finished.push('sign-in')));
    const info = window.call('app.info', {}).then(() => finished.push('app.info'));
    await Promise.all([...tries, info]);
    expect(finished[0]).toBe('app.info');
  });
});

describe('the wait survives a restart, is lifted by the administrator, and also guards the lock screen', () => {
  it('is kept in the data file: restarting the app does not reset the count', async () => {
    const first = freshServices();
    for (let i = 0; i < 3; i++) expect(await dispatch(first, 'auth.signIn', { username: TEST_ADMIN.username, password: 'guess' })).toEqual(BAD);
    first.close();
    const again = openServices(first.dbPath, () => new Date('2026-11-24T09:30:00+08:00'));
    try {
      expect(await dispatch(again, 'auth.signIn', { username: TEST_ADMIN.username, password: TEST_ADMIN.password })).toEqual(mustWait(1));
    } finally {
      again.close();
    }
  });

  it('is lifted when an administrator resets the password', async () => {
    const services = freshServices();
    try {
      expect((await dispatch(services, 'accounts.create', { username: 'clerk9', displayName: '李四', password: 'right-password-1', role: 'clerk' })).ok).toBe(true);
      for (let i = 0; i < 3; i++) await dispatch(services, 'auth.signIn', { username: 'clerk9', password: 'guess' });
      signInForTests(services);
      const clerk = services.ctx.db.prepare("SELECT id FROM accounts WHERE username = 'clerk9'").pluck().get() as number;
      expect(await dispatch(services, 'accounts.resetPassword', { accountId: clerk, password: 'new-password-9' })).toMatchObject({ ok: true });
      expect(await dispatch(services, 'auth.signIn', { username: 'clerk9', password: 'new-password-9' })).toMatchObject({ ok: true, value: { account: { username: 'clerk9' } } });
    } finally {
      services.close();
    }
  });

  it('counts wrong passwords on the lock screen as on the sign-in screen', async () => {
    const services = freshServices();
    try {
      await dispatch(services, 'auth.lock', {});
      for (let i = 0; i < 3; i++) expect(await dispatch(services, 'auth.unlock', { password: 'guess' })).toEqual({ ok: false, error: { kind: 'user', message: '密码不正确。' } });
      expect(await dispatch(services, 'auth.unlock', { password: TEST_ADMIN.password })).toEqual(mustWait(1));
      expect(await dispatch(services, 'auth.signIn', { username: TEST_ADMIN.username, password: TEST_ADMIN.password })).toEqual(mustWait(1));
    } finally {
      services.close();
    }
  });

  it('remembers a bounded number of names, so random names cannot fill the data file', () => {
    const services = freshServices();
    try {
      let now = 1_000;
      const throttle = new PasswordThrottle(services.ctx.db, () => now, { freeFailures: 3, firstDelayMs: 1_000, maxDelayMs: 300_000, maxTracked: 5 });
      for (let i = 0; i < 8; i++) {
        throttle.failed(`random-${i}`);
        now += 10;
      }
      expect(services.ctx.db.prepare('SELECT name FROM sign_in_failures ORDER BY name').pluck().all()).toEqual(['random-3', 'random-4', 'random-5', 'random-6', 'random-7']);
      // The delays double and stop at the cap.
      for (let i = 0; i < 12; i++) throttle.failed('target');
      const waitMs = (services.ctx.db.prepare("SELECT not_before_ms FROM sign_in_failures WHERE name = 'target'").pluck().get() as number) - now;
      expect(waitMs).toBe(300_000);
    } finally {
      services.close();
    }
  });
});
