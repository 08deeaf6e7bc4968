import { describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { openServices } from '../../services/open';
import { tempDir } from '../support/services';
import { join } from 'node:path';
import type { CallName, Request, Response } from '../../core/contract';

/** A fresh database with nobody signed in, and a way to call it as the renderer does. */
function freshCounter() {
  const services = openServices(join(tempDir(), 'seal-counter.sqlite'), () => new Date('2026-11-24T09:30:00+08:00'));
  const call = async <N extends CallName>(name: N, request: Request<N>) => dispatch(services, name, request);
  const ok = async <N extends CallName>(name: N, request: Request<N>) => {
    const result = await call(name, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as Response<N>;
  };
  return { services, call, ok };
}

describe('clerk accounts', () => {
  it('on first run has no account, refuses counter work, and makes the first account an administrator', async () => {
    const { services, call, ok } = freshCounter();
    expect(await ok('auth.status', {})).toEqual({ needsSetup: true, account: null, locked: false });
    expect(await call('visits.list', {})).toEqual({ ok: false, error: { kind: 'signed-out', message: '请先登录。' } });
    const status = await ok('auth.setup', { username: 'admin', displayName: '张管理', password: 'first-admin-pw' });
    expect(status).toMatchObject({ needsSetup: false, locked: false, account: { username: 'admin', displayName: '张管理', role: 'admin' } });
    await expect(ok('auth.setup', { username: 'second', displayName: '某人', password: 'another-pw-1' })).rejects.toThrow('已设置管理员');
    services.close();
  });

  it('keeps passwords as salted scrypt hashes, never as text', async () => {
    const { services, ok } = freshCounter();
    await ok('auth.setup', { username: 'admin', displayName: '张管理', password: 'first-admin-pw' });
    await ok('accounts.create', { username: 'clerk1', displayName: '李窗口', role: 'clerk', password: 'first-admin-pw' });
    const hashes = services.ctx.db.prepare('SELECT password_hash FROM accounts').pluck().all() as string[];
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) {
      expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(hash).not.toContain('first-admin-pw');
    }
    // The same password, different salts.
    expect(hashes[0]).not.toBe(hashes[1]);
    services.close();
  });

  it('signs in with the right password only, and says the same for a wrong name and a wrong password', async () => {
    const { services, ok } = freshCounter();
    await ok('auth.setup', { username: 'admin', displayName: '张管理', password: 'first-admin-pw' });
    await ok('auth.signOut', {});
    await expect(ok('auth.signIn', { username: 'admin', password: 'wrong-password' })).rejects.toThrow('用户名或密码不正确。');
    await expect(ok('auth.signIn', { username: 'nobody', password: 'first-admin-pw' })).rejects.toThrow('用户名或密码不正确。');
    expect(await ok('auth.signIn', { username: 'ADMIN', password: 'first-admin-pw' })).toMatchObject({ account: { username: 'admin' } });
    services.close();
  });

  it('gives each role only its own work: clerks seal, supervisors correct, administrators manage accounts', async () => {
    const { services, call, ok } = freshCounter();
    await ok('auth.setup', { username: 'admin', displayName: '张管理', password: 'first-admin-pw' });
    await ok('accounts.create', { username: 'clerk1', displayName: '李窗口', role: 'clerk', password: 'clerk-pw-123' });
    await ok('accounts.create', { username: 'super1', displayName: '王审核', role: 'supervisor', password: 'super-pw-123' });
    await ok('auth.signIn', { username: 'clerk1', password: 'clerk-pw-123' });
    expect(await call('visits.list', {})).toMatchObject({ ok: true });
    expect(await call('accounts.list', {})).toMatchObject({ ok: false, error: { kind: 'forbidden', message: expect.stringContaining('管理员') } });
    expect(await call('register.correct', { seq: 1, reason: '数量登记错误', changes: { count: 1 } })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    await ok('auth.signIn', { username: 'super1', password: 'super-pw-123' });
    expect(await call('register.correct', { seq: 1, reason: '数量登记错误', changes: { count: 1 } })).toMatchObject({ ok: false, error: { kind: 'user', message: '找不到第 1 号登记。' } });
    expect(await call('accounts.create', { username: 'x1', displayName: '某', role: 'admin', password: 'xxxxxxxx1' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    services.close();
  });

  it('lets an administrator disable an account, which then cannot sign in, but not the last administrator', async () => {
    const { services, ok } = freshCounter();
    const admin = await ok('auth.setup', { username: 'admin', displayName: '张管理', password: 'first-admin-pw' });
    const clerk = await ok('accounts.create', { username: 'clerk1', displayName: '李窗口', role: 'clerk', password: 'clerk-pw-123' });
    expect(await ok('accounts.setDisabled', { accountId: clerk.id, disabled: true })).toMatchObject({ disabled: true });
    await expect(ok('accounts.setDisabled', { accountId: admin.account!.id, disabled: true })).rejects.toThrow('不能停用当前登录的账户');
    await ok('auth.signOut', {});
    await expect(ok('auth.signIn', { username: 'clerk1', password: 'clerk-pw-123' })).rejects.toThrow('已于 2026-11-24 停用');
    services.close();
  });

  it('locks: every call but signing in is refused until the same password unlocks it', async () => {
    const { services, call, ok } = freshCounter();
    await ok('auth.setup', { username: 'admin', displayName: '张管理', password: 'first-admin-pw' });
    expect(await ok('auth.lock', {})).toMatchObject({ locked: true, account: { username: 'admin' } });
    expect(await call('register.list', { offset: 0, limit: 10 })).toEqual({ ok: false, error: { kind: 'locked', message: '屏幕已锁定，请输入密码解锁。' } });
    await expect(ok('auth.unlock', { password: 'not-it-at-all' })).rejects.toThrow('密码不正确');
    expect(await ok('auth.unlock', { password: 'first-admin-pw' })).toMatchObject({ locked: false });
    expect(await call('register.list', { offset: 0, limit: 10 })).toMatchObject({ ok: true });
    services.close();
  });

  it('names the signed-in clerk on the visit it opens', async () => {
    const { services, ok } = freshCounter();
    await ok('auth.setup', { username: 'admin', displayName: '张管理', password: 'first-admin-pw' });
    await ok('accounts.create', { username: 'clerk1', displayName: '李窗口', role: 'clerk', password: 'clerk-pw-123' });
    await ok('auth.signIn', { username: 'clerk1', password: 'clerk-pw-123' });
    const visit = await ok('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    expect(visit.clerk).toBe('李窗口');
    services.close();
  });
});
