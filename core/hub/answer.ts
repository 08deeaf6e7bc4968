import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../register/canonicalJson';
import { signEd25519, verifyEd25519 } from '../register/signing';
import { sha256HexOfBytes } from '../register/entries';

/**
 * The hub signs every answer it gives with its own key (the answer key), so that a workstation
 * believes "accepted" only from the hub and not from whatever sits on the line: a forged
 * acknowledgement would make it drop a batch from its outbox that the hub never stored.
 *
 * The signature covers the request it answers (method, path and query, the request's nonce), the
 * HTTP status and the body's hash, so an answer captured once cannot be replayed for another
 * request. The answer key is not the province key: it lives on the serving machines, and the
 * province key, which signs publications, stays offline. The province vouches for the answer key
 * once, with a signed statement (HubKeyStatement), which workstations check against the province
 * key they already hold and then pin.
 *
 * Pure apart from node:crypto.
 */
export const ANSWER_SIGNATURE_VERSION = 'SEAL-HUB-ANSWER-1';
/** Lower case, as Node reports header names. */
export const ANSWER_SIGNATURE_HEADER = 'x-seal-answer-signature';

export interface AnsweredRequest {
  method: string;
  /** Exactly as on the request line. */
  pathWithQuery: string;
  /** The request's X-Seal-Nonce as sent; empty for unsigned requests. */
  nonce: string;
}

export function answerSigningText(request: AnsweredRequest, status: number, body: Uint8Array): string {
  return [ANSWER_SIGNATURE_VERSION, request.method.toUpperCase(), request.pathWithQuery, request.nonce, String(status), sha256HexOfBytes(body)].join('\n');
}

export function signAnswer(privateKey: Uint8Array, request: AnsweredRequest, status: number, body: Uint8Array): string {
  return Buffer.from(signEd25519(privateKey, Buffer.from(answerSigningText(request, status, body), 'utf8'))).toString('base64');
}

export function answerSignatureValid(publicKey: Uint8Array, request: AnsweredRequest, status: number, body: Uint8Array, signature: string | null): boolean {
  if (!signature || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
  return verifyEd25519(publicKey, Buffer.from(answerSigningText(request, status, body), 'utf8'), Buffer.from(signature, 'base64'));
}

/** The province's word that a key is this hub's answer key (made by hub-init with the province key). */
export const HUB_KEY_FORMAT = 'seal-counter-hub-key/1';
export const HubKeyStatementSchema = z.strictObject({
  format: z.literal(HUB_KEY_FORMAT),
  /** The answer key, raw Ed25519 public key in base64. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  createdAt: z.string(),
  /** The province key's signature over the canonical JSON of the other fields. */
  provinceSignature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});
export type HubKeyStatement = z.infer<typeof HubKeyStatementSchema>;

function statementCanonical(statement: Omit<HubKeyStatement, 'provinceSignature'>): string {
  const { format, publicKey, createdAt } = statement;
  return canonicalJson({ format, publicKey, createdAt });
}

export function signHubKeyStatement(answerPublicKey: Uint8Array, createdAt: string, provincePrivateKey: Uint8Array): HubKeyStatement {
  const unsigned = { format: HUB_KEY_FORMAT, publicKey: Buffer.from(answerPublicKey).toString('base64'), createdAt } as const;
  const signature = signEd25519(provincePrivateKey, Buffer.from(statementCanonical(unsigned), 'utf8'));
  return { ...unsigned, provinceSignature: Buffer.from(signature).toString('base64') };
}

/** The answer key the statement vouches for, or null when the province did not sign it. */
export function verifiedHubKey(statement: unknown, provincePublicKey: Uint8Array): Uint8Array | null {
  const parsed = HubKeyStatementSchema.safeParse(statement);
  if (!parsed.success) return null;
  const ok = verifyEd25519(provincePublicKey, Buffer.from(statementCanonical(parsed.data), 'utf8'), Buffer.from(parsed.data.provinceSignature, 'base64'));
  return ok ? new Uint8Array(Buffer.from(parsed.data.publicKey, 'base64')) : null;
}

/**
 * What an administrator reads aloud or compares on screen: SHA-256 of the raw public key, the
 * first 16 bytes in eight groups of four hex digits.
 */
export function keyFingerprint(publicKey: Uint8Array): string {
  const hex = createHash('sha256').update(publicKey).digest('hex').slice(0, 32).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}
