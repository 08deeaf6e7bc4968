import type { RegisterEntryView, Request, Response } from '../../core/contract';
import { entryFromCanonical, GENESIS_HASH, registerEntryCanonical, sha256Hex, type HashedRegisterEntry, type RegisterEntry } from '../../core/register/entries';
import { attachmentsDigestOf, recordCanonical, type AttachedRecord, type LedgerRecord } from '../../core/register/records';
import { entrySignatureMessage, tipCanonical, type RegisterTip } from '../../core/register/tip';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';

/** An entry as a use case asks for it: its fields, and the ledger records it brings. */
export type NewEntry = Omit<RegisterEntry, 'seq' | 'prevHash' | 'attachmentsDigest'> & { records?: readonly LedgerRecord[] };

/** The columns every reader of entries selects: the stored canonical text is the entry. */
const ENTRY_COLUMNS = 'seq, CAST(canonical AS TEXT) AS canonical, hash';

interface StoredEntryRow {
  seq: number;
  canonical: string;
  hash: string;
}

const toEntry = (row: StoredEntryRow): HashedRegisterEntry => entryFromCanonical(row.canonical, row.hash);

export function entryView(e: HashedRegisterEntry, correctedBy: number[] = []): RegisterEntryView {
  const { sealId: _sealId, prevHash: _prevHash, attachmentsDigest: _digest, ...view } = e;
  return { ...view, correctedBy };
}

/**
 * Appends entries after the current last one: links and hashes each, binds its ledger records by
 * their digest, signs it, and signs the new tip. Callers run it inside a register transaction
 * (services/register/integrity.ts), which first checks that the register is as the workstation
 * left it, so a sealing is recorded wholly or not at all and never on top of a forgery.
 */
