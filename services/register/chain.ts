import { batchLinkProblem, batchSignatureValid, type SignedBatch } from '../../core/register/batch';
import { verifyChain, type ChainAnchors, type ChainBreak, type ChainReport, type StoredEntry } from '../../core/register/chain';
import { GENESIS_HASH, sha256HexOfBytes } from '../../core/register/entries';
import { verifyEd25519 } from '../../core/register/signing';
import { entrySignatureMessage, tipCanonical, type RegisterTip } from '../../core/register/tip';
import type { Db } from '../../db/database';
import { batchList } from './batchRecords';
import { currentTip } from './entries';
import type { ServiceContext } from '../context';
import { readWitness, type WitnessState } from './witness';
import type { WorkstationIdentity } from './workstationKey';

/** A register to check: its database and the workstation whose key signed it. */
export interface RegisterUnderCheck {
  db: Db;
  workstation: Pick<WorkstationIdentity, 'id' | 'publicKey'>;
}

/**
 * How far a check goes. `full` walks every entry from the first (校验登记簿, backups, restore);
 * `open-day` starts from the end of the last signed batch and is what runs before every sealing
 * and day close: whatever the register's size it reads only the day's entries and their records.
 */
export type CheckScope = 'full' | 'open-day';

/** Entries are read in chunks: better-sqlite3 cannot read the records while an entry cursor is open. */
const CHUNK = 2000;

function readEntries(db: Db, afterSeq: number, signedFrom: number): Iterable<StoredEntry> {
  const plain = db.prepare('SELECT seq, canonical, hash FROM register_entries WHERE seq > ? ORDER BY seq LIMIT ?').raw();
  const signed = db.prepare('SELECT seq, canonical, hash, signature FROM register_entries WHERE seq > ? ORDER BY seq LIMIT ?').raw();
  const records = db.prepare('SELECT entry_seq, record FROM entry_records WHERE entry_seq BETWEEN ? AND ? ORDER BY entry_seq, id').raw();
  return {
    *[Symbol.iterator]() {
      let position = afterSeq;
      for (;;) {
        // Signatures are read only for the chunks where the walk checks them.
        const rows = (position + CHUNK >= signedFrom ? signed : plain).all(position, CHUNK) as [number, Uint8Array, string, (string | null)?][];
        if (rows.length === 0) return;
        const last = rows[rows.length - 1]![0];
        const bySeq = new Map<number, string[]>();
        for (const [entrySeq, record] of records.all(position + 1, last) as [number, string][]) {
          let list = bySeq.get(entrySeq);
          if (!list) bySeq.set(entrySeq, (list = []));
          list.push(record);
        }
        for (const [seq, canonical, hash, signature] of rows) yield { canonical, hash, records: bySeq.get(seq) ?? [], signature: signature ?? null };
        position = last;
      }
    },
  };
}

function tipSignatureValid(workstation: RegisterUnderCheck['workstation'], tip: RegisterTip, signature: string): boolean {
  return verifyEd25519(workstation.publicKey, tipCanonical(tip), Buffer.from(signature, 'base64'));
}

const broken = (count: number, firstBreak: ChainBreak): ChainReport => ({ intact: false, count, firstBreak });

/**
 * Checks the register against everything the workstation signed: its batches, each entry's
 * signature, the signed tip (last entry, last batch, size of the ledger) and the witness kept
 * outside the database. Names the first entry that differs, or what is missing.
 *
 * `witness` is the witness beside the live database; a backup or a candidate for restore is
 * checked without it ('not-applicable'), because an older copy is shorter by nature.
 */
export function checkRegister(target: RegisterUnderCheck, scope: CheckScope, witness: WitnessState | 'not-applicable'): ChainReport {
  // One read transaction: the batches, the tip and the entries come from one snapshot, so a
  // sealing committed by another connection meanwhile cannot look like tampering.
  return target.db.transaction(() => checkSnapshot(target, scope, witness))();
}

