import { canonicalJson } from './canonicalJson';

/**
 * What the workstation signs about its register as a whole, with every entry it writes and every
 * batch it closes: the last entry, the last batch and the size of the ledger. Sealing and day close
 * first check the register against it, so nothing changed behind the app can be carried forward
 * by the next honest sealing.
 */
export interface RegisterTip {
  workstationId: string;
  seq: number;
  hash: string;
  lastBatchNo: number;
  /** How many ledger records there are, and the id of the last: a row added or removed changes them. */
  recordCount: number;
  lastRecordId: number;
}

export function tipCanonical(tip: RegisterTip): Buffer {
  const { workstationId, seq, hash, lastBatchNo, recordCount, lastRecordId } = tip;
  return Buffer.from(canonicalJson({ purpose: 'seal-counter-register-tip/2', workstationId, seq, hash, lastBatchNo, recordCount, lastRecordId }), 'utf8');
}

/**
 * The same facts, kept in a small signed file beside the workstation's key, outside the database:
 * someone who empties the register, or cuts it short together with its signed tip, cannot make
 * the file forget how far the register went. `hubBatchNo` is the last batch the hub acknowledged.
 */
export interface RegisterWitness {
  workstationId: string;
  seq: number;
  hash: string;
  lastBatchNo: number;
  hubBatchNo: number;
  writtenAt: string;
}

export const WITNESS_FORMAT = 'seal-counter-register-witness/1';

export function witnessCanonical(witness: RegisterWitness): Buffer {
  const { workstationId, seq, hash, lastBatchNo, hubBatchNo, writtenAt } = witness;
  return Buffer.from(canonicalJson({ format: WITNESS_FORMAT, workstationId, seq, hash, lastBatchNo, hubBatchNo, writtenAt }), 'utf8');
}

/** What an entry's own signature covers: its hash, under a purpose of its own. */
export function entrySignatureMessage(workstationId: string, hash: string): Buffer {
  return Buffer.from(`seal-counter-entry/1\n${workstationId}\n${hash}`, 'utf8');
}
