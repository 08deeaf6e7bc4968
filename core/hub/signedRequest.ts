import { randomBytes } from 'node:crypto';
import { sha256HexOfBytes } from '../register/entries';
import { signEd25519, verifyEd25519 } from '../register/signing';

/**
 * How a workstation proves to the hub who is asking: every request is signed with the
 * workstation's own Ed25519 key (the one enrolled with the hub), so there is no password to leak
 * or share between offices. The signature covers the method, the path and query, the time, a
 * random nonce and the body's hash; the hub refuses a stale time or a nonce it has seen, so a
 * captured request cannot be played again. The body's hash also travels as a header, so the hub
 * checks the signature before it reads a single byte of the body, and then only that the body it
 * reads has that hash: a stranger cannot make it buffer megabytes.
 *
 * Pure apart from the random nonce, which the caller may pass in.
 */
export const SIGNED_REQUEST_VERSION = 'SEAL-HUB-1';

/** Header names as Node reports them (lower case); HTTP header names are case-insensitive. */
export const SEAL_HEADERS = {
  workstation: 'x-seal-workstation',
  timestamp: 'x-seal-timestamp',
  nonce: 'x-seal-nonce',
  signature: 'x-seal-signature',
  bodySha256: 'x-seal-body-sha256',
} as const;

/** How far a request's time may be from the hub's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

import type { RefusalReason } from './protocol';

export const REFUSAL_MESSAGES: Record<RefusalReason, string> = {
  unenrolled: '本工作站未在集中服务器登记，或已被注销。请联系省厅管理员登记本工作站的公钥。',
  'bad-signature': '请求签名无效：请求不是由本工作站的密钥签署，或在途中被改动。',
  stale: '请求时间与集中服务器时间相差超过 5 分钟。请校准本机的日期和时间后重试。',
  replay: '该请求已经收到过一次（重放），已拒绝。',
};

const NONCE_PATTERN = /^[0-9a-f]{32}$/;
// ISO 8601 with seconds and an explicit zone: what Date#toISOString and officeTimestamp write. A
// looser form would let two texts name one instant, which matters for nothing signed here, but a
// strict one keeps the signed text unambiguous for any other implementation.
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
const WORKSTATION_ID_PATTERN = /^WS-[0-9A-F]{12}$/;

export interface RequestToSign {
  method: string;
  /** The path and query exactly as sent on the request line, e.g. `/v1/state` or `/v1/x?a=1`. */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  body: Uint8Array;
}

/** The exact text signed; any other implementation (a script, a second client) must build the same. */
export function requestSigningText(request: RequestToSign): string {
  return signingTextWithBodyHash(request, sha256HexOfBytes(request.body));
}

