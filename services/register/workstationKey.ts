import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { workstationIdOf } from '../../core/register/batch';
import { WORKSTATION_KEY_FORMAT, type WorkstationKeyFile } from '../../core/hub/protocol';
import { UserError } from '../../core/errors';
import { generateEd25519KeyPair, publicKeyOf, signEd25519 } from '../../core/register/signing';
import type { Db } from '../../db/database';

import { workstationKeyPathFor } from '../paths';

/**
 * Encrypts the private key at rest with the operating system's key store. Electron's safeStorage
 * is one; the loopback host and the CLI have none and fall back to a file only its owner may read.
 */
export interface KeyProtector {
  kind: 'safeStorage';
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

export type KeyProtection = 'safeStorage' | 'owner-only-file';

export const KEY_PROTECTION_LABEL: Record<KeyProtection, string> = {
  safeStorage: '私钥已由本机操作系统加密保存',
  'owner-only-file': '私钥保存在只有本机当前用户能读取的文件中，未加密（本机没有可用的系统加密功能）',
};

export interface WorkstationIdentity {
  id: string;
  publicKey: Uint8Array;
  protection: KeyProtection;
  /** Why the operating system's key store was not used, where the host has said (see osKeyStore.ts). */
  protectionNote?: string;
  keyPath: string;
  createdAt: string;
  sign: (message: Uint8Array) => Uint8Array;
}

export const KeyFileSchema = z.object({
  format: z.literal('seal-counter-private-key/1'),
  workstationId: z.string(),
  protection: z.enum(['safeStorage', 'owner-only-file']),
  key: z.string(),
});

/**
 * The workstation's Ed25519 key pair, made on first run. The database keeps the public half (so
 * its batches can be checked against it); the private half lives in a separate file.
 */
export function loadWorkstationIdentity(db: Db, dbPath: string, createdAt: string, protector?: KeyProtector): WorkstationIdentity {
  const keyPath = workstationKeyPathFor(dbPath);
  const known = db.prepare('SELECT id, public_key, created_at FROM workstation').get() as { id: string; public_key: string; created_at: string } | undefined;
  if (!known) {
    if (existsSync(keyPath)) {
      throw new UserError(`数据文件还没有工作站身份，但“${keyPath}”已有一个工作站私钥。为免两个数据文件共用一个身份，请把该密钥文件移走，或用 --db 打开它对应的数据文件。`);
    }
    const pair = generateEd25519KeyPair();
    const protection: KeyProtection = protector ? 'safeStorage' : 'owner-only-file';
    const id = workstationIdOf(pair.publicKey);
    const key = protector ? protector.encrypt(Buffer.from(pair.privateKey)) : Buffer.from(pair.privateKey);
    // Written before the database row: a crash between the two leaves a key file without a row,
    // which the message above explains, rather than a row whose private key is lost.
    writeFileSync(keyPath, JSON.stringify({ format: 'seal-counter-private-key/1', workstationId: id, protection, key: key.toString('base64') }, null, 2), { mode: 0o600, flag: 'wx' });
    chmodSync(keyPath, 0o600);
    db.prepare('INSERT INTO workstation (id, public_key, created_at) VALUES (?, ?, ?)').run(id, Buffer.from(pair.publicKey).toString('base64'), createdAt);
    return identity(id, pair.privateKey, protection, keyPath, createdAt);
  }
  if (!existsSync(keyPath)) {
    throw new UserError(`找不到本工作站（${known.id}）的私钥文件“${keyPath}”。没有它就无法为登记签名。请从安装时保存的副本恢复该文件后再启动；已记录的数据未受影响。`);
  }
  let file: z.infer<typeof KeyFileSchema>;
  try {
    file = KeyFileSchema.parse(JSON.parse(readFileSync(keyPath, 'utf8')));
  } catch {
    throw new UserError(`工作站私钥文件“${keyPath}”已损坏或不是签章窗口的密钥文件。已记录的数据未受影响。`);
  }
  if (file.protection === 'safeStorage' && !protector) {
    // The command line has no access to the desktop app's key store: it may check, not sign.
    const cannotSign = (): never => { throw new UserError(`工作站私钥由系统密钥库加密，只有签章窗口桌面程序能用它签名（“${keyPath}”）。`); };
    return { id: known.id, publicKey: new Uint8Array(Buffer.from(known.public_key, 'base64')), protection: file.protection, keyPath, createdAt: known.created_at, sign: cannotSign };
  }
  let seed: Uint8Array = Buffer.from(file.key, 'base64');
  if (protector && file.protection === 'safeStorage') seed = protector.decrypt(Buffer.from(seed));
  if (seed.length !== 32 || Buffer.from(publicKeyOf(seed)).toString('base64') !== known.public_key) {
    throw new UserError(`工作站私钥文件“${keyPath}”与数据文件记载的工作站（${known.id}）不符。已记录的数据未受影响。`);
  }
  return identity(known.id, new Uint8Array(seed), file.protection, keyPath, known.created_at);
}

/** How the private key is kept, in one sentence for the 设置 page. */
export function keyProtectionText(identity: Pick<WorkstationIdentity, 'protection' | 'protectionNote'>): string {
  return identity.protectionNote ? `${KEY_PROTECTION_LABEL[identity.protection]}：${identity.protectionNote}` : KEY_PROTECTION_LABEL[identity.protection];
}

function identity(id: string, seed: Uint8Array, protection: KeyProtection, keyPath: string, createdAt: string): WorkstationIdentity {
  return { id, publicKey: publicKeyOf(seed), protection, keyPath, createdAt, sign: (message) => signEd25519(seed, message) };
}

/** The file an administrator takes to the hub to enroll this workstation. */
export function exportPublicKey(identity: WorkstationIdentity, officeName: string, exportedAt: string): WorkstationKeyFile {
  return {
    format: WORKSTATION_KEY_FORMAT,
    workstationId: identity.id,
    publicKey: Buffer.from(identity.publicKey).toString('base64'),
    officeName,
    exportedAt,
  };
}