function checkSnapshot({ db, workstation }: RegisterUnderCheck, scope: CheckScope, witnessState: WitnessState | 'not-applicable'): ChainReport {
  const current = currentTip({ db, workstation });
  const batches = batchList(db);
  const batchEnds = new Map<number, { batchNo: number; firstSeq: number; hash: string }>();
  let lastGood: SignedBatch | null = null;
  let unsigned: ChainBreak | null = null;
  // The open-day check trusts the earlier batches as the last full check left them; it verifies the last one.
  const checked = scope === 'full' ? batches : batches.slice(-1);
  let previous: SignedBatch | null = scope === 'full' ? null : (batches[batches.length - 2] ?? null);
  for (const batch of checked) {
    const problem = !batchSignatureValid(batch, workstation.publicKey)
      ? `第 ${batch.batchNo} 批（第 ${batch.firstSeq}–${batch.lastSeq} 号登记）的签名无效：批次记录被改动，或不是本工作站签发的。`
      : batchLinkProblem(previous, batch, GENESIS_HASH);
    if (problem) unsigned ??= { seq: batch.firstSeq, problem: 'unsigned', message: problem };
    else if (!unsigned) {
      batchEnds.set(batch.lastSeq, { batchNo: batch.batchNo, firstSeq: batch.firstSeq, hash: batch.lastHash });
      lastGood = batch;
    }
    previous = batch;
  }

  const head = db.prepare('SELECT seq, hash, last_batch_no, record_count, last_record_id, signature FROM register_head').get() as
    { seq: number; hash: string; last_batch_no: number; record_count: number; last_record_id: number; signature: string } | undefined;
  const signedTipFields = head && { workstationId: workstation.id, seq: head.seq, hash: head.hash, lastBatchNo: head.last_batch_no, recordCount: head.record_count, lastRecordId: head.last_record_id };
  const tip: RegisterTip | null = head && signedTipFields && tipSignatureValid(workstation, signedTipFields, head.signature) ? signedTipFields : null;

  const witness = witnessState !== 'not-applicable' && witnessState.kind === 'ok' ? witnessState.witness : null;
  const anchors: ChainAnchors = {
    batchEnds,
    signedTip: tip && { seq: tip.seq, hash: tip.hash },
    signedFrom: (lastGood?.lastSeq ?? 0) + 1,
    entrySignatureValid: (hash, signature) => verifyEd25519(workstation.publicKey, entrySignatureMessage(workstation.id, hash), Buffer.from(signature, 'base64')),
    witness: witness && { seq: witness.seq, hash: witness.hash },
    storedLastSeq: current.seq,
  };

  let start = { seq: 0, hash: GENESIS_HASH };
  if (scope === 'open-day' && lastGood) {
    const anchor = db.prepare('SELECT canonical, hash FROM register_entries WHERE seq = ?').raw().get(lastGood.lastSeq) as [Uint8Array, string] | undefined;
    if (!anchor || anchor[1] !== lastGood.lastHash || sha256HexOfBytes(anchor[0]) !== anchor[1]) {
      return broken(0, { seq: lastGood.firstSeq, problem: 'changed', message: `第 ${lastGood.firstSeq}–${lastGood.lastSeq} 号登记与已签名的第 ${lastGood.batchNo} 批不符：登记被改动或删除。` });
    }
    start = { seq: lastGood.lastSeq, hash: lastGood.lastHash };
  }
  const report = verifyChain(readEntries(db, start.seq, anchors.signedFrom), anchors, start);
  if (!report.intact) return report;
  const { count } = report;
  if (unsigned) return broken(count, unsigned);

  const orphan = db.prepare('SELECT entry_seq FROM entry_records r WHERE entry_seq > ? AND NOT EXISTS (SELECT 1 FROM register_entries e WHERE e.seq = r.entry_seq) LIMIT 1').pluck().get(start.seq) as number | undefined;
  if (orphan !== undefined) {
    return broken(count, { seq: orphan, problem: 'ledger', message: `证书台账中有记录属于不存在的第 ${orphan} 号登记：台账记录是在签章窗口之外加入的，或其登记被删除。` });
  }

  if (current.seq > 0 || current.lastBatchNo > 0 || current.recordCount > 0) {
    if (!head) return broken(count, { seq: current.seq, problem: 'unsigned', message: '登记簿缺少工作站对末条登记的签名：签名记录被删除。' });
    if (!tip) return broken(count, { seq: head.seq, problem: 'unsigned', message: '登记簿末条的工作站签名无效：末条签名记录被改动过。' });
  }
  if (tip && tip.lastBatchNo !== current.lastBatchNo) {
    return broken(count, tip.lastBatchNo > current.lastBatchNo
      ? { seq: (batches[batches.length - 1]?.lastSeq ?? 0) + 1, problem: 'missing', message: `第 ${current.lastBatchNo + 1}${tip.lastBatchNo > current.lastBatchNo + 1 ? `–${tip.lastBatchNo}` : ''} 批缺失：工作站签名记载已封 ${tip.lastBatchNo} 批，数据文件中只有 ${current.lastBatchNo} 批。` }
      : { seq: batches[batches.length - 1]!.firstSeq, problem: 'unsigned', message: `第 ${tip.lastBatchNo + 1} 批之后的批次不在工作站签名记载之内：批次是在签章窗口之外加入的。` });
  }
  if (tip && (tip.recordCount !== current.recordCount || tip.lastRecordId !== current.lastRecordId)) {
    return broken(count, { seq: current.seq, problem: 'ledger', message: `证书台账与工作站签名记载不符：签名时有 ${tip.recordCount} 条记录（至第 ${tip.lastRecordId} 条），现有 ${current.recordCount} 条（至第 ${current.lastRecordId} 条），有记录在签章窗口之外被加入或删除。` });
  }
  if (witnessState !== 'not-applicable') {
    if (witnessState.kind === 'absent') {
      return broken(count, { seq: current.seq, problem: 'unsigned', message: '工作站的登记见证文件（放在数据文件旁，记着登记簿写到了哪一条）缺失：删除它可以掩盖登记被整段删除。请联系审核人，从备份找回该文件。' });
    }
    if (witnessState.kind === 'invalid') return broken(count, { seq: current.seq, problem: 'unsigned', message: witnessState.message });
    if (witnessState.witness.lastBatchNo > current.lastBatchNo || witnessState.witness.hubBatchNo > current.lastBatchNo) {
      const known = Math.max(witnessState.witness.lastBatchNo, witnessState.witness.hubBatchNo);
      return broken(count, { seq: (batches[batches.length - 1]?.lastSeq ?? 0) + 1, problem: 'missing', message: `第 ${current.lastBatchNo + 1}${known > current.lastBatchNo + 1 ? `–${known}` : ''} 批缺失：工作站在数据文件之外记着已封 ${known} 批${witnessState.witness.hubBatchNo >= known ? '（集中服务器已收到）' : ''}，数据文件中只有 ${current.lastBatchNo} 批。` });
    }
  }
  return { intact: true, count };
}

