import { batchContentProblem, batchLinkProblem, batchSignatureValid, type BatchPayload, type SignedBatch } from '../core/register/batch';
import type { AttachedRecord } from '../core/register/records';
import { GENESIS_HASH, type HashedRegisterEntry } from '../core/register/entries';
import { headerOf, type BatchRow } from './batches';
import type { Queryable } from './db';

/**
 * Re-checks every workstation's chain as the hub holds it: each batch signed by the enrolled key,
 * each entry's hash recomputed, each link from the first batch to the last. Run after a restore
 * (hub-restore does) and whenever an administrator wants proof (hub-verify).
 */
export interface ChainReport {
  workstations: number;
  batches: number;
  entries: number;
  /** One Chinese sentence per problem; empty when every chain holds. */
  problems: string[];
}

export async function verifyChains(db: Queryable): Promise<ChainReport> {
  const report: ChainReport = { workstations: 0, batches: 0, entries: 0, problems: [] };
  const workstations = await db.query<{ id: string; public_key: string }>('SELECT id, public_key FROM workstations ORDER BY id');
  for (const ws of workstations) {
    report.workstations++;
    const publicKey = new Uint8Array(Buffer.from(ws.public_key, 'base64'));
    const batches = await db.query<BatchRow>('SELECT * FROM batches WHERE workstation_id = $1 ORDER BY batch_no', [ws.id]);
    // A workstation's entries and records in one read each, in the order they were sent.
    const entries = (await db.query<{ batch_no: number; entry_json: string }>('SELECT batch_no, entry_json FROM entries WHERE workstation_id = $1 ORDER BY seq', [ws.id]))
      .map((row) => ({ batchNo: row.batch_no, entry: JSON.parse(row.entry_json) as HashedRegisterEntry }));
    const recordsByBatch = new Map<number, AttachedRecord[]>();
    for (const r of await db.query<{ batch_no: number; entry_seq: number; record: string }>('SELECT batch_no, entry_seq, record FROM records WHERE workstation_id = $1 ORDER BY batch_no, position', [ws.id])) {
      const list = recordsByBatch.get(r.batch_no);
      const record = { entrySeq: r.entry_seq, canonical: r.record };
      if (list) list.push(record);
      else recordsByBatch.set(r.batch_no, [record]);
    }
    let previous: SignedBatch | null = null;
    let entryIndex = 0;
    for (const row of batches) {
      report.batches++;
      const batch: SignedBatch = { ...headerOf(row), signature: row.signature };
      const batchEntries: HashedRegisterEntry[] = [];
      while (entryIndex < entries.length && entries[entryIndex]!.batchNo === row.batch_no) batchEntries.push(entries[entryIndex++]!.entry);
      report.entries += batchEntries.length;
      const payload: BatchPayload = {
        batch,
        entries: batchEntries,
        records: recordsByBatch.get(row.batch_no) ?? [],
      };
      const where = `工作站 ${ws.id} 第 ${row.batch_no} 批`;
      if (!batchSignatureValid(batch, publicKey)) report.problems.push(`${where}：签名与登记的公钥不符。`);
      const content = batchContentProblem(payload);
      if (content) report.problems.push(`${where}：${content}`);
      const link = batchLinkProblem(previous, batch, GENESIS_HASH);
      if (link) report.problems.push(`${where}：${link}`);
      previous = batch;
    }
    if (entryIndex !== entries.length) report.problems.push(`工作站 ${ws.id}：有 ${entries.length - entryIndex} 条登记不属于任何批次。`);
  }
  return report;
}
