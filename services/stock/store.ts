import { UserError } from '../../core/errors';
import { sha256HexOfBytes } from '../../core/register/entries';
import type { StockRecord } from '../../core/register/records';
import type { StockEntryKind } from '../../core/register/terms';
import type { IssueFact, SealedFact } from '../../core/stock/balance';
import type { IssuedRange, ReceivedRange } from '../../core/stock/movements';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';
import { appendRegisterEntries, type NewEntry } from '../register/entries';

/** A stock record as read back: the record, and the entry that brought it. */
export type Kept<R> = R & { entrySeq: number; at: string; clerk: string; clerkAccount: string };

type KindOf<K extends StockRecord['kind']> = Extract<StockRecord, { kind: K }>;

/**
 * Every record of one kind, oldest first. The kind is written into the query (it is one of ours,
 * never input) so that SQLite uses that kind's partial index (migration 006) instead of walking
 * the certificates.
 */
export function stockRecords<K extends StockRecord['kind']>(db: Db, kind: K): Kept<KindOf<K>>[] {
  const rows = db.prepare(`SELECT r.entry_seq, r.record, e.at, e.clerk, e.clerk_account FROM entry_records r JOIN register_entries e ON e.seq = r.entry_seq
    WHERE r.kind = '${kind}' ORDER BY r.entry_seq, r.id`).raw().all() as [number, string, string, string, string][];
  return rows.map(([entrySeq, record, at, clerk, clerkAccount]) => ({ ...(JSON.parse(record) as KindOf<K>), entrySeq, at, clerk, clerkAccount }));
}

export function issueFacts(db: Db): Kept<IssueFact & KindOf<'stock-issue'>>[] {
  return stockRecords(db, 'stock-issue').map((issue) => ({ ...issue, seq: issue.entrySeq }));
}

export function receivedRanges(db: Db): ReceivedRange[] {
  return stockRecords(db, 'stock-receipt').flatMap((r) => r.ranges.map((range) => ({ ...range, certificateType: r.certificateType, year: r.year, at: r.at })));
}

export function issuedRanges(issues: readonly IssueFact[]): IssuedRange[] {
  return issues.flatMap((issue) => issue.ranges.map((range) => ({ ...range, unit: issue.unit, year: issue.year })));
}

/**
 * Certificates sealed in `year`, per unit and certificate type: the ledger's records of the
 * sealings, through the visits they belong to (the visit knows the type, the record does not).
 */
export function sealedCounts(db: Db, year: number, unit?: string): SealedFact[] {
  return sealedCountsBetween(db, `${year}-`, `${year + 1}-`, unit);
}

/** The same count for sealings at or after `from` and before `before` (timestamp prefixes), as 统计 asks for a period. */
export function sealedCountsBetween(db: Db, from: string, before: string, unit?: string): SealedFact[] {
  // The period's visits by their sealing time, then their entries, then their records, in that
  // order (INDEXED BY, CROSS JOIN): left to itself SQLite walked every certificate ever sealed
  // through the sealedAt index, or every visit through the unit index for the GROUP BY.
  const rows = db.prepare(`SELECT v.unit, v.certificate_type, count(*) FROM visits v INDEXED BY visits_by_sealed_at
      CROSS JOIN register_entries e ON e.visit_id = v.id
      CROSS JOIN entry_records r ON r.entry_seq = e.seq AND r.kind = 'certificate'
    WHERE v.sealed_at >= ? AND v.sealed_at < ? ${unit === undefined ? '' : 'AND v.unit = ?'}
    GROUP BY v.unit, v.certificate_type`).raw().all(...[from, before, ...(unit === undefined ? [] : [unit])]) as [string, string, number][];
  return rows.map(([u, certificateType, count]) => ({ unit: u, certificateType, count }));
}

export function sealedCertificate(db: Db, certNo: string): { name: string; sealedAt: string } | undefined {
  const row = db.prepare('SELECT name, sealed_at FROM certificates WHERE cert_no = ? ORDER BY id LIMIT 1').raw().get(certNo) as [string, string] | undefined;
  return row && { name: row[0], sealedAt: row[1].replace('T', ' ').slice(0, 16) };
}

/** What a stock entry says in the register's own fields; the details are its records. */
export interface StockEntryFields {
  unit: string;
  count: number;
  documentKind: '空白证书' | '签章凭条';
  purpose: string;
  remarks?: string;
  agentName?: string;
  agentPhone?: string;
}

/**
 * Appends one stock movement. Callers run it inside writeToRegister, which first checks the
 * register; the entry belongs to no visit (visit 0), which is how the seal-usage sheet tells it apart.
 */
export function appendStockEntry(ctx: ServiceContext, kind: StockEntryKind, fields: StockEntryFields, records: readonly StockRecord[]): number {
  const clerk = ctx.session.requireAccount();
  const entry: NewEntry = {
    at: ctx.clock.timestamp(), kind, correctsSeq: null, sealId: '', sealName: '', sealKind: '', documentKind: fields.documentKind,
    count: fields.count, unit: fields.unit, agentName: fields.agentName ?? '', agentPhone: fields.agentPhone ?? '', slipNo: '', purpose: fields.purpose,
    clerk: clerk.displayName, clerkAccount: clerk.username, approver: '', signMethod: '', remarks: fields.remarks ?? '', visitId: 0, records,
  };
  return appendRegisterEntries(ctx, [entry])[0]!.seq;
}

/** Keeps a file a record names by its digest; the same bytes twice are kept once. */
export function keepFile(ctx: ServiceContext, fileName: string, bytes: Uint8Array): string {
  const sha256 = sha256HexOfBytes(bytes);
  ctx.db.prepare('INSERT OR IGNORE INTO stock_files (sha256, file_name, size, bytes, kept_at) VALUES (?, ?, ?, ?, ?)').run(sha256, fileName, bytes.length, bytes, ctx.clock.timestamp());
  return sha256;
}

/** A kept file, refused if its bytes no longer have the digest its record names. */
export function keptFile(db: Db, sha256: string, fileName: string): Uint8Array {
  const bytes = db.prepare('SELECT bytes FROM stock_files WHERE sha256 = ?').pluck().get(sha256) as Uint8Array | undefined;
  if (!bytes) throw new UserError(`附件“${fileName}”不在数据文件中：它在签章窗口之外被删除了。`);
  if (sha256HexOfBytes(bytes) !== sha256) throw new UserError(`附件“${fileName}”与登记时不符：它在签章窗口之外被改动过。`);
  return bytes;
}
