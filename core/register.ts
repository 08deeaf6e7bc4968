import * as crypto from 'node:crypto';
import { canonicalJson } from './canonicalJson';

/**
 * One line of the seal-usage register (印章使用登记表, DOMAIN.md §7). Everything in it is
 * covered by its hash, and its hash by the next entry's `prevHash`.
 */
export interface RegisterEntry {
  seq: number;
  at: string;
  kind: '签章';
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
  clerk: string;
  approver: string;
  signMethod: string;
  remarks: string;
  visitId: number;
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
  const { seq, at, kind, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, approver, signMethod, remarks, visitId, prevHash } = entry;
  if (
    typeof at === 'string' && typeof kind === 'string' && typeof sealId === 'string' && typeof sealName === 'string' && typeof sealKind === 'string' &&
    typeof documentKind === 'string' && typeof unit === 'string' && typeof agentName === 'string' && typeof agentPhone === 'string' &&
    typeof slipNo === 'string' && typeof purpose === 'string' && typeof clerk === 'string' && typeof approver === 'string' &&
    typeof signMethod === 'string' && typeof remarks === 'string' && typeof prevHash === 'string' &&
    Number.isFinite(seq) && Number.isFinite(count) && Number.isFinite(visitId)
  ) {
    // Keys in UTF-16 code-unit order, as RFC 8785 sorts them (tests/unit/registerCanonical.test.ts holds it to canonicalJson).
    return JSON.stringify({ agentName, agentPhone, approver, at, clerk, count, documentKind, kind, prevHash, purpose, remarks, sealId, sealKind, sealName, seq, signMethod, slipNo, unit, visitId });
  }
  return canonicalJson({ seq, at, kind, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, approver, signMethod, remarks, visitId, prevHash });
}

/** crypto.hash (Node ≥ 20.12, and Electron's Node) skips the Hash object a one-shot digest does not need. */
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export function registerEntryHash(entry: RegisterEntry): string {
  return sha256Hex(registerEntryCanonical(entry));
}

export type ChainBreak = {
  seq: number;
  problem: 'changed' | 'missing' | 'out-of-order' | 'broken-link';
  message: string;
};

export type ChainReport = { intact: true; count: number } | { intact: false; count: number; firstBreak: ChainBreak };

/**
 * Walks entries in stored order. `entries` is an iterable so that a million-entry register is
 * checked without holding it in memory.
 */
export function verifyChain(entries: Iterable<HashedRegisterEntry>): ChainReport {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  const broken = (entry: HashedRegisterEntry, problem: ChainBreak['problem'], message: string): ChainReport => ({ intact: false, count, firstBreak: { seq: entry.seq, problem, message } });
  for (const entry of entries) {
    count++;
    if (entry.seq !== expectedSeq) {
      return entry.seq > expectedSeq
        ? broken(entry, 'missing', `第 ${expectedSeq} 号登记之后缺失，下一条是第 ${entry.seq} 号。`)
        : broken(entry, 'out-of-order', `第 ${entry.seq} 号登记出现在第 ${expectedSeq - 1} 号之后，顺序被打乱。`);
    }
    if (registerEntryHash(entry) !== entry.hash) return broken(entry, 'changed', `第 ${entry.seq} 号登记的内容与其哈希值不符，记录已被改动。`);
    if (entry.prevHash !== previousHash) return broken(entry, 'broken-link', `第 ${entry.seq} 号登记记载的上一条哈希与第 ${entry.seq - 1} 号不符，链条断开（记录被删除、插入或调换）。`);
    previousHash = entry.hash;
    expectedSeq++;
  }
  return { intact: true, count };
}
