import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyEd25519 } from '../../core/register/signing';
import { dispatch } from '../../services/dispatch';
import { openServices, prepareKeyProtector, sealWorkstationKey, type OsKeyStore } from '../../services/open';
import { workstationKeyPathFor } from '../../services/paths';
import { signInForTests, tempDir } from '../support/services';

/**
 * The workstation's private key and the operating system's key store, through safeStorage's
 * asynchronous calls as the Electron host uses them. The key store itself is a stand-in here
 * (AES-GCM under a key of the test's own: no desktop keyring runs on these machines); what is
 * checked is what the app does around it.
 */
function standInKeyStore(options: { unavailableReason?: string; shouldReEncrypt?: boolean } = {}): OsKeyStore & { key: Buffer } {
  const key = randomBytes(32);
  return {
    key,
    unavailableReason: options.unavailableReason ?? null,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Promise.resolve(Buffer.concat([iv, cipher.getAuthTag(), sealed]));
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Promise.resolve({ result: Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8'), shouldReEncrypt: options.shouldReEncrypt ?? false });
    },
  };
}

const keyFile = (dbPath: string) => JSON.parse(readFileSync(workstationKeyPathFor(dbPath), 'utf8')) as { protection: string; key: string };

/** Opens as the Electron host does: decrypt before, seal after. */
async function openAsDesktop(dbPath: string, store: OsKeyStore) {
  const prepared = await prepareKeyProtector(dbPath, store);
  const services = openServices(dbPath, () => new Date('2026-11-24T09:30:00+08:00'), prepared.keyProtector ? { keyProtector: prepared.keyProtector } : {});
  await sealWorkstationKey(services.ctx.workstation, store, prepared);
  return services;
}

function signs(services: ReturnType<typeof openServices>): boolean {
  const message = Buffer.from('第 1 批');
  return verifyEd25519(services.ctx.workstation.publicKey, message, services.ctx.workstation.sign(message));
}

describe('the workstation key in the operating system’s key store', () => {
  it('seals a new workstation’s key, and opens it again at the next start', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    const store = standInKeyStore();
    const first = await openAsDesktop(dbPath, store);
    expect(keyFile(dbPath).protection).toBe('safeStorage');
    expect(first.ctx.workstation.protection).toBe('safeStorage');
    expect(signs(first)).toBe(true);
    signInForTests(first);
    expect(await dispatch(first, 'workstation.info', {})).toMatchObject({ ok: true, value: { keyProtection: 'safeStorage', keyProtectionText: '私钥已由本机操作系统加密保存' } });
    first.close();

    const again = await openAsDesktop(dbPath, store);
    expect(signs(again)).toBe(true);
    again.close();

    // The command line has no key store: it may check, not sign.
    const cli = openServices(dbPath);
    expect(() => cli.ctx.workstation.sign(Buffer.from('x'))).toThrow('只有签章窗口桌面程序能用它签名');
    cli.close();
  });

  it('seals the key of a workstation first set up under the loopback host the first time the desktop app opens it', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    openServices(dbPath).close();
    const plain = keyFile(dbPath);
    expect(plain.protection).toBe('owner-only-file');
    const desktop = await openAsDesktop(dbPath, standInKeyStore());
    expect(keyFile(dbPath).protection).toBe('safeStorage');
    expect(keyFile(dbPath).key).not.toBe(plain.key);
    expect(signs(desktop)).toBe(true);
    desktop.close();
  });

  it('seals it again when the key store asks (its own key was rotated)', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    const store = standInKeyStore({ shouldReEncrypt: true });
    (await openAsDesktop(dbPath, store)).close();
    const before = keyFile(dbPath).key;
    const again = await openAsDesktop(dbPath, store);
    expect(keyFile(dbPath).key).not.toBe(before);
    expect(signs(again)).toBe(true);
    again.close();
  });

  it('counts Linux’s basic_text as no key store: the key stays in its owner-only file, and 设置 says why', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    const reason = 'Linux 上没有可用的系统密钥库（safeStorage 只能使用 basic_text 后端，那只是用固定密钥做的混淆，不是加密）';
    const services = await openAsDesktop(dbPath, standInKeyStore({ unavailableReason: reason }));
    expect(keyFile(dbPath).protection).toBe('owner-only-file');
    signInForTests(services);
    const info = await dispatch(services, 'workstation.info', {});
    expect(info).toMatchObject({ ok: true, value: { keyProtection: 'owner-only-file', keyProtectionText: expect.stringContaining('basic_text') } });
    services.close();
  });

  it('refuses to start, in Chinese, when a sealed key cannot be opened', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    (await openAsDesktop(dbPath, standInKeyStore())).close();
    // Another user's key store (another key) cannot open it; an unavailable store cannot either.
    await expect(prepareKeyProtector(dbPath, standInKeyStore())).rejects.toThrow('无法用本机操作系统的密钥库解开工作站私钥');
    await expect(prepareKeyProtector(dbPath, standInKeyStore({ unavailableReason: '操作系统的密钥库不可用' }))).rejects.toThrow('密钥库现在不可用（操作系统的密钥库不可用），无法签名');
  });
});
