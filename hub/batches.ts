import { batchContentProblem, batchId, batchLinkProblem, batchSignatureValid, type BatchHeader, type BatchPayload } from '../core/register/batch';
import { GENESIS_HASH } from '../core/register/entries';
import { certificatesIn } from '../core/register/records';
import { detectConflicts } from './conflicts';
import { BatchPayloadSchema, type BatchAnswer, type StateAnswer } from '../core/hub/protocol';
import type { Hub } from './store';
import type { EnrolledWorkstation } from './workstations';

/**
 * Receiving a workstation's batch (DOMAIN.md §9). Everything about one batch — the checks against
 * what is held, the batch row, its entries, its certificates and the conflicts they reveal — is
 * one SQLite transaction, so a hub killed half way holds the whole batch or nothing, and a
 * resend after that is simply accepted (or acknowledged as a duplicate).
 */
export interface BatchOutcome {
  httpStatus: number;
  answer: BatchAnswer;
  /** For the refusal log: set when the batch was refused as forged, malformed or equivocal. */
  refusal?: { reason: string; message: string };
}

interface BatchRow {
  workstation_id: string;
  batch_no: number;
  batch_id: string;
  first_seq: number;
  last_seq: number;
  entry_count: number;
  prev_hash: string;
  last_hash: string;
  records_hash: string;
  created_at: string;
}

const headerOf = (row: BatchRow): BatchHeader => ({
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

function lastBatch(hub: Hub, workstationId: string): BatchRow | undefined {
  return hub.db.prepare('SELECT * FROM batches WHERE workstation_id = ? ORDER BY batch_no DESC LIMIT 1').get(workstationId) as BatchRow | undefined;
}

export function hubState(hub: Hub, workstationId: string): StateAnswer {
  const last = lastBatch(hub, workstationId);
  return { workstationId, lastBatchNo: last?.batch_no ?? 0, lastSeq: last?.last_seq ?? 0, lastHash: last?.last_hash ?? GENESIS_HASH };
}

function rejected(reason: Extract<BatchAnswer, { status: 'rejected' }>['reason'], message: string): BatchOutcome {
  return { httpStatus: 400, answer: { status: 'rejected', reason, message }, refusal: { reason, message } };
}

/** Parses and checks a pushed body; `sender` is the workstation whose request signature verified. */
export function receiveBatch(hub: Hub, sender: EnrolledWorkstation, body: Buffer, remoteAddress: string): BatchOutcome {
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

  const id = batchId(batch);
  return hub.db.transaction((): BatchOutcome => {
    const held = hub.db.prepare('SELECT batch_id FROM batches WHERE workstation_id = ? AND batch_no = ?').pluck().get(sender.id, batch.batchNo) as string | undefined;
    const last = lastBatch(hub, sender.id);
    const next = { nextBatchNo: (last?.batch_no ?? 0) + 1, nextSeq: (last?.last_seq ?? 0) + 1 };
    if (held === id) return { httpStatus: 200, answer: { status: 'duplicate', batchNo: batch.batchNo, ...next } };
    if (held !== undefined) {
      hub.db.prepare('INSERT INTO equivocations (received_at, workstation_id, batch_no, held_batch_id, received_batch_id, remote_address, payload_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(hub.timestamp(), sender.id, batch.batchNo, held, id, remoteAddress, body.toString('utf8'));
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

    storeBatch(hub, id, payload);
    return { httpStatus: 200, answer: { status: 'accepted', batchNo: batch.batchNo, nextBatchNo: batch.batchNo + 1, nextSeq: batch.lastSeq + 1 } };
  }).immediate();
}

function storeBatch(hub: Hub, id: string, payload: BatchPayload): void {
  const { batch, entries, records } = payload;
  hub.db.prepare(`INSERT INTO batches (workstation_id, batch_no, batch_id, first_seq, last_seq, entry_count, prev_hash, last_hash, records_hash, created_at, signature, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(batch.workstationId, batch.batchNo, id, batch.firstSeq, batch.lastSeq, batch.entryCount, batch.prevHash, batch.lastHash, batch.recordsHash, batch.createdAt, batch.signature, hub.timestamp());
  const insertEntry = hub.db.prepare('INSERT INTO entries (workstation_id, seq, batch_no, hash, entry_json) VALUES (?, ?, ?, ?, ?)');
  for (const entry of entries) insertEntry.run(batch.workstationId, entry.seq, batch.batchNo, entry.hash, JSON.stringify(entry));
  const insertRecord = hub.db.prepare('INSERT INTO records (workstation_id, batch_no, entry_seq, position, record) VALUES (?, ?, ?, ?, ?)');
  records.forEach((r, position) => insertRecord.run(batch.workstationId, batch.batchNo, r.entrySeq, position, r.canonical));
  const certificates = certificatesIn(records);
  const insertCertificate = hub.db.prepare(`INSERT INTO certificates (workstation_id, batch_no, entry_seq, cert_no, id_number, name, qualification, approval_doc, unit, sealed_at, reissue, replaces_cert_no)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const c of certificates) {
    insertCertificate.run(batch.workstationId, batch.batchNo, c.entrySeq, c.certNo, c.idNumber, c.name, c.qualification, c.approvalDoc, c.unit, c.sealedAt, c.reissue ? 1 : 0, c.replacesCertNo);
  }
  detectConflicts(hub, certificates);
}
