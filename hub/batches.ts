import { batchContentProblem, batchId, batchLinkProblem, batchSignatureValid, type BatchColumns, type BatchHeader, type BatchPayload } from '../core/register/batch';
import { certificatesIn } from '../core/register/records';
import { GENESIS_HASH } from '../core/register/entries';
import { checkConflicts } from './conflicts';
import { BatchPayloadSchema, type BatchAnswer, type StateAnswer } from '../core/hub/protocol';
import type { Queryable } from './db';
import type { Hub } from './store';
import type { EnrolledWorkstation } from './workstations';

/**
 * Receiving a workstation's batch (DOMAIN.md §9). Everything about one batch — the checks against
 * what is held, the batch row, its entries and its certificates — is one PostgreSQL transaction,
 * so a hub killed half way holds the whole batch or nothing, and a resend after that is simply
 * accepted (or acknowledged as a duplicate). The conflicts the certificates reveal are looked
 * for right after, in a transaction of their own (hub/conflicts.ts).
 */
export interface BatchOutcome {
  httpStatus: number;
  answer: BatchAnswer;
  /** For the refusal log: set when the batch was refused as forged, malformed or equivocal. */
  refusal?: { reason: string; message: string };
}

export interface BatchRow extends BatchColumns {
  batch_id: string;
}

export const headerOf = (row: BatchRow): BatchHeader => ({
  workstationId: row.workstation_id,
  batchNo: row.batch_no,
  firstSeq: row.first_seq,
  lastSeq: row.last_seq,
  entryCount: row.entry_count,
  prevHash: row.prev_hash,
  lastHash: row.last_hash,
  recordsHash: row.records_hash,
  createdAt: row.created_at,
});

async function lastBatch(db: Queryable, workstationId: string): Promise<BatchRow | undefined> {
  return db.one<BatchRow>('SELECT * FROM batches WHERE workstation_id = $1 ORDER BY batch_no DESC LIMIT 1', [workstationId]);
}

export async function hubState(db: Queryable, workstationId: string): Promise<StateAnswer> {
  const last = await lastBatch(db, workstationId);
  return { workstationId, lastBatchNo: last?.batch_no ?? 0, lastSeq: last?.last_seq ?? 0, lastHash: last?.last_hash ?? GENESIS_HASH };
}

function rejected(reason: Extract<BatchAnswer, { status: 'rejected' }>['reason'], message: string): BatchOutcome {
  return { httpStatus: 400, answer: { status: 'rejected', reason, message }, refusal: { reason, message } };
}

/** The request's nonce, spent in the same transaction that stores the batch (see receiveBatch). */
export interface SpentNonce {
  nonce: string;
  timestampMs: number;
}

/** Records a nonce; false when some node had recorded it already (a replay). */
export async function spendNonce(db: Queryable, workstationId: string, nonce: SpentNonce): Promise<boolean> {
  const rows = await db.query('INSERT INTO nonces (workstation_id, nonce, timestamp_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1', [workstationId, nonce.nonce, nonce.timestampMs]);
  return rows.length === 1;
}

/** Checks that need nothing the hub holds; null when the batch may go on to the transaction. */
function payloadProblem(sender: EnrolledWorkstation, body: Buffer): BatchOutcome | BatchPayload {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return rejected('malformed', '批次内容不是有效的 JSON。');
  }
  const parsed = BatchPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '（整体）';
    return rejected('malformed', `批次格式不符：${where}：${issue?.message ?? '格式错误'}。`);
  }
  const payload: BatchPayload = parsed.data;
  const { batch } = payload;
  if (batch.workstationId !== sender.id) {
    return rejected('wrong-workstation', `批次属于工作站 ${batch.workstationId}，但请求由工作站 ${sender.id} 签署。工作站只能上传本机的批次。`);
  }
  if (!batchSignatureValid(batch, sender.publicKey)) {
    return rejected('bad-batch-signature', `第 ${batch.batchNo} 批的签名与工作站 ${sender.id} 登记的公钥不符，批次可能被伪造或改动。`);
  }
  const contentProblem = batchContentProblem(payload);
  if (contentProblem) return rejected('content', `${contentProblem}批次内容与其签名不符，已拒收。`);
  return payload;
}

/**
 * Parses and checks a pushed body; `sender` is the workstation whose request signature verified.
 * 'replay' when the request's nonce was already spent, 'unenrolled' when it was revoked meanwhile.
 *
 * Everything that depends on what is held runs in one transaction that first locks the
 * workstation's row: two nodes receiving the same or consecutive batches of one workstation at
 * the same moment take turns, so a batch is accepted once, in order, never doubled. The nonce is
 * spent in that same transaction, so a node killed half way has spent nothing either and the
 * workstation's (or the proxy's) resend goes through.
 */