export function appendRegisterEntries(ctx: ServiceContext, entries: readonly NewEntry[]): HashedRegisterEntry[] {
  const insertEntry = ctx.db.prepare('INSERT INTO register_entries (seq, canonical, hash, signature) VALUES (?, ?, ?, ?)');
  const insertRecord = ctx.db.prepare('INSERT INTO entry_records (entry_seq, record) VALUES (?, ?)');
  let previous = lastRegisterEntry(ctx.db);
  const written = entries.map(({ records = [], ...fields }) => {
    const canonicals = records.map(recordCanonical);
    const entry: RegisterEntry = { ...fields, attachmentsDigest: attachmentsDigestOf(canonicals), seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
    const canonical = registerEntryCanonical(entry);
    const hash = sha256Hex(canonical);
    const signature = Buffer.from(ctx.workstation.sign(entrySignatureMessage(ctx.workstation.id, hash))).toString('base64');
    insertEntry.run(entry.seq, Buffer.from(canonical, 'utf8'), hash, signature);
    for (const record of canonicals) insertRecord.run(entry.seq, record);
    previous = { ...entry, hash };
    return previous;
  });
  signRegisterTip(ctx);
  return written;
}

/** The register as it stands, in the words the tip is signed in. */
export function currentTip(ctx: { db: Db; workstation: { id: string } }): RegisterTip {
  const last = ctx.db.prepare('SELECT seq, hash FROM register_entries ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const ledger = ctx.db.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS lastId FROM entry_records').get() as { n: number; lastId: number };
  const lastBatchNo = (ctx.db.prepare('SELECT max(batch_no) FROM batches').pluck().get() as number | null) ?? 0;
  return { workstationId: ctx.workstation.id, seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH, lastBatchNo, recordCount: ledger.n, lastRecordId: ledger.lastId };
}

/** Re-signs the tip for the register as it now stands (after entries, and after a batch). */
export function signRegisterTip(ctx: ServiceContext): RegisterTip {
  const tip = currentTip(ctx);
  const signature = Buffer.from(ctx.workstation.sign(tipCanonical(tip))).toString('base64');
  ctx.db.prepare('INSERT OR REPLACE INTO register_head (singleton, seq, hash, last_batch_no, record_count, last_record_id, signature) VALUES (1, ?, ?, ?, ?, ?, ?)')
    .run(tip.seq, tip.hash, tip.lastBatchNo, tip.recordCount, tip.lastRecordId, signature);
  return tip;
}

export function registerEntriesBetween(db: Db, firstSeq: number, lastSeq: number): HashedRegisterEntry[] {
  return (db.prepare(`SELECT ${ENTRY_COLUMNS} FROM register_entries WHERE seq BETWEEN ? AND ? ORDER BY seq`).all(firstSeq, lastSeq) as StoredEntryRow[]).map(toEntry);
}

export function registerEntryAt(db: Db, seq: number): HashedRegisterEntry | undefined {
  return registerEntriesBetween(db, seq, seq)[0];
}

/**
 * The seal-usage register (印章使用登记表) proper: 签章 and 更正 entries, which always belong to a
 * visit. The stock's movements share the chain but belong to none (visit 0) and are not seal
 * usage, so the sheet and the register page leave them out — told apart on the stored, indexed
 * visit column rather than on `kind`, which would be decoded from every entry's bytes.
 */
// A seal used outside a visit (the 认定书 of a confirmation, issue 16) is seal usage too.
const SEAL_USAGE = "(visit_id > 0 OR kind = '签章')";

/** Seal-usage entries of a visit, or of a local date (`at` starts with the office's date). */
export function registerEntriesOf(db: Db, filter: { visitId: number } | { date: string }): HashedRegisterEntry[] {
  const rows = 'visitId' in filter
    ? db.prepare(`SELECT ${ENTRY_COLUMNS} FROM register_entries WHERE visit_id = ? ORDER BY seq`).all(filter.visitId)
    : db.prepare(`SELECT ${ENTRY_COLUMNS} FROM register_entries WHERE at >= ? AND at < ? AND ${SEAL_USAGE} ORDER BY seq`).all(filter.date, `${filter.date}\uffff`);
  return (rows as StoredEntryRow[]).map(toEntry);
}

/** The ledger records of entries firstSeq..lastSeq, in the order they were written. */
export function recordsBetween(db: Db, firstSeq: number, lastSeq: number): AttachedRecord[] {
  return (db.prepare('SELECT entry_seq, record FROM entry_records WHERE entry_seq BETWEEN ? AND ? ORDER BY entry_seq, id').raw().all(firstSeq, lastSeq) as [number, string][])
    .map(([entrySeq, canonical]) => ({ entrySeq, canonical }));
}

export function lastRegisterEntry(db: Db): HashedRegisterEntry | undefined {
  const row = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM register_entries ORDER BY seq DESC LIMIT 1`).get() as StoredEntryRow | undefined;
  return row && toEntry(row);
}

/** Seal-usage entries, newest first, filtered by local date range and unit. */
export function listRegister(db: Db, request: Request<'register.list'>): Response<'register.list'> {
  const { conditions, params } = registerFilter(request);
  const and = conditions.map((condition) => ` AND ${condition}`).join('');
  // Counted in two parts, each a range of the visit index: the entries of visits, and the few
  // seal uses outside any visit. One count over the OR made SQLite collect every row id first
  // (half a second on a 2,000,000-entry register, at every page of 登记簿).
  const total = db.prepare(`SELECT (SELECT count(*) FROM register_entries WHERE visit_id > 0${and}) + (SELECT count(*) FROM register_entries WHERE visit_id = 0 AND kind = '签章'${and})`)
    .pluck().get(...params, ...params) as number;
  const rows = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM register_entries WHERE ${SEAL_USAGE}${and} ORDER BY seq DESC LIMIT ? OFFSET ?`)
    .all(...params, request.limit, request.offset) as StoredEntryRow[];
  return { total, entries: withCorrections(db, rows.map(toEntry)) };
}

/** Each entry with the 更正 entries that correct it, so the register shows them side by side. */
export function withCorrections(db: Db, entries: HashedRegisterEntry[]): RegisterEntryView[] {
  if (entries.length === 0) return [];
  const seqs = entries.map((e) => e.seq);
  const corrections = db.prepare(`SELECT corrects_seq, seq FROM register_entries WHERE corrects_seq IN (${seqs.map(() => '?').join(',')}) ORDER BY seq`)
    .raw().all(...seqs) as [number, number][];
  const bySeq = new Map<number, number[]>();
  for (const [corrected, seq] of corrections) bySeq.set(corrected, [...(bySeq.get(corrected) ?? []), seq]);
  return entries.map((e) => entryView(e, bySeq.get(e.seq) ?? []));
}

function registerFilter(request: { from?: string | undefined; to?: string | undefined; unit?: string | undefined; visitId?: number | undefined }) {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (request.visitId !== undefined) { conditions.push('visit_id = ?'); params.push(request.visitId); }
  // `at` starts with the local date, so a date range is a plain text range on the index.
  if (request.from) { conditions.push('at >= ?'); params.push(request.from); }
  if (request.to) { conditions.push('at < ?'); params.push(`${request.to}\uffff`); }
  const unit = request.unit?.trim();
  if (unit) { conditions.push('unit LIKE ?'); params.push(`%${unit.replace(/[%_]/g, '')}%`); }
  return { conditions, params };
}
