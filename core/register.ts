import { createHash } from 'node:crypto';
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

export function registerEntryHash(entry: RegisterEntry): string {
  const { seq, at, kind, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, approver, signMethod, remarks, visitId, prevHash } = entry;
  const canonical = canonicalJson({ seq, at, kind, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, approver, signMethod, remarks, visitId, prevHash });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
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
  for (const entry of entries) {
    count++;
    const broken = (problem: ChainBreak['problem'], message: string): ChainReport => ({ intact: false, count, firstBreak: { seq: entry.seq, problem, message } });
    if (entry.seq !== expectedSeq) {
      return entry.seq > expectedSeq
        ? broken('missing', `第 ${expectedSeq} 号登记之后缺失，下一条是第 ${entry.seq} 号。`)
        : broken('out-of-order', `第 ${entry.seq} 号登记出现在第 ${expectedSeq - 1} 号之后，顺序被打乱。`);
    }
    if (registerEntryHash(entry) !== entry.hash) return broken('changed', `第 ${entry.seq} 号登记的内容与其哈希值不符，记录已被改动。`);
    if (entry.prevHash !== previousHash) return broken('broken-link', `第 ${entry.seq} 号登记记载的上一条哈希与第 ${entry.seq - 1} 号不符，链条断开（记录被删除、插入或调换）。`);
    previousHash = entry.hash;
    expectedSeq++;
  }
  return { intact: true, count };
}