export async function receiveBatch(hub: Hub, sender: EnrolledWorkstation, body: Buffer, remoteAddress: string, nonce: SpentNonce): Promise<BatchOutcome | 'replay' | 'unenrolled'> {
  const checked = payloadProblem(sender, body);
  if (!('batch' in checked)) return (await spendNonce(hub.db, sender.id, nonce)) ? checked : 'replay';
  const payload = checked;
  const { batch } = payload;
  const id = batchId(batch);
  const outcome = await hub.db.transaction(async (tx): Promise<BatchOutcome | 'replay' | 'unenrolled'> => {
    const locked = await tx.one<{ revoked_at: string | null }>('SELECT revoked_at FROM workstations WHERE id = $1 FOR NO KEY UPDATE', [sender.id]);
    // Revoked while the body was on its way.
    if (!locked || locked.revoked_at !== null) return 'unenrolled';
    if (!(await spendNonce(tx, sender.id, nonce))) return 'replay';
    const held = (await tx.one<{ batch_id: string }>('SELECT batch_id FROM batches WHERE workstation_id = $1 AND batch_no = $2', [sender.id, batch.batchNo]))?.batch_id;
    const last = await lastBatch(tx, sender.id);
    const next = { nextBatchNo: (last?.batch_no ?? 0) + 1, nextSeq: (last?.last_seq ?? 0) + 1 };
    if (held === id) return { httpStatus: 200, answer: { status: 'duplicate', batchNo: batch.batchNo, ...next } };
    if (held !== undefined) {
      await tx.query('INSERT INTO equivocations (received_at, workstation_id, batch_no, held_batch_id, received_batch_id, remote_address, payload_json) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [hub.timestamp(), sender.id, batch.batchNo, held, id, remoteAddress, body.toString('utf8')]);
      const message = `集中服务器已持有本工作站另一份第 ${batch.batchNo} 批（内容不同，但同样由本工作站签名）。同一批号出现两份不同的记录，说明登记簿曾被回退或复制，已记录备查。请联系省厅管理员核查。`;
      return { httpStatus: 409, answer: { status: 'equivocation', batchNo: batch.batchNo, message }, refusal: { reason: 'equivocation', message } };
    }
    if (batch.batchNo > next.nextBatchNo) {
      return {
        httpStatus: 409,
        answer: {
          status: 'gap',
          expectedBatchNo: next.nextBatchNo,
          expectedFirstSeq: next.nextSeq,
          message: `集中服务器尚未收到第 ${next.nextBatchNo} 批（应从第 ${next.nextSeq} 号登记开始），请先上传该批。`,
        },
      };
    }
    const linkProblem = batchLinkProblem(last ? headerOf(last) : null, batch, GENESIS_HASH);
    if (linkProblem) return rejected('broken-link', `${linkProblem}批次未接续集中服务器已收到的登记，已拒收。`);

    await storeBatch(tx, hub.timestamp(), id, payload);
    return { httpStatus: 200, answer: { status: 'accepted', batchNo: batch.batchNo, nextBatchNo: batch.batchNo + 1, nextSeq: batch.lastSeq + 1 } };
  });
  // Stored: now compared with the other offices' certificates, before the workstation is answered.
  if (typeof outcome !== 'string' && outcome.answer.status === 'accepted' && payload.records.length > 0) await checkConflicts(hub.db, hub.timestamp(), sender.id, batch.batchNo);
  return outcome;
}

async function storeBatch(tx: Queryable, at: string, id: string, payload: BatchPayload): Promise<void> {
  const { batch, entries, records } = payload;
  await tx.query(`INSERT INTO batches (workstation_id, batch_no, batch_id, first_seq, last_seq, entry_count, prev_hash, last_hash, records_hash, created_at, signature, received_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
  [batch.workstationId, batch.batchNo, id, batch.firstSeq, batch.lastSeq, batch.entryCount, batch.prevHash, batch.lastHash, batch.recordsHash, batch.createdAt, batch.signature, at]);
  // One statement per table, whatever the batch size: arrays in, rows out.
  await tx.query(`INSERT INTO entries (workstation_id, seq, batch_no, hash, entry_json)
    SELECT $1, seq, $2, hash, entry_json FROM unnest($3::integer[], $4::text[], $5::text[]) AS e(seq, hash, entry_json)`,
  [batch.workstationId, batch.batchNo, entries.map((e) => e.seq), entries.map((e) => e.hash), entries.map((e) => JSON.stringify(e))]);
  if (records.length === 0) return;
  await tx.query(`INSERT INTO records (workstation_id, batch_no, entry_seq, position, record)
    SELECT $1, $2, entry_seq, position - 1, record FROM unnest($3::integer[], $4::text[]) WITH ORDINALITY AS r(entry_seq, record, position)`,
  [batch.workstationId, batch.batchNo, records.map((r) => r.entrySeq), records.map((r) => r.canonical)]);
  const certificates = certificatesIn(records);
  if (certificates.length === 0) return;
  const column = <K extends keyof (typeof certificates)[number]>(key: K) => certificates.map((c) => c[key]);
  await tx.query(`INSERT INTO certificates (workstation_id, batch_no, entry_seq, cert_no, id_number, name, qualification, approval_doc, unit, sealed_at, reissue, replaces_cert_no)
    SELECT $1, $2, * FROM unnest($3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[])`,
  [batch.workstationId, batch.batchNo, column('entrySeq'), column('certNo'), column('idNumber'), column('name'), column('qualification'), column('approvalDoc'), column('unit'), column('sealedAt'), column('reissue'), column('replacesCertNo')]);
  await tx.query('INSERT INTO conflict_checks (workstation_id, batch_no) VALUES ($1, $2)', [batch.workstationId, batch.batchNo]);
}
