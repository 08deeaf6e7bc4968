import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../core/errors';
import { generateEd25519KeyPair, publicKeyOf, type Ed25519KeyPair } from '../core/register/signing';

/**
 * The hub's two key files. The province key signs publications and vouches for the answer key;
 * it is read only by hub-init and hub-publish, and belongs on an administrator's machine, not on
 * the serving nodes. The answer key signs every answer the hub gives; each node holds a copy.
 * Neither is ever in the database, so a copy of the database (a backup, an audit) signs nothing.
 */
export const KEY_FILES = {
  province: { format: 'seal-counter-province-key/1', label: '省级私钥' },
  answer: { format: 'seal-counter-hub-answer-key/1', label: '集中服务器应答私钥' },
} as const;
export type KeyKind = keyof typeof KEY_FILES;

const KeyFileSchema = z.object({
  format: z.string(),
  publicKey: z.string(),
  privateKey: z.string(),
  createdAt: z.string(),
});

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Makes a new key file; `wx`, so two commands racing on one path cannot overwrite each other's key. */
export function createKeyFile(kind: KeyKind, path: string, createdAt: string): Ed25519KeyPair {
  const pair = generateEd25519KeyPair();
  const file = { format: KEY_FILES[kind].format, publicKey: base64(pair.publicKey), privateKey: base64(pair.privateKey), createdAt };
  try {
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new UserError(`无法创建${KEY_FILES[kind].label}文件“${path}”：${(error as Error).message}`);
  }
  chmodSync(path, 0o600);
  return pair;
}

export function readKeyFile(kind: KeyKind, path: string): Ed25519KeyPair {
  const { label, format } = KEY_FILES[kind];
  if (!existsSync(path)) throw new UserError(`找不到${label}文件“${path}”。`);
  let file: z.infer<typeof KeyFileSchema>;
  try {
    file = KeyFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    throw new UserError(`${label}文件“${path}”无法读取、已损坏或不是签章集中服务器的密钥文件。`);
  }
  if (file.format !== format) throw new UserError(`文件“${path}”的格式为“${file.format}”，不是${label}文件（${format}）。`);
  const privateKey = new Uint8Array(Buffer.from(file.privateKey, 'base64'));
  if (privateKey.length !== 32 || base64(publicKeyOf(privateKey)) !== file.publicKey) {
    throw new UserError(`${label}文件“${path}”中的私钥与公钥不配对，文件已损坏。`);
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    console.error(`警告：${label}文件“${path}”可被其他用户读取，请执行 chmod 600 “${path}”。`);
  }
  return { publicKey: publicKeyOf(privateKey), privateKey };
}

export const publicKeyBase64 = base64;
