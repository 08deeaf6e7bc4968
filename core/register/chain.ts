import { GENESIS_HASH, sha256HexOfBytes } from './entries';
import { attachmentsDigestOf } from './records';
import type { ChainProblem } from './terms';

export type ChainBreak = {
  seq: number;
  problem: ChainProblem;
  message: string;
};

export type ChainReport = { intact: true; count: number } | { intact: false; count: number; firstBreak: ChainBreak };

/** An entry as the register stores it: its canonical bytes (the record), the hash beside them, its records. */
export interface StoredEntry {
  canonical: Uint8Array;
  hash: string;
  /** The canonical texts of the ledger records stored with this entry, in the order written. */
  records: readonly string[];
  /** The workstation's signature over the hash; read only where the walk checks it. */
  signature?: string | null;
}

/**
 * What the workstation has signed about its register, already checked against its key. The hash
 * chain alone cannot tell a removed last entry, or an entry rewritten together with everything
 * after it, from an honest register; these can:
 * - the last hash of every signed batch (a rewrite inside a closed day);
 * - the signed tip, re-signed with every entry (a removed or appended last entry);
 * - each entry's own signature, checked from `signedFrom` on (a rewrite of the open day, named
 *   at the first entry that is no longer the workstation's);
 * - the witness kept outside the database (a register emptied or cut short together with its tip).
 */
export interface ChainAnchors {
  batchEnds: ReadonlyMap<number, { batchNo: number; firstSeq: number; hash: string }>;
  signedTip: { seq: number; hash: string } | null;
  /** From this entry on, every entry's signature must verify (the entries after the last signed batch). */
  signedFrom: number;
  entrySignatureValid: (hash: string, signature: string) => boolean;
  /** The highest entry the workstation remembers writing, outside the database; null when unknown. */
  witness: { seq: number; hash: string } | null;
  /** The highest sequence number stored: a register longer than the workstation signed has had entries inserted. */
  storedLastSeq: number;
}

export const NO_ANCHORS: ChainAnchors = { batchEnds: new Map(), signedTip: null, signedFrom: Number.POSITIVE_INFINITY, entrySignatureValid: () => false, witness: null, storedLastSeq: 0 };

/**
 * Fields read straight off the canonical bytes. Canonical JSON escapes every quote inside a string,
 * so `"seq":` or `"prevHash":"` can only occur as a key: the first occurrence is the field.
 */
const SEQ_KEY = Buffer.from('"seq":');
const PREV_HASH_KEY = Buffer.from('"prevHash":"');
const DIGEST_KEY = Buffer.from('"attachmentsDigest":"');

function seqIn(canonical: Uint8Array): number | null {
  const bytes = Buffer.from(canonical.buffer, canonical.byteOffset, canonical.byteLength);
  const at = bytes.indexOf(SEQ_KEY);
  if (at === -1) return null;
  let value = 0;
  let i = at + SEQ_KEY.length;
  for (; i < bytes.length && bytes[i]! >= 48 && bytes[i]! <= 57; i++) value = value * 10 + bytes[i]! - 48;
  return i === at + SEQ_KEY.length ? null : value;
}

function hexIn(canonical: Uint8Array, key: Buffer): string | null {
  const bytes = Buffer.from(canonical.buffer, canonical.byteOffset, canonical.byteLength);
  const at = bytes.indexOf(key);
  return at === -1 ? null : bytes.toString('latin1', at + key.length, at + key.length + 64);
}

/** The same entry as if written at another place: its canonical text with another sequence number. */
function withSeq(canonical: Uint8Array, seq: number): Buffer {
  const text = Buffer.from(canonical.buffer, canonical.byteOffset, canonical.byteLength).toString('utf8');
  return Buffer.from(text.replace(/"seq":\d+/, `"seq":${seq}`), 'utf8');
}

/** How far from its place an entry is looked for when its hash does not match where it stands. */
const MOVED_ENTRY_WINDOW = 16;

function originalSeqOf(entry: StoredEntry, seq: number): number | null {
  for (let distance = 1; distance <= MOVED_ENTRY_WINDOW; distance++) {
    for (const candidate of [seq - distance, seq + distance]) {
      if (candidate >= 1 && sha256HexOfBytes(withSeq(entry.canonical, candidate)) === entry.hash) return candidate;
    }
  }
  return null;
}

const range = (first: number, last: number) => (first === last ? `第 ${first} 号` : `第 ${first}–${last} 号`);

/**
 * Walks entries in stored order and names the first that breaks the chain, and how. `entries` is
 * an iterable so that a million-entry register is checked without holding it in memory; each
 * entry is hashed from its stored bytes, never rebuilt from columns. `start` is where the walk
 * picks up: the beginning, or the end of a signed batch already known good.
 */
