import { batchContentProblem, batchLinkProblem, batchSignatureValid, certificatesHash, signBatch, type BatchCertificate, type BatchPayload, type SignedBatch } from '../../core/register/batch';
import type { BatchView, Response } from '../../core/contract';
import { GENESIS_HASH } from '../../core/register/entries';
import type { Db } from '../../db/database';
import { type ServiceContext } from '../context';
import { registerEntriesBetween } from './entries';

interface BatchRecord {
  batch_no: number;
  workstation_id: string;
  first_seq: number;
  last_seq: number;
  entry_count: number;
  prev_hash: string;
  last_hash: string;
  certificates_hash: string;
  created_at: string;
  signature: string;
  acknowledged_at: string | null;
}

function toBatch(r: BatchRecord): SignedBatch {
  return {
    workstationId: r.workstation_id, batchNo: r.batch_no, firstSeq: r.first_seq, lastSeq: r.last_seq, entryCount: r.entry_count,
    prevHash: r.prev_hash, lastHash: r.last_hash, certificatesHash: r.certificates_hash, createdAt: r.created_at, signature: r.signature,
  };
}

function toView(r: BatchRecord): BatchView {
  return {
    batchNo: r.batch_no, workstationId: r.workstation_id, firstSeq: r.first_seq, lastSeq: r.last_seq, entryCount: r.entry_count,
    lastHash: r.last_hash, createdAt: r.created_at, acknowledgedAt: r.acknowledged_at,
  };
}

const SELECT_BATCHES = 'SELECT b.*, d.acknowledged_at FROM batches b LEFT JOIN batch_deliveries d USING (batch_no)';

/** Every batch, oldest first. */
export function batchList(db: Db): SignedBatch[] {
  return (db.prepare(`${SELECT_BATCHES} ORDER BY batch_no`).all() as BatchRecord[]).map(toBatch);
}

export function batchViews(db: Db): BatchView[] {
  return (db.prepare(`${SELECT_BATCHES} ORDER BY batch_no DESC`).all() as BatchRecord[]).map(toView);
}

function batchView(db: Db, batchNo: number): BatchView | null {
  const record = db.prepare(`${SELECT_BATCHES} WHERE batch_no = ?`).get(batchNo) as BatchRecord | undefined;
  return record ? toView(record) : null;
}

function certificatesBetween(db: Db, firstSeq: number, lastSeq: number): BatchCertificate[] {
  const rows = db.prepare(
    `SELECT cert_no, id_number, name, qualification, approval_doc, unit, entry_seq, sealed_at, reissue, replaces_cert_no
     FROM certificates WHERE entry_seq BETWEEN ? AND ? ORDER BY id`,
  ).all(firstSeq, lastSeq) as { cert_no: string; id_number: string; name: string; qualification: string; approval_doc: string; unit: string; entry_seq: number; sealed_at: string; reissue: number; replaces_cert_no: string | null }[];
  return rows.map((r) => ({
    certNo: r.cert_no, idNumber: r.id_number, name: r.name, qualification: r.qualification, approvalDoc: r.approval_doc, unit: r.unit,
    entrySeq: r.entry_seq, sealedAt: r.sealed_at, reissue: r.reissue === 1, replacesCertNo: r.replaces_cert_no,
  }));
}

/**
 * Day close (DOMAIN.md §8): the entries since the last batch become one signed batch. With
 * nothing new since the last batch it creates nothing, so closing twice is harmless.
 */
export function closeDay(ctx: ServiceContext): Response<'batches.closeDay'> {
  return ctx.db.transaction(() => {
    const last = ctx.db.prepare('SELECT * FROM batches ORDER BY batch_no DESC LIMIT 1').get() as BatchRecord | undefined;
    const previous = last ? toBatch(last) : null;
    const lastSeq = (ctx.db.prepare('SELECT max(seq) FROM register_entries').pluck().get() as number | null) ?? 0;
    const firstSeq = (previous?.lastSeq ?? 0) + 1;
    if (lastSeq < firstSeq) return { created: null, latest: previous && batchView(ctx.db, previous.batchNo) };
    const entries = registerEntriesBetween(ctx.db, firstSeq, lastSeq);
    const batch = signBatch({
      workstationId: ctx.workstation.id,
      batchNo: (previous?.batchNo ?? 0) + 1,
      firstSeq,
      lastSeq,
      entryCount: entries.length,
      prevHash: previous?.lastHash ?? GENESIS_HASH,
      lastHash: entries[entries.length - 1]!.hash,
      certificatesHash: certificatesHash(certificatesBetween(ctx.db, firstSeq, lastSeq)),
      createdAt: ctx.clock.timestamp(),
    }, { sign: ctx.workstation.sign });
    ctx.db.prepare(
      `INSERT INTO batches (batch_no, workstation_id, first_seq, last_seq, entry_count, prev_hash, last_hash, certificates_hash, created_at, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(batch.batchNo, batch.workstationId, batch.firstSeq, batch.lastSeq, batch.entryCount, batch.prevHash, batch.lastHash, batch.certificatesHash, batch.createdAt, batch.signature);
    const created = batchView(ctx.db, batch.batchNo);
    return { created, latest: created };
  }).immediate();
}

/**
 * At start-up: a day left open (the counter closed without 日结) is closed now, so an office that
 * forgets still has its days signed and in the outbox.
 */
export function closeEarlierDays(ctx: ServiceContext): Response<'batches.closeDay'> | null {
  const lastBatched = (ctx.db.prepare('SELECT max(last_seq) FROM batches').pluck().get() as number | null) ?? 0;
  const firstOpenAt = ctx.db.prepare('SELECT at FROM register_entries WHERE seq > ? ORDER BY seq LIMIT 1').pluck().get(lastBatched) as string | undefined;
  return firstOpenAt !== undefined && firstOpenAt.slice(0, 10) < ctx.clock.date() ? closeDay(ctx) : null;
}

/** A batch with its entries and certificates, as the hub receives it. */
export function batchPayload(db: Db, batchNo: number): BatchPayload | null {
  const record = db.prepare(`${SELECT_BATCHES} WHERE batch_no = ?`).get(batchNo) as BatchRecord | undefined;
  if (!record) return null;
  const batch = toBatch(record);
  return { batch, entries: registerEntriesBetween(db, batch.firstSeq, batch.lastSeq), certificates: certificatesBetween(db, batch.firstSeq, batch.lastSeq) };
}

/** Each batch's signature, its entries and certificates, and its link to the batch before it. */
export function verifyBatches(ctx: ServiceContext): Response<'batches.verify'> {
  let previous: SignedBatch | null = null;
  const batches = batchList(ctx.db).map((batch) => {
    const payload = batchPayload(ctx.db, batch.batchNo)!;
    const problem = !batchSignatureValid(batch, ctx.workstation.publicKey)
      ? '签名无效：批次记录被改动，或不是本工作站签发的。'
      : batchLinkProblem(previous, batch, GENESIS_HASH) ?? batchContentProblem(payload);
    previous = batch;
    return { batchNo: batch.batchNo, firstSeq: batch.firstSeq, lastSeq: batch.lastSeq, ok: problem === null, message: problem ?? '签名有效，登记与证书台账完整，与上一批相接。' };
  });
  return { batches };
}
