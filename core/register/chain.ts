import { GENESIS_HASH, registerEntryHash, type HashedRegisterEntry } from './entries';
import type { ChainProblem } from './terms';

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