export function verifyChain(entries: Iterable<StoredEntry>, anchors: ChainAnchors = NO_ANCHORS, start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainReport {
  let previousHash = start.hash;
  let expectedSeq = start.seq + 1;
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
    let previousSeq = start.seq;
    while (!upcoming.done) {
      const entry = upcoming.value;
      upcoming = iterator.next();
      count++;
      const seq = seqIn(entry.canonical);
      if (seq === null) return broken(expectedSeq, 'changed', `${range(expectedSeq, expectedSeq)}登记的内容已被改写，不再是签章窗口写入的格式。`);
      if (seq !== expectedSeq) {
        if (seq === previousSeq) return broken(expectedSeq, 'inserted', `第 ${expectedSeq} 号位置上是插入的第 ${seq} 号登记的复制。`);
        if (seq < expectedSeq) return broken(seq, 'out-of-order', `第 ${seq} 号登记出现在第 ${expectedSeq - 1} 号之后，顺序被打乱。`);
        const next = upcoming.done ? null : seqIn(upcoming.value.canonical);
        return next === expectedSeq
          ? broken(expectedSeq, 'out-of-order', `第 ${expectedSeq} 号与第 ${seq} 号登记的位置被调换。`)
          : broken(expectedSeq, 'missing', `${range(expectedSeq, seq - 1)}登记缺失（删除），其后的下一条是第 ${seq} 号。`);
      }
      if (sha256HexOfBytes(entry.canonical) !== entry.hash) {
        if (entry.hash === previousHash) {
          return broken(seq, 'inserted', `第 ${seq} 号登记是插入的：它是第 ${seq - 1} 号登记的复制。`);
        }
        const originalSeq = originalSeqOf(entry, seq);
        if (originalSeq === seq - 1) return broken(originalSeq, 'inserted', `第 ${originalSeq} 号登记是插入的：原第 ${originalSeq} 号登记被挪到了第 ${seq} 号。`);
        if (originalSeq !== null) return broken(seq, 'out-of-order', `第 ${seq} 号位置上的是原第 ${originalSeq} 号登记，登记的顺序被调换。`);
        const next = upcoming.done ? null : upcoming.value;
        if (next && seqIn(next.canonical) === seq + 1 && sha256HexOfBytes(withSeq(next.canonical, seq)) === next.hash) {
          return broken(seq, 'inserted', `第 ${seq} 号登记是插入的：原第 ${seq} 号登记被挪到了第 ${seq + 1} 号。`);
        }
        return broken(seq, 'changed', `第 ${seq} 号登记的内容与其哈希值不符，记录已被改动。`);
      }
      if (hexIn(entry.canonical, PREV_HASH_KEY) !== previousHash) {
        return broken(seq, 'broken-link', `第 ${seq} 号登记记载的上一条哈希与第 ${seq - 1} 号不符，链条断开（记录被删除、插入或调换）。`);
      }
      if (seq >= anchors.signedFrom && !(entry.signature && anchors.entrySignatureValid(entry.hash, entry.signature))) {
        const signedLast = Math.max(anchors.signedTip?.seq ?? 0, anchors.witness?.seq ?? 0);
        if (signedLast > 0 && seq > signedLast) return broken(seq, 'inserted', `第 ${seq} 号登记不是本工作站写入的（工作站签名的最后一条是第 ${signedLast} 号），是被插入的。`);
        return signedLast > 0 && anchors.storedLastSeq > signedLast
          ? broken(seq, 'inserted', `第 ${seq} 号登记没有本工作站的有效签名，是被插入的（登记簿现有 ${anchors.storedLastSeq} 条，工作站只写了 ${signedLast} 条）。`)
          : broken(seq, 'changed', `第 ${seq} 号登记没有本工作站的有效签名：它在签章窗口之外被改写，哈希是事后重新计算的。`);
      }
      if (hexIn(entry.canonical, DIGEST_KEY) !== attachmentsDigestOf(entry.records)) {
        return broken(seq, 'ledger', `第 ${seq} 号登记与其台账记录不符（证书、库存或申请记录）：台账中属于这条登记的 ${entry.records.length} 条记录被改动、增加或删除。`);
      }
      const batchEnd = anchors.batchEnds.get(seq);
      if (batchEnd && batchEnd.hash !== entry.hash) {
        return broken(batchEnd.firstSeq, 'changed', `${range(batchEnd.firstSeq, seq)}登记与已签名的第 ${batchEnd.batchNo} 批不符：其中的登记被改动后重新计算了哈希。`);
      }
      if (anchors.signedTip && seq > anchors.signedTip.seq) {
        return seq < anchors.signedFrom
          ? broken(seq, 'inserted', `第 ${seq} 号登记不是本工作站写入的（工作站签名的最后一条是第 ${anchors.signedTip.seq} 号），是被插入的。`)
          : broken(seq, 'unsigned', `登记簿末条的工作站签名停在第 ${anchors.signedTip.seq} 号，其后的登记有本工作站的签名：末条签名记录被换成了旧的。`);
      }
      if (anchors.signedTip?.seq === seq && anchors.signedTip.hash !== entry.hash) {
        return broken(seq, 'changed', `第 ${seq} 号登记与工作站签名的最后一条不符，记录已被改动。`);
      }
      if (anchors.witness?.seq === seq && anchors.witness.hash !== entry.hash) {
        return broken(seq, 'changed', `第 ${seq} 号登记与工作站在数据文件之外记下的不符，记录已被改动。`);
      }
      previousHash = entry.hash;
      previousSeq = seq;
      expectedSeq++;
    }
    const last = expectedSeq - 1;
    const remembered = Math.max(anchors.signedTip?.seq ?? 0, anchors.witness?.seq ?? 0);
    if (last < remembered) {
      const removed = remembered - last;
      const source = (anchors.signedTip?.seq ?? 0) >= remembered ? '工作站签名记载' : '工作站在数据文件之外记着';
      return broken(last + 1, 'missing', `${range(last + 1, remembered)}登记缺失：登记簿最后的 ${removed} 条被删除（${source}共 ${remembered} 条，现存 ${last} 条）。`);
    }
    return { intact: true, count };
  }
}
