import * as crypto from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import { type ChainProblem, type EntryKind } from './registerTerms';

export { CHAIN_PROBLEMS, ENTRY_KINDS, type ChainProblem, type EntryKind } from './registerTerms';

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
  const { seq, at, kind, correctsSeq, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, clerkAccount, approver, signMethod, remarks, visitId, prevHash } = entry;
  if (
    typeof at === 'string' && typeof kind === 'string' && typeof clerkAccount === 'string' && (correctsSeq === null || Number.isFinite(correctsSeq)) && typeof sealId === 'string' && typeof sealName === 'string' && typeof sealKind === 'string' &&
    typeof documentKind === 'string' && typeof unit === 'string' && typeof agentName === 'string' && typeof agentPhone === 'string' &&
    typeof slipNo === 'string' && typeof purpose === 'string' && typeof clerk === 'string' && typeof approver === 'string' &&
    typeof signMethod === 'string' && typeof remarks === 'string' && typeof prevHash === 'string' &&
    Number.isFinite(seq) && Number.isFinite(count) && Number.isFinite(visitId)
  ) {
    // Keys in UTF-16 code-unit order, as RFC 8785 sorts them (tests/unit/registerCanonical.test.ts holds it to canonicalJson).
    return JSON.stringify({ agentName, agentPhone, approver, at, clerk, clerkAccount, correctsSeq, count, documentKind, kind, prevHash, purpose, remarks, sealId, sealKind, sealName, seq, signMethod, slipNo, unit, visitId });
  }
  return canonicalJson({ seq, at, kind, correctsSeq, sealId, sealName, sealKind, documentKind, count, unit, agentName, agentPhone, slipNo, purpose, clerk, clerkAccount, approver, signMethod, remarks, visitId, prevHash });
}

/** crypto.hash (Node ≥ 20.12, and Electron's Node) skips the Hash object a one-shot digest does not need. */
export const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export function registerEntryHash(entry: RegisterEntry): string {
  return sha256Hex(registerEntryCanonical(entry));
}

export type ChainBreak = {
  seq: number;
  problem: ChainProblem;
  message: string;
};

export type ChainReport = { intact: true; count: number } | { intact: false; count: number; firstBreak: ChainBreak };

/**
 * What the workstation has signed about its register, already checked against its key: the last
 * hash of every signed batch, and the signed tip (the last entry it wrote). The hash chain alone
 * cannot tell a removed last entry, or one appended with a correct hash, from an honest end; the
 * signed tip can. A history rewritten with recomputed hashes is caught by the batch it falls in.
 */
export interface ChainAnchors {
  batchEnds: ReadonlyMap<number, { batchNo: number; firstSeq: number; hash: string }>;
  signedTip: { seq: number; hash: string } | null;
}

export const NO_ANCHORS: ChainAnchors = { batchEnds: new Map(), signedTip: null };

/** How far from its place an entry is looked for when its hash does not match where it stands. */
const MOVED_ENTRY_WINDOW = 16;

/** The sequence number an entry's stored hash was made with, if it is near where the entry stands now. */
function originalSeqOf(entry: HashedRegisterEntry): number | null {
  for (let distance = 1; distance <= MOVED_ENTRY_WINDOW; distance++) {
    for (const seq of [entry.seq - distance, entry.seq + distance]) {
      if (seq >= 1 && registerEntryHash({ ...entry, seq }) === entry.hash) return seq;
    }
  }
  return null;
}

/**
 * Walks entries in stored order and names the first that breaks the chain, and how. `entries`
 * is an iterable so that a million-entry register is checked without holding it in memory.
 */
export function verifyChain(entries: Iterable<HashedRegisterEntry>, anchors: ChainAnchors = NO_ANCHORS): ChainReport {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  const broken = (seq: number, problem: ChainProblem, message: string): ChainReport => ({ intact: false, count, firstBreak: { seq, problem, message } });
  const iterator = entries[Symbol.iterator]();
  try {
    return walk();
  } finally {
    // Stopping at the first break must still release what feeds the walk (an open SQLite statement).
    iterator.return?.();
  }

  function walk(): ChainReport {
    let upcoming = iterator.next();
    while (!upcoming.done) {
      const entry = upcoming.value;
      upcoming = iterator.next();
      count++;
      if (entry.seq !== expectedSeq) {
        return entry.seq > expectedSeq
          ? broken(expectedSeq, 'missing', `第 ${expectedSeq} 号登记缺失（删除），其后的下一条是第 ${entry.seq} 号。`)
          : broken(entry.seq, 'out-of-order', `第 ${entry.seq} 号登记出现在第 ${expectedSeq - 1} 号之后，顺序被打乱。`);
      }
      if (registerEntryHash(entry) !== entry.hash) {
        if (entry.hash === previousHash) {
          return broken(entry.seq, 'inserted', `第 ${entry.seq} 号登记是插入的：它是第 ${entry.seq - 1} 号登记的复制。`);
        }
        const originalSeq = originalSeqOf(entry);
        if (originalSeq === entry.seq - 1) {
          return broken(originalSeq, 'inserted', `第 ${originalSeq} 号登记是插入的：原第 ${originalSeq} 号登记被挪到了第 ${entry.seq} 号。`);
        }
        if (originalSeq !== null) {
          return broken(entry.seq, 'out-of-order', `第 ${entry.seq} 号位置上的是原第 ${originalSeq} 号登记，登记的顺序被调换。`);
        }
        const next = upcoming.done ? null : upcoming.value;
        if (next && next.seq === entry.seq + 1 && registerEntryHash({ ...next, seq: entry.seq }) === next.hash) {
          return broken(entry.seq, 'inserted', `第 ${entry.seq} 号登记是插入的：原第 ${entry.seq} 号登记被挪到了第 ${next.seq} 号。`);
        }
        return broken(entry.seq, 'changed', `第 ${entry.seq} 号登记的内容与其哈希值不符，记录已被改动。`);
      }
      if (entry.prevHash !== previousHash) {
        return broken(entry.seq, 'broken-link', `第 ${entry.seq} 号登记记载的上一条哈希与第 ${entry.seq - 1} 号不符，链条断开（记录被删除、插入或调换）。`);
      }
      const batchEnd = anchors.batchEnds.get(entry.seq);
      if (batchEnd && batchEnd.hash !== entry.hash) {
        return broken(batchEnd.firstSeq, 'changed', `第 ${batchEnd.firstSeq}–${entry.seq} 号登记与已签名的第 ${batchEnd.batchNo} 批不符：其中的登记被改动后重新计算了哈希。`);
      }
      if (anchors.signedTip && entry.seq > anchors.signedTip.seq) {
        return broken(entry.seq, 'inserted', `第 ${entry.seq} 号登记不是本工作站写入的（工作站签名的最后一条是第 ${anchors.signedTip.seq} 号），是被插入的。`);
      }
      if (anchors.signedTip?.seq === entry.seq && anchors.signedTip.hash !== entry.hash) {
        return broken(entry.seq, 'changed', `第 ${entry.seq} 号登记与工作站签名的最后一条不符，记录已被改动。`);
      }
      previousHash = entry.hash;
      expectedSeq++;
    }
    if (anchors.signedTip && expectedSeq - 1 < anchors.signedTip.seq) {
      const removed = anchors.signedTip.seq - (expectedSeq - 1);
      return broken(expectedSeq, 'missing', `第 ${expectedSeq}${removed > 1 ? `–${anchors.signedTip.seq}` : ''} 号登记缺失：登记簿最后的 ${removed} 条被删除（工作站签名记载共 ${anchors.signedTip.seq} 条）。`);
    }
    return { intact: true, count };
  }
}