/**
 * 校验登记簿: the full check. Where it can only say that a signed batch no longer matches, it
 * walks that batch again checking each entry's own signature, to name the first entry changed.
 */
export function verifyRegister(target: RegisterUnderCheck, witness: WitnessState | 'not-applicable'): ChainReport {
  const report = checkRegister(target, 'full', witness);
  if (report.intact || report.firstBreak.problem !== 'changed') return report;
  const batch = batchList(target.db).find((b) => b.firstSeq === report.firstBreak.seq && b.lastSeq > b.firstSeq);
  if (!batch) return report;
  const before = target.db.prepare('SELECT hash FROM register_entries WHERE seq = ?').pluck().get(batch.firstSeq - 1) as string | undefined;
  const narrowed = verifyChain(readEntries(target.db, batch.firstSeq - 1, batch.firstSeq), {
    batchEnds: new Map(), signedTip: null, signedFrom: batch.firstSeq, witness: null, storedLastSeq: 0,
    entrySignatureValid: (hash, signature) => verifyEd25519(target.workstation.publicKey, entrySignatureMessage(target.workstation.id, hash), Buffer.from(signature, 'base64')),
  }, { seq: batch.firstSeq - 1, hash: before ?? GENESIS_HASH });
  if (narrowed.intact || narrowed.firstBreak.seq > batch.lastSeq) return report;
  return { ...report, firstBreak: { ...narrowed.firstBreak, message: `${narrowed.firstBreak.message}（在已签名的第 ${batch.batchNo} 批之内）` } };
}

/** The workstation's own register, checked against its witness too: what 校验登记簿 and register-verify run. */
export function verifyLiveRegister(ctx: Pick<ServiceContext, 'db' | 'dbPath' | 'workstation'>): ChainReport {
  return verifyRegister(ctx, readWitness(ctx.dbPath, ctx.workstation));
}
