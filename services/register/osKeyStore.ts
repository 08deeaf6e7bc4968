import { existsSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { UserError } from '../../core/errors';
import { workstationKeyPathFor } from '../paths';
import { KeyFileSchema, type KeyProtector, type WorkstationIdentity } from './workstationKey';

/**
 * The operating system's key store as the Electron host offers it (safeStorage's asynchronous
 * calls; the synchronous ones are deprecated). Opening the services stays synchronous for the
 * command line and the tests, so the host does the asynchronous part around it: before opening,
 * it decrypts an existing sealed key (prepareKeyProtector); after, it seals a key still kept in a
 * plain file (sealWorkstationKey) — a new workstation's, or one first set up under the loopback
 * host, which has no key store.
 */
export interface OsKeyStore {
  /** Null when the store really encrypts; otherwise the sentence the 设置 page shows for why it is not used. */
  unavailableReason: string | null;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

export interface PreparedKeyProtection {
  /** For openServices; absent when the key is (still) in a plain file. */
  keyProtector?: KeyProtector;
  /** The store asked for the key to be sealed again (its own key was rotated). */
  reseal: boolean;
}

export async function prepareKeyProtector(dbPath: string, store: OsKeyStore): Promise<PreparedKeyProtection> {
  const keyPath = workstationKeyPathFor(dbPath);
  const file = readKeyFile(keyPath);
  if (!file || file.protection !== 'safeStorage') return { reseal: false };
  if (store.unavailableReason) {
    throw new UserError(`工作站私钥“${keyPath}”由本机操作系统的密钥库加密，但密钥库现在不可用（${store.unavailableReason}），无法签名。请以安装本程序时的系统账户登录后再启动。已记录的数据未受影响。`);
  }
  const sealed = Buffer.from(file.key, 'base64');
  let opened: { result: string; shouldReEncrypt: boolean };
  try {
    opened = await store.decrypt(sealed);
  } catch {
    throw new UserError(`无法用本机操作系统的密钥库解开工作站私钥“${keyPath}”（可能换了登录账户或重装了系统）。已记录的数据未受影响。`);
  }
  const seed = Buffer.from(opened.result, 'base64');
  return {
    keyProtector: {
      kind: 'safeStorage',
      encrypt: () => { throw new UserError('工作站私钥已存在，不应再次生成。'); },
      // Only the key that was decrypted above; anything else is not this workstation's file.
      decrypt: (presented) => {
        if (!presented.equals(sealed)) throw new UserError(`工作站私钥文件“${keyPath}”在启动过程中被改动。已记录的数据未受影响。`);
        return seed;
      },
    },
    reseal: opened.shouldReEncrypt,
  };
}

/**
 * Seals the workstation's key with the store when it is in a plain file (or when the store asks
 * for it again), replacing the file in one rename. The identity then says so on 设置.
 */
export async function sealWorkstationKey(identity: WorkstationIdentity, store: OsKeyStore, prepared: PreparedKeyProtection): Promise<boolean> {
  if (store.unavailableReason) {
    identity.protectionNote = store.unavailableReason;
    return false;
  }
  const file = readKeyFile(identity.keyPath);
  if (!file || (file.protection === 'safeStorage' && !prepared.reseal)) return false;
  const seedBase64 = file.protection === 'safeStorage' ? prepared.keyProtector!.decrypt(Buffer.from(file.key, 'base64')).toString('base64') : file.key;
  const sealed = await store.encrypt(seedBase64);
  const temp = `${identity.keyPath}.sealing`;
  writeFileSync(temp, JSON.stringify({ ...file, protection: 'safeStorage', key: sealed.toString('base64') }, null, 2), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, identity.keyPath);
  identity.protection = 'safeStorage';
  delete identity.protectionNote;
  return true;
}

function readKeyFile(keyPath: string) {
  if (!existsSync(keyPath)) return null;
  try {
    return KeyFileSchema.parse(JSON.parse(readFileSync(keyPath, 'utf8')));
  } catch {
    return null;
  }
}
