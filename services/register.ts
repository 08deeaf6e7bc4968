import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegisterEntryView, Request, Response } from '../core/contract';
import { UserError } from '../core/errors';
import { verifyChain, type ChainReport, type HashedRegisterEntry } from '../core/register';
import type { RegisterSheetEntry } from '../core/registerSheet';
import type { Db } from '../db/database';
import { localTimestamp, type ServiceContext } from './context';
import { registerSheetPdf } from './pdf';
import { loadSettings } from './settings';

interface EntryRecord {
  seq: number;
  at: string;
  kind: '签章';
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
  approver: string;
  sign_method: string;
  remarks: string;
  visit_id: number;
  prev_hash: string;
  hash: string;
}

function fromRecord(r: EntryRecord): HashedRegisterEntry {
  return {
    seq: r.seq, at: r.at, kind: r.kind, sealId: r.seal_id, sealName: r.seal_name, sealKind: r.seal_kind, documentKind: r.document_kind,
    count: r.count, unit: r.unit, agentName: r.agent_name, agentPhone: r.agent_phone, slipNo: r.slip_no, purpose: r.purpose,
    clerk: r.clerk, approver: r.approver, signMethod: r.sign_method, remarks: r.remarks, visitId: r.visit_id, prevHash: r.prev_hash, hash: r.hash,
  };
}

export function entryView(e: HashedRegisterEntry): RegisterEntryView {
  const { sealId: _sealId, prevHash: _prevHash, ...view } = e;
  return view;
}

export function insertRegisterEntry(db: Db, e: HashedRegisterEntry): void {
  db.prepare(
    `INSERT INTO register_entries (seq, at, kind, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone,
       slip_no, purpose, clerk, approver, sign_method, remarks, visit_id, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.seq, e.at, e.kind, e.sealId, e.sealName, e.sealKind, e.documentKind, e.count, e.unit, e.agentName, e.agentPhone,
    e.slipNo, e.purpose, e.clerk, e.approver, e.signMethod, e.remarks, e.visitId, e.prevHash, e.hash);
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
  return { total, entries: rows.map((r) => entryView(fromRecord(r))) };
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

type EntryRow = [number, string, '签章', string, string, string, string, number, string, string, string, string, string, string, string, string, string, number, string, string];

/**
 * Walks the whole chain in stored order, one row at a time. Rows come as arrays (`raw`): turning
 * each of a million rows into a keyed record and then into an entry cost more than reading it.
 */
export function verifyRegister(db: Db): ChainReport {
  const rows = db.prepare(
    `SELECT seq, at, kind, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone, slip_no, purpose,
       clerk, approver, sign_method, remarks, visit_id, prev_hash, hash
     FROM register_entries ORDER BY rowid`,
  ).raw().iterate() as IterableIterator<EntryRow>;
  function* entries(): Generator<HashedRegisterEntry> {
    for (const r of rows) {
      yield {
        seq: r[0], at: r[1], kind: r[2], sealId: r[3], sealName: r[4], sealKind: r[5], documentKind: r[6], count: r[7], unit: r[8],
        agentName: r[9], agentPhone: r[10], slipNo: r[11], purpose: r[12], clerk: r[13], approver: r[14], signMethod: r[15],
        remarks: r[16], visitId: r[17], prevHash: r[18], hash: r[19],
      };
    }
  }
  return verifyChain(entries());
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
