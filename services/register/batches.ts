import { batchContentProblem, batchLinkProblem, batchSignatureValid, recordsHash, signBatch, type BatchPayload, type SignedBatch } from '../../core/register/batch';
import type { Response } from '../../core/contract';
import { GENESIS_HASH } from '../../core/register/entries';
import type { Db } from '../../db/database';
import { type ServiceContext } from '../context';
import { batchList, batchView, SELECT_BATCHES, toBatch, type BatchRecord } from './batchRecords';
import { recordsBetween, registerEntriesBetween, signRegisterTip } from './entries';
import { writeToRegister } from './integrity';

/**
 * Day close (DOMAIN.md §8): the entries since the last batch become one signed batch. With
 * nothing new since the last batch it creates nothing, so closing twice is harmless.
 */
export function closeDay(ctx: ServiceContext): Response<'batches.closeDay'> {
  return writeToRegister(ctx, '日结', () => {
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
      recordsHash: recordsHash(recordsBetween(ctx.db, firstSeq, lastSeq)),
      createdAt: ctx.clock.timestamp(),
    }, { sign: ctx.workstation.sign });
    ctx.db.prepare(
      `INSERT INTO batches (batch_no, workstation_id, first_seq, last_seq, entry_count, prev_hash, last_hash, records_hash, created_at, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(batch.batchNo, batch.workstationId, batch.firstSeq, batch.lastSeq, batch.entryCount, batch.prevHash, batch.lastHash, batch.recordsHash, batch.createdAt, batch.signature);
    // The tip names the last batch: a batch deleted (or one added) behind the app no longer matches it.
    signRegisterTip(ctx);
    const created = batchView(ctx.db, batch.batchNo);
    return { created, latest: created };
  });
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
  return { batch, entries: registerEntriesBetween(db, batch.firstSeq, batch.lastSeq), records: recordsBetween(db, batch.firstSeq, batch.lastSeq) };
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
