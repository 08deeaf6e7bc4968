import { canonicalJson, type JsonValue } from './canonicalJson';
import { registerEntryHash, sha256Hex, type HashedRegisterEntry } from './entries';
import { attachmentsDigestOf, type AttachedRecord } from './records';
import { signEd25519, verifyEd25519 } from './signing';

/**
 * A day's register entries sealed under the workstation's key (DOMAIN.md §8). The header is what
 * is signed; the entries and their ledger records travel beside it and are bound to it by
 * `lastHash` (through the entries' own chain, each entry carrying its records' digest) and
 * `recordsHash`.
 */
export interface BatchHeader {
  workstationId: string;
  /** 1, 2, 3 … per workstation. */
  batchNo: number;
  firstSeq: number;
  lastSeq: number;
  entryCount: number;
  /** The hash of entry firstSeq − 1 (the previous batch's lastHash), or GENESIS_HASH for the first batch. */
  prevHash: string;
  lastHash: string;
  /** SHA-256 of the canonical JSON array of the batch's ledger records (entrySeq and canonical text). */
  recordsHash: string;
  createdAt: string;
}

export interface SignedBatch extends BatchHeader {
  /** Ed25519 over batchCanonical(header), base64. */
  signature: string;
}

/** A signed batch's header as a table row, the same in the workstation's SQLite and the hub's PostgreSQL. */
export interface BatchColumns {
  workstation_id: string;
  batch_no: number;
  first_seq: number;
  last_seq: number;
  entry_count: number;
  prev_hash: string;
  last_hash: string;
  records_hash: string;
  created_at: string;
  signature: string;
}

/** What a workstation pushes and the hub stores. */
export interface BatchPayload {
  batch: SignedBatch;
  entries: HashedRegisterEntry[];
  records: AttachedRecord[];
}

export function batchHeaderOf(batch: BatchHeader): BatchHeader {
  const { workstationId, batchNo, firstSeq, lastSeq, entryCount, prevHash, lastHash, recordsHash, createdAt } = batch;
  return { workstationId, batchNo, firstSeq, lastSeq, entryCount, prevHash, lastHash, recordsHash, createdAt };
}

export function batchCanonical(batch: BatchHeader): string {
  return canonicalJson(batchHeaderOf(batch) as unknown as JsonValue);
}

/** Identifies a batch by content: the same batch delivered twice has the same id. */
export function batchId(batch: SignedBatch): string {
  return sha256Hex(`${batchCanonical(batch)}.${batch.signature}`);
}

export function recordsHash(records: readonly AttachedRecord[]): string {
  return sha256Hex(canonicalJson(records as unknown as JsonValue));
}

/** Signs with a raw private key, or with a signer that keeps its key to itself (the workstation's). */
export function signBatch(header: BatchHeader, key: Uint8Array | { sign(message: Uint8Array): Uint8Array }): SignedBatch {
  const message = Buffer.from(batchCanonical(header), 'utf8');
  const signature = key instanceof Uint8Array ? signEd25519(key, message) : key.sign(message);
  return { ...batchHeaderOf(header), signature: Buffer.from(signature).toString('base64') };
}

export function batchSignatureValid(batch: SignedBatch, publicKey: Uint8Array): boolean {
  return verifyEd25519(publicKey, Buffer.from(batchCanonical(batch), 'utf8'), Buffer.from(batch.signature, 'base64'));
}

/** The workstation id is derived from its public key, so an id cannot be claimed with another key. */
export function workstationIdOf(publicKey: Uint8Array): string {
  return `WS-${sha256Hex(Buffer.from(publicKey).toString('hex')).slice(0, 12).toUpperCase()}`;
}

/**
 * Checks that the entries and records are exactly what the header describes: contiguous
 * sequence numbers, every hash recomputed, every link from `prevHash` to `lastHash`, every entry's
 * records matching its digest, and the records' hash. Returns the first problem in Chinese, or
 * null. The signature is checked separately (the caller knows which public key to use).
 */
export function batchContentProblem(payload: BatchPayload): string | null {
  const { batch, entries, records } = payload;
  const recordsBySeq = new Map<number, string[]>();
  for (const record of records) recordsBySeq.set(record.entrySeq, [...(recordsBySeq.get(record.entrySeq) ?? []), record.canonical]);
  if (batch.lastSeq - batch.firstSeq + 1 !== batch.entryCount || entries.length !== batch.entryCount) {
    return `第 ${batch.batchNo} 批应有 ${batch.entryCount} 条登记（第 ${batch.firstSeq}–${batch.lastSeq} 号），实际收到 ${entries.length} 条。`;
  }
  let previousHash = batch.prevHash;
  for (const [index, entry] of entries.entries()) {
    const seq = batch.firstSeq + index;
    if (entry.seq !== seq) return `第 ${batch.batchNo} 批的第 ${index + 1} 条应为第 ${seq} 号登记，实际为第 ${entry.seq} 号。`;
    if (registerEntryHash(entry) !== entry.hash) return `第 ${seq} 号登记的内容与其哈希值不符。`;
    if (entry.prevHash !== previousHash) return `第 ${seq} 号登记与上一条登记的哈希链接不符。`;
    if (attachmentsDigestOf(recordsBySeq.get(seq) ?? []) !== entry.attachmentsDigest) return `第 ${seq} 号登记与随批次送来的证书台账记录不符。`;
    previousHash = entry.hash;
  }
  if (previousHash !== batch.lastHash) return `第 ${batch.batchNo} 批的末条哈希与批次记载不符。`;
  if (recordsHash(records) !== batch.recordsHash) return `第 ${batch.batchNo} 批的证书台账与批次记载的哈希不符。`;
  const stray = records.find((r) => r.entrySeq < batch.firstSeq || r.entrySeq > batch.lastSeq);
  if (stray) return `一条证书台账记录所属的第 ${stray.entrySeq} 号登记不在第 ${batch.batchNo} 批内。`;
  return null;
}

/** Whether `next` continues `previous` (or starts the chain, when there is no previous batch). */
export function batchLinkProblem(previous: BatchHeader | null, next: BatchHeader, genesisHash: string): string | null {
  const expectedNo = previous ? previous.batchNo + 1 : 1;
  const expectedFirst = previous ? previous.lastSeq + 1 : 1;
  const expectedPrevHash = previous ? previous.lastHash : genesisHash;
  if (next.batchNo !== expectedNo) return `应为第 ${expectedNo} 批，收到的是第 ${next.batchNo} 批。`;
  if (next.firstSeq !== expectedFirst) return `第 ${next.batchNo} 批应从第 ${expectedFirst} 号登记开始，实际从第 ${next.firstSeq} 号开始。`;
  if (next.prevHash !== expectedPrevHash) return `第 ${next.batchNo} 批记载的上一条哈希与第 ${expectedNo - 1} 批的末条哈希不符。`;
  return null;
}
