import * as crypto from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import type { EntryKind } from './terms';

/**
 * One line of the seal-usage register (印章使用登记表, DOMAIN.md §7). Everything in it is
 * covered by its hash, and its hash by the next entry's `prevHash`.
 */
export interface RegisterEntry {
  seq: number;
  at: string;
  /** 签章 records a sealing; 更正 corrects the entry `correctsSeq` names, giving the reason in `remarks`. */
  kind: EntryKind;
  correctsSeq: number | null;
  sealId: string;
  sealName: string;
  sealKind: string;
  documentKind: string;
  count: number;
  unit: string;
  agentName: string;
  agentPhone: string;
  slipNo: string;
  purpose: string;
  /** The clerk's name as shown, and the account that signed in (DOMAIN.md §7: every entry names its clerk). */
  clerk: string;
  clerkAccount: string;
  approver: string;
  signMethod: string;
  remarks: string;
  visitId: number;
  /**
   * SHA-256 of the records this entry brought into the ledger (core/register/records.ts): the
   * certificates a sealing recorded, and whatever else a later kind of entry attaches. A ledger row
   * changed, added or removed behind the app no longer matches the entry that wrote it.
   */
  attachmentsDigest: string;
  prevHash: string;
}

export interface HashedRegisterEntry extends RegisterEntry {
  hash: string;
}

/** The chain starts from a hash of nothing, so the first entry needs no special case. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The text an entry's hash is taken over: the RFC 8785 canonical JSON of every field but the hash.
 *
 * For the fields the app writes (text and finite numbers) that is exactly what JSON.stringify
 * gives for an object whose keys were inserted in sorted order, in one native call; the general
 * canonicalJson (a sort and a JSON.stringify per key and value) made hashing most of the cost of
 * verifying a long register. Anything else (a field of another type, read from a file edited
 * outside the app) takes the general path, so the text is the same either way.
 */
export function registerEntryCanonical(entry: RegisterEntry): string {
  const { seq, at, kind, correctsSeq, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, clerkAccount, approver, signMethod, remarks, visitId, attachmentsDigest, prevHash } = entry;
  if (
    typeof at === 'string' && typeof kind === 'string' && typeof clerkAccount === 'string' && (correctsSeq === null || Number.isFinite(correctsSeq)) && typeof sealId === 'string' && typeof sealName === 'string' && typeof sealKind === 'string' &&
    typeof documentKind === 'string' && typeof unit === 'string' && typeof agentName === 'string' && typeof agentPhone === 'string' &&
    typeof slipNo === 'string' && typeof purpose === 'string' && typeof clerk === 'string' && typeof approver === 'string' &&
    typeof signMethod === 'string' && typeof remarks === 'string' && typeof attachmentsDigest === 'string' && typeof prevHash === 'string' &&
    Number.isFinite(seq) && Number.isFinite(count) && Number.isFinite(visitId)
  ) {
    // Keys in UTF-16 code-unit order, as RFC 8785 sorts them (tests/register/registerCanonical.test.ts holds it to canonicalJson).
    return JSON.stringify({ agentName, agentPhone, approver, at, attachmentsDigest, clerk, clerkAccount, correctsSeq, count, documentKind, kind, prevHash, purpose, remarks, sealId, sealKind, sealName, seq, signMethod, slipNo, unit, visitId });
  }
  return canonicalJson({ seq, at, kind, correctsSeq, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, clerkAccount, approver, signMethod, remarks, visitId, attachmentsDigest, prevHash });
}

/** crypto.hash (Node ≥ 20.12, and Electron's Node) skips the Hash object a one-shot digest does not need. */
export const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export function registerEntryHash(entry: RegisterEntry): string {
  return sha256Hex(registerEntryCanonical(entry));
}

/** SHA-256 of bytes as stored (the register keeps each entry's canonical text as its record). */
export const sha256HexOfBytes: (bytes: Uint8Array) => string = typeof crypto.hash === 'function'
  ? (bytes) => crypto.hash('sha256', bytes, 'hex')
  : (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** The fields of an entry from its stored canonical text, and the hash stored beside it. */
export function entryFromCanonical(canonical: string, hash: string): HashedRegisterEntry {
  return { ...(JSON.parse(canonical) as RegisterEntry), hash };
}
