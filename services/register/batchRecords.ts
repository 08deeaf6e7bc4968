import type { BatchView } from '../../core/contract';
import type { BatchColumns, SignedBatch } from '../../core/register/batch';
import type { Db } from '../../db/database';

/** The signed batches as the workstation keeps them, and whether the hub has acknowledged each. */
export interface BatchRecord extends BatchColumns {
  acknowledged_at: string | null;
}

export function toBatch(r: BatchRecord): SignedBatch {
  return {
    workstationId: r.workstation_id, batchNo: r.batch_no, firstSeq: r.first_seq, lastSeq: r.last_seq, entryCount: r.entry_count,
    prevHash: r.prev_hash, lastHash: r.last_hash, recordsHash: r.records_hash, createdAt: r.created_at, signature: r.signature,
  };
}

function toView(r: BatchRecord): BatchView {
  return {
    batchNo: r.batch_no, workstationId: r.workstation_id, firstSeq: r.first_seq, lastSeq: r.last_seq, entryCount: r.entry_count,
    lastHash: r.last_hash, createdAt: r.created_at, acknowledgedAt: r.acknowledged_at,
  };
}

export const SELECT_BATCHES = 'SELECT b.*, d.acknowledged_at FROM batches b LEFT JOIN batch_deliveries d USING (batch_no)';

/** Every batch, oldest first. */
export function batchList(db: Db): SignedBatch[] {
  return (db.prepare(`${SELECT_BATCHES} ORDER BY batch_no`).all() as BatchRecord[]).map(toBatch);
}

export function batchViews(db: Db): BatchView[] {
  return (db.prepare(`${SELECT_BATCHES} ORDER BY batch_no DESC`).all() as BatchRecord[]).map(toView);
}

export function batchView(db: Db, batchNo: number): BatchView | null {
  const record = db.prepare(`${SELECT_BATCHES} WHERE batch_no = ?`).get(batchNo) as BatchRecord | undefined;
  return record ? toView(record) : null;
}
