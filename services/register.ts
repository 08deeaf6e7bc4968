import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchLinkProblem, batchSignatureValid } from '../core/batch';
import { canonicalJson } from '../core/canonicalJson';
import type { RegisterEntryView, Request, Response } from '../core/contract';
import { UserError } from '../core/errors';
import { GENESIS_HASH, registerEntryHash, verifyChain, type ChainAnchors, type ChainReport, type HashedRegisterEntry, type RegisterEntry } from '../core/register';
import { verifyEd25519 } from '../core/signing';
import type { RegisterSheetEntry } from '../core/registerSheet';
import type { Db } from '../db/database';
import { batchList } from './batches';
import { localTimestamp, type ServiceContext } from './context';
import { registerSheetPdf } from './pdf';
import { loadSettings } from './settings';

interface EntryRecord {
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

function fromRecord(r: EntryRecord): HashedRegisterEntry {
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

function tipCanonical(workstationId: string, seq: number, hash: string): Buffer {
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

/**
 * A 更正 entry: the corrected entry restated with the supervisor's changes, naming the entry it
 * corrects and why. The original stays as it was; the register shows the two side by side.
 */
export function correctEntry(ctx: ServiceContext, request: Request<'register.correct'>): RegisterEntryView {
  const supervisor = ctx.session.requireAccount();
  return ctx.db.transaction(() => {
    const record = ctx.db.prepare('SELECT * FROM register_entries WHERE seq = ?').get(request.seq) as EntryRecord | undefined;
    if (!record) throw new UserError(`找不到第 ${request.seq} 号登记。`);
    const original = fromRecord(record);
    if (original.kind === '更正') throw new UserError(`第 ${request.seq} 号本身是更正登记；请更正它所更正的第 ${original.correctsSeq} 号登记。`);
    const changes = Object.fromEntries(Object.entries(request.changes).filter(([, value]) => value !== undefined));
    const changed = Object.entries(changes).filter(([key, value]) => original[key as keyof RegisterEntry] !== value);
    if (changed.length === 0) throw new UserError('更正内容与原登记相同，请填写需要更正的项目。');
    const { seq: _seq, prevHash: _prevHash, hash: _hash, ...fields } = original;
    const [written] = appendRegisterEntries(ctx, [{
      ...fields,
      ...changes,
      kind: '更正',
      correctsSeq: original.seq,
      at: localTimestamp(ctx.now()),
      clerk: supervisor.displayName,
      clerkAccount: supervisor.username,
      remarks: `更正第 ${original.seq} 号登记：${request.reason}`,
    }]);
    return entryView(written!);
  }).immediate();
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

export async function printRegisterSheet(ctx: ServiceContext, request: Request<'print.registerSheet'>): Promise<Response<'print.registerSheet'>> {
  const settings = loadSettings(ctx.db);
  let records: EntryRecord[];
  let subtitle: string;
  let fileStem: string;
  if ('visitId' in request) {
    records = ctx.db.prepare('SELECT * FROM register_entries WHERE visit_id = ? ORDER BY seq').all(request.visitId) as EntryRecord[];
    if (records.length === 0) throw new UserError(`第 ${request.visitId} 号办证还没有签章登记，无可打印的登记表。`);
    subtitle = `第 ${request.visitId} 号办证：${records[0]!.unit}`;
    fileStem = `印章使用登记表-办证${request.visitId}`;
  } else {
    records = ctx.db.prepare('SELECT * FROM register_entries WHERE at >= ? AND at < ? ORDER BY seq').all(request.date, `${request.date}\uffff`) as EntryRecord[];
    const [year, month, day] = request.date.split('-').map(Number);
    subtitle = `${year}年${month}月${day}日`;
    fileStem = `印章使用登记表-${request.date}`;
  }
  const entries: RegisterSheetEntry[] = records.map((r) => ({
    seq: r.seq, at: r.at, sealName: r.seal_name, sealKind: r.seal_kind, documentKind: r.document_kind, count: r.count, unit: r.unit,
    purpose: r.purpose, slipNo: r.slip_no, approver: r.approver, clerk: r.clerk, agentName: r.agent_name, agentPhone: r.agent_phone,
  }));
  const pdf = await registerSheetPdf({ officeName: settings.officeName, subtitle, printedAt: localTimestamp(ctx.now()).replace('T', ' ').slice(0, 16), entries });
  mkdirSync(ctx.printsDir, { recursive: true });
  const fileName = `${fileStem}.pdf`;
  const path = join(ctx.printsDir, fileName);
  writeFileSync(path, pdf);
  return { fileName, path, pdfBase64: pdf.toString('base64'), entryCount: entries.length };
}
