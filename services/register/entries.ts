import type { RegisterEntryView, Request, Response } from '../../core/contract';
import { canonicalJson } from '../../core/register/canonicalJson';
import { GENESIS_HASH, registerEntryHash, type HashedRegisterEntry, type RegisterEntry } from '../../core/register/entries';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';

export interface EntryRecord {
  seq: number;
  at: string;
  kind: RegisterEntry['kind'];
  corrects_seq: number | null;
  seal_id: string;
  seal_name: string;
  seal_kind: string;
  document_kind: string;
  count: number;
  unit: string;
  agent_name: string;
  agent_phone: string;
  slip_no: string;
  purpose: string;
  clerk: string;
  clerk_account: string;
  approver: string;
  sign_method: string;
  remarks: string;
  visit_id: number;
  prev_hash: string;
  hash: string;
}

export function fromRecord(r: EntryRecord): HashedRegisterEntry {
  return {
    seq: r.seq, at: r.at, kind: r.kind, correctsSeq: r.corrects_seq, sealId: r.seal_id, sealName: r.seal_name, sealKind: r.seal_kind, documentKind: r.document_kind,
    count: r.count, unit: r.unit, agentName: r.agent_name, agentPhone: r.agent_phone, slipNo: r.slip_no, purpose: r.purpose,
    clerk: r.clerk, clerkAccount: r.clerk_account, approver: r.approver, signMethod: r.sign_method, remarks: r.remarks, visitId: r.visit_id,
    prevHash: r.prev_hash, hash: r.hash,
  };
}

export function entryView(e: HashedRegisterEntry, correctedBy: number[] = []): RegisterEntryView {
  const { sealId: _sealId, prevHash: _prevHash, ...view } = e;
  return { ...view, correctedBy };
}

/**
 * Appends entries after the current last one, links and hashes them, and signs the new tip.
 * Callers run it inside their own transaction, so a sealing is recorded wholly or not at all.
 */
export function appendRegisterEntries(ctx: ServiceContext, entries: Omit<RegisterEntry, 'seq' | 'prevHash'>[]): HashedRegisterEntry[] {
  const insert = ctx.db.prepare(
    `INSERT INTO register_entries (seq, at, kind, corrects_seq, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone,
       slip_no, purpose, clerk, clerk_account, approver, sign_method, remarks, visit_id, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let previous = lastRegisterEntry(ctx.db);
  const written = entries.map((fields) => {
    const entry: RegisterEntry = { ...fields, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
    const e: HashedRegisterEntry = { ...entry, hash: registerEntryHash(entry) };
    insert.run(e.seq, e.at, e.kind, e.correctsSeq, e.sealId, e.sealName, e.sealKind, e.documentKind, e.count, e.unit, e.agentName, e.agentPhone,
      e.slipNo, e.purpose, e.clerk, e.clerkAccount, e.approver, e.signMethod, e.remarks, e.visitId, e.prevHash, e.hash);
    previous = e;
    return e;
  });
  if (previous) signRegisterTip(ctx, previous);
  return written;
}

export function tipCanonical(workstationId: string, seq: number, hash: string): Buffer {
  return Buffer.from(canonicalJson({ purpose: 'seal-counter-register-tip/1', workstationId, seq, hash }), 'utf8');
}

export function signRegisterTip(ctx: ServiceContext, tip: HashedRegisterEntry): void {
  const signature = Buffer.from(ctx.workstation.sign(tipCanonical(ctx.workstation.id, tip.seq, tip.hash))).toString('base64');
  ctx.db.prepare('INSERT OR REPLACE INTO register_head (singleton, seq, hash, signature) VALUES (1, ?, ?, ?)').run(tip.seq, tip.hash, signature);
}

export function registerEntriesBetween(db: Db, firstSeq: number, lastSeq: number): HashedRegisterEntry[] {
  return (db.prepare('SELECT * FROM register_entries WHERE seq BETWEEN ? AND ? ORDER BY seq').all(firstSeq, lastSeq) as EntryRecord[]).map(fromRecord);
}

export function lastRegisterEntry(db: Db): HashedRegisterEntry | undefined {
  const row = db.prepare('SELECT * FROM register_entries ORDER BY seq DESC LIMIT 1').get() as EntryRecord | undefined;
  return row && fromRecord(row);
}

/** Newest first, filtered by local date range and unit. */
export function listRegister(db: Db, request: Request<'register.list'>): Response<'register.list'> {
  const { clause, params } = registerFilter(request);
  const total = (db.prepare(`SELECT count(*) AS n FROM register_entries ${clause}`).get(...params) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM register_entries ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`)
    .all(...params, request.limit, request.offset) as EntryRecord[];
  return { total, entries: withCorrections(db, rows.map(fromRecord)) };
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
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (request.visitId !== undefined) { where.push('visit_id = ?'); params.push(request.visitId); }
  // `at` starts with the local date, so a date range is a plain text range on the index.
  if (request.from) { where.push('at >= ?'); params.push(request.from); }
  if (request.to) { where.push('at < ?'); params.push(`${request.to}\uffff`); }
  const unit = request.unit?.trim();
  if (unit) { where.push('unit LIKE ?'); params.push(`%${unit.replace(/[%_]/g, '')}%`); }
  return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}
