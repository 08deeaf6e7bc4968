import { batchLinkProblem, batchSignatureValid } from '../../core/register/batch';
import { verifyChain, type ChainAnchors, type ChainReport } from '../../core/register/chain';
import { GENESIS_HASH, type HashedRegisterEntry, type RegisterEntry } from '../../core/register/entries';
import { verifyEd25519 } from '../../core/register/signing';
import type { ServiceContext } from '../context';
import { batchList } from './batches';
import { tipCanonical } from './entries';

type EntryRow = [number, string, RegisterEntry['kind'], number | null, string, string, string, string, number, string, string, string, string, string, string, string, string, string, string, number, string, string];

/**
 * Walks the whole chain in stored order, one row at a time, against what the workstation signed:
 * its batches and the tip of the register. Rows come as arrays (`raw`): turning each of a million
 * rows into a keyed record and then into an entry cost more than reading it.
 */
export function verifyRegister(ctx: Pick<ServiceContext, 'db' | 'workstation'>): ChainReport {
  // One read transaction: the batches, the signed tip and the entries are read from one snapshot,
  // so a sealing committed by another connection meanwhile cannot look like tampering.
  return ctx.db.transaction(() => verifyRegisterSnapshot(ctx))();
}

function verifyRegisterSnapshot({ db, workstation }: Pick<ServiceContext, 'db' | 'workstation'>): ChainReport {
  const batchEnds = new Map<number, { batchNo: number; firstSeq: number; hash: string }>();
  let previousBatch = null;
  let unsigned: ChainReport | null = null;
  for (const batch of batchList(db)) {
    const problem = !batchSignatureValid(batch, workstation.publicKey)
      ? `第 ${batch.batchNo} 批（第 ${batch.firstSeq}–${batch.lastSeq} 号登记）的签名无效：批次记录被改动，或不是本工作站签发的。`
      : batchLinkProblem(previousBatch, batch, GENESIS_HASH);
    if (problem) {
      unsigned ??= { intact: false, count: 0, firstBreak: { seq: batch.firstSeq, problem: 'unsigned', message: problem } };
    } else {
      batchEnds.set(batch.lastSeq, { batchNo: batch.batchNo, firstSeq: batch.firstSeq, hash: batch.lastHash });
    }
    previousBatch = batch;
  }
  const head = db.prepare('SELECT seq, hash, signature FROM register_head').get() as { seq: number; hash: string; signature: string } | undefined;
  const headValid = head !== undefined && verifyEd25519(workstation.publicKey, tipCanonical(workstation.id, head.seq, head.hash), Buffer.from(head.signature, 'base64'));
  const anchors: ChainAnchors = { batchEnds, signedTip: headValid ? { seq: head.seq, hash: head.hash } : null };

  const rows = db.prepare(
    `SELECT seq, at, kind, corrects_seq, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone, slip_no, purpose,
       clerk, clerk_account, approver, sign_method, remarks, visit_id, prev_hash, hash
     FROM register_entries ORDER BY rowid`,
  ).raw().iterate() as IterableIterator<EntryRow>;
  function* entries(): Generator<HashedRegisterEntry> {
    for (const r of rows) {
      yield {
        seq: r[0], at: r[1], kind: r[2], correctsSeq: r[3], sealId: r[4], sealName: r[5], sealKind: r[6], documentKind: r[7], count: r[8], unit: r[9],
        agentName: r[10], agentPhone: r[11], slipNo: r[12], purpose: r[13], clerk: r[14], clerkAccount: r[15], approver: r[16], signMethod: r[17],
        remarks: r[18], visitId: r[19], prevHash: r[20], hash: r[21],
      };
    }
  }
  const report = verifyChain(entries(), anchors);
  if (!report.intact) return report;
  if (unsigned) return { ...unsigned, count: report.count };
  if (report.count > 0 && !headValid) {
    return { intact: false, count: report.count, firstBreak: { seq: report.count, problem: 'unsigned', message: head ? '登记簿末条的工作站签名无效：末条记录被改动过。' : '登记簿缺少工作站对末条登记的签名：签名记录被删除。' } };
  }
  return report;
}
