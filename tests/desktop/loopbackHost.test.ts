import { request as httpRequest } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_CODE_TTL_MS, startHttpHost, type HttpHost } from '../../server/httpHost';
import { CONTENT_SECURITY_POLICY } from '../../server/securityHeaders';
import { exchangeLaunchUrl, launchedClient, loopbackClient } from '../support/loopback';
import { freshServices, TEST_ADMIN, tempDir } from '../support/services';

/**
 * The loopback host's door, over real HTTP on 127.0.0.1: the one-time launch code exchanged for
 * an HttpOnly, SameSite=Strict cookie; a window without it must sign in; the security headers on
 * every answer; refusals of other pages' requests; and errors as one Chinese sentence.
 */
const NO_ENGLISH = /[A-Za-z]{4,}/;

function staticDir(): string {
  const dir = join(tempDir(), 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>签章窗口</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'not for the page');
  return dir;
}

/** A raw request, for what fetch will not send (another Host header). */
function rawRequest(port: number, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectSecurityHeaders(headers: Headers | Record<string, string | string[] | undefined>): void {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]);
  expect(get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(String(get('content-security-policy'))).toContain("frame-ancestors 'none'");
  expect(get('x-content-type-options')).toBe('nosniff');
  expect(get('x-frame-options')).toBe('DENY');
  expect(get('referrer-policy')).toBe('no-referrer');
  expect(get('cross-origin-opener-policy')).toBe('same-origin');
}