function signingTextWithBodyHash(request: Omit<RequestToSign, 'body'>, bodySha256: string): string {
  return [SIGNED_REQUEST_VERSION, request.method.toUpperCase(), request.pathWithQuery, request.timestamp, request.nonce, bodySha256].join('\n');
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The private key, or a function that signs with it (a key kept behind the OS key store). */
export type RequestSigner = { privateKey: Uint8Array } | { sign: (message: Uint8Array) => Uint8Array };

export function signWith(signer: RequestSigner, message: Uint8Array): Uint8Array {
  return 'privateKey' in signer ? signEd25519(signer.privateKey, message) : signer.sign(message);
}

/** The five headers to send with a request. */
export function signRequest(options: {
  workstationId: string;
  signer: RequestSigner;
  method: string;
  pathWithQuery: string;
  body: Uint8Array;
  at: Date;
  nonce?: string;
}): Record<string, string> {
  const timestamp = options.at.toISOString();
  const nonce = options.nonce ?? newNonce();
  const bodySha256 = sha256HexOfBytes(options.body);
  const text = signingTextWithBodyHash({ method: options.method, pathWithQuery: options.pathWithQuery, timestamp, nonce }, bodySha256);
  const signature = signWith(options.signer, Buffer.from(text, 'utf8'));
  return {
    'X-Seal-Workstation': options.workstationId,
    'X-Seal-Timestamp': timestamp,
    'X-Seal-Nonce': nonce,
    'X-Seal-Body-Sha256': bodySha256,
    'X-Seal-Signature': Buffer.from(signature).toString('base64'),
  };
}

/** The headers of a received request, before anything is known about the sender. */
export interface ClaimedSignature {
  workstationId: string;
  timestamp: string;
  /** Milliseconds since the epoch. */
  timestampMs: number;
  nonce: string;
  /** The hash of the body the signer says it sends: checked against the body once it is read. */
  bodySha256: string;
  signature: Uint8Array;
}

export type RequestRefusal = { ok: false; reason: RefusalReason; message: string };

function headerOf(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  // A repeated header is ambiguous (which one was signed?): treat it as absent.
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads the four headers. A request without them, or with malformed ones, is refused as
 * bad-signature: it is not signed in any form the hub knows. The claimed id is returned even
 * then, so that the refusal log says who the request claimed to be.
 */
export function readClaimedSignature(headers: Readonly<Record<string, string | string[] | undefined>>): { ok: true; claim: ClaimedSignature } | (RequestRefusal & { claimedWorkstationId: string }) {
  const workstationId = headerOf(headers, SEAL_HEADERS.workstation) ?? '';
  const timestamp = headerOf(headers, SEAL_HEADERS.timestamp) ?? '';
  const nonce = headerOf(headers, SEAL_HEADERS.nonce) ?? '';
  const signatureText = headerOf(headers, SEAL_HEADERS.signature) ?? '';
  const bodySha256 = headerOf(headers, SEAL_HEADERS.bodySha256) ?? '';
  const claimedWorkstationId = workstationId.slice(0, 64);
  const refuse = (message: string) => ({ ok: false as const, reason: 'bad-signature' as const, message, claimedWorkstationId });
  if (!workstationId || !timestamp || !nonce || !signatureText || !bodySha256) {
    return refuse('请求未签名：缺少 X-Seal-Workstation、X-Seal-Timestamp、X-Seal-Nonce、X-Seal-Body-Sha256 或 X-Seal-Signature（工作站软件版本过旧时请升级）。');
  }
  if (!WORKSTATION_ID_PATTERN.test(workstationId)) return { ok: false, reason: 'unenrolled', message: REFUSAL_MESSAGES.unenrolled, claimedWorkstationId };
  if (!NONCE_PATTERN.test(nonce)) return refuse('请求签名无效：X-Seal-Nonce 应为 32 位小写十六进制随机数。');
  const timestampMs = TIMESTAMP_PATTERN.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (!Number.isFinite(timestampMs)) return refuse('请求签名无效：X-Seal-Timestamp 不是 ISO 8601 时间。');
  if (!/^[0-9a-f]{64}$/.test(bodySha256)) return refuse('请求签名无效：X-Seal-Body-Sha256 应为 64 位小写十六进制 SHA-256。');
  if (!BASE64_PATTERN.test(signatureText)) return refuse(REFUSAL_MESSAGES['bad-signature']);
  const signature = new Uint8Array(Buffer.from(signatureText, 'base64'));
  if (signature.length !== 64) return refuse(REFUSAL_MESSAGES['bad-signature']);
  return { ok: true, claim: { workstationId, timestamp, timestampMs, nonce, bodySha256, signature } };
}

/** Whether the request's time is within the allowed skew of `now`. */
export function staleness(claim: ClaimedSignature, now: Date): RequestRefusal | null {
  return Math.abs(now.getTime() - claim.timestampMs) > MAX_CLOCK_SKEW_MS ? { ok: false, reason: 'stale', message: REFUSAL_MESSAGES.stale } : null;
}

/** Checks the signature over the headers alone (the body is checked against bodySha256 once read). */
export function requestSignatureValid(claim: ClaimedSignature, publicKey: Uint8Array, request: { method: string; pathWithQuery: string }): boolean {
  const text = signingTextWithBodyHash({ ...request, timestamp: claim.timestamp, nonce: claim.nonce }, claim.bodySha256);
  return verifyEd25519(publicKey, Buffer.from(text, 'utf8'), claim.signature);
}

export function bodyMatchesClaim(claim: ClaimedSignature, body: Uint8Array): boolean {
  return sha256HexOfBytes(body) === claim.bodySha256;
}