describe('the launch code and the session cookie', () => {
  let clock = Date.now();
  const services = freshServices();
  let host: HttpHost;
  beforeAll(async () => { host = await startHttpHost({ backend: services, staticDir: staticDir(), now: () => clock }); });
  afterAll(async () => { await host.close(); services.close(); });

  it('exchanges a launch code once for an HttpOnly, SameSite=Strict cookie and sends the browser to the bare address', async () => {
    const launchUrl = host.issueLaunchUrl();
    expect(launchUrl).toMatch(new RegExp(`^${host.url.replace(/[.]/g, '\\.')}\\?launch=[\\w-]{32}$`));
    const response = await fetch(launchUrl, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expectSecurityHeaders(response.headers);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^${host.cookieName}=[\\w-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    // The session's secret is not the code the launcher was given (nor in any URL).
    const secret = cookie!.split(';')[0]!.split('=')[1]!;
    expect(launchUrl).not.toContain(secret);
    const client = loopbackClient(host.url, cookie!.split(';')[0]);
    expect(await client.call('lists.list', {})).toEqual({ ok: true, value: [] });

    // Spent: the same address gives a second window no cookie, only the sign-in screen.
    const again = await fetch(launchUrl, { redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  it('gives nothing for a made-up or an expired code', async () => {
    expect(await exchangeLaunchUrl(`${host.url}?launch=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)).toBeNull();
    const late = host.issueLaunchUrl();
    clock += LAUNCH_CODE_TTL_MS + 1;
    expect(await exchangeLaunchUrl(late)).toBeNull();
  });

  it('shows a window without the cookie only the sign-in screen, and moves the session to it once it signs in', async () => {
    const first = await launchedClient(host);
    expect(await first.call('auth.status', {})).toMatchObject({ ok: true, value: { account: { username: TEST_ADMIN.username } } });

    const second = loopbackClient(host.url);
    // It is not told who is signed in elsewhere, and may do nothing but sign in.
    expect(await second.call('auth.status', {})).toEqual({ ok: true, value: { needsSetup: false, account: null, locked: false } });
    expect(await second.call('app.info', {})).toMatchObject({ ok: true, value: { officeName: expect.any(String) } });
    for (const name of ['lists.list', 'auth.lock', 'auth.signOut', 'settings.get', 'accounts.list', 'log.recent'] as const) {
      expect(await second.call(name, {}), name).toEqual({ ok: false, error: { kind: 'signed-out', message: '请先登录。' } });
    }
    expect(await second.call('auth.signIn', { username: TEST_ADMIN.username, password: 'wrong-password' })).toMatchObject({ ok: false, error: { message: '用户名或密码不正确。' } });
    expect(second.cookie).toBeNull();

    expect(await second.call('auth.signIn', { username: TEST_ADMIN.username, password: TEST_ADMIN.password })).toMatchObject({ ok: true, value: { account: { username: TEST_ADMIN.username } } });
    expect(second.cookie).toMatch(new RegExp(`^${host.cookieName}=`));
    expect(await second.call('lists.list', {})).toEqual({ ok: true, value: [] });
    // One window, one counter: the first window's cookie no longer works, and it is sent to sign in.
    expect(await first.call('lists.list', {})).toEqual({ ok: false, error: { kind: 'signed-out', message: '请先登录。' } });
  });
});

describe('what the host refuses, and how it says so', () => {
  const services = freshServices();
  let host: HttpHost;
  beforeAll(async () => { host = await startHttpHost({ backend: services, staticDir: staticDir() }); });
  afterAll(async () => { await host.close(); services.close(); });

  it('sends the security headers with every page and every answer, errors included', async () => {
    const client = await launchedClient(host);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(page.headers);
    expectSecurityHeaders((await fetch(`${host.url}assets/app.js`)).headers);
    expectSecurityHeaders((await fetch(`${host.url}missing.js`)).headers);
    const answer = await fetch(`${host.url}api/lists.list`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Seal-Counter': '1', Cookie: client.cookie! }, body: '{}' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expectSecurityHeaders(answer.headers);
  });

  it('refuses another site’s page: a foreign Origin, a cross-site fetch, a form post, a request without the app’s header', async () => {
    const client = await launchedClient(host);
    const post = (headers: Record<string, string>) => fetch(`${host.url}api/lists.list`, { method: 'POST', headers: { Cookie: client.cookie!, ...headers }, body: '{}' });
    const cases: [Record<string, string>, number, string][] = [
      [{ 'Content-Type': 'application/json', 'X-Seal-Counter': '1', Origin: 'https://evil.example' }, 403, '拒绝来自其他网页的调用。'],
      [{ 'Content-Type': 'application/json', 'X-Seal-Counter': '1', 'Sec-Fetch-Site': 'cross-site' }, 403, '拒绝来自其他网页的调用。'],
      [{ 'Content-Type': 'text/plain', 'X-Seal-Counter': '1' }, 400, '调用须由签章窗口页面以 JSON 提交。'],
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, 400, '调用须由签章窗口页面以 JSON 提交。'],
      [{ 'Content-Type': 'application/json' }, 400, '调用须由签章窗口页面以 JSON 提交。'],
    ];
    for (const [headers, status, message] of cases) {
      const response = await post(headers);
      expect(response.status, JSON.stringify(headers)).toBe(status);
      expect(await response.json()).toEqual({ ok: false, error: { kind: 'invalid', message } });
      expectSecurityHeaders(response.headers);
    }
    expect((await post({ 'Content-Type': 'application/json', 'X-Seal-Counter': '1', Origin: new URL(host.url).origin })).status).toBe(200);
  });

  it('refuses a Host header naming another site (DNS rebinding), in Chinese', async () => {
    const answer = await rawRequest(host.port, '/', { Host: 'attacker.example' });
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: { kind: 'invalid', message: '请求的地址不是本机的签章窗口服务。' } });
    expectSecurityHeaders(answer.headers);
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets%5c..%5c..%5csecret.txt', '/missing.js']) {
      const answer = await rawRequest(host.port, path, { Host: `127.0.0.1:${host.port}` });
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain('not for the page');
      expect(JSON.parse(answer.body), path).toEqual({ ok: false, error: { kind: 'invalid', message: '找不到此页面。' } });
    }
  });

  it('answers bad input and internal errors with one Chinese sentence, no stack and no English; the details go to the log', async () => {
    const client = await launchedClient(host);
    const broken = await fetch(`${host.url}api/lists.list`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Seal-Counter': '1', Cookie: client.cookie! }, body: '{"unterminated' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ ok: false, error: { kind: 'invalid', message: '请求内容不是有效的 JSON。' } });
    expect((await fetch(`${host.url}api/lists.list`)).status).toBe(405);

    // A fault no clerk can cause: the database connection gone under a call.
    services.ctx.db.close();
    const failed = await client.call('lists.list', {});
    expect(failed).toEqual({ ok: false, error: { kind: 'internal', message: '内部错误，详情已记入日志。已记录的数据未受影响。' } });
    expect(failed.ok ? '' : failed.error.message).not.toMatch(NO_ENGLISH);
    const [entry] = await services.ctx.log.recent(1, 'error');
    expect(entry).toMatchObject({ level: 'error', task: 'call', message: '调用 lists.list 时发生内部错误。' });
    expect(entry?.detail).toContain('The database connection is not open');
    expect(entry?.detail).toMatch(/\n\s+at /);
  });
});
