import { UserError } from '../../core/errors';
import type { AgentSignature, BatchFacts, DayPrintData, LedgerCertificate, PrintEntry, VisitFacts, VisitPrintData } from '../../core/print/inputs';
import type { PrintScope } from '../../core/print/proof';
import { recordsOfKind } from '../../core/register/records';
import type { HashedRegisterEntry } from '../../core/register/entries';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';
import { recordsBetween, registerEntriesBetween, registerEntriesOf } from '../register/entries';
import { loadSettings } from '../settings/settings';
import { getVisitDetail } from '../visits/visits';

/**
 * What the forms are printed from. A form printed before is rebuilt for a verifier from the
 * entries its QR names (`seqs`), so that entries appended since do not change what it shows.
 */
function entriesFor(db: Db, scope: PrintScope, seqs?: readonly number[]): HashedRegisterEntry[] {
  if (seqs === undefined) return registerEntriesOf(db, scope);
  if (seqs.length === 0) return [];
  const wanted = new Set(seqs);
  return registerEntriesBetween(db, seqs[0]!, seqs[seqs.length - 1]!).filter((e) => wanted.has(e.seq));
}

const printEntry = ({ hash: _hash, prevHash: _prevHash, attachmentsDigest: _digest, sealId: _sealId, ...entry }: HashedRegisterEntry): PrintEntry => entry;

function recordsOf(db: Db, entries: readonly HashedRegisterEntry[]) {
  if (entries.length === 0) return { certificates: [] as LedgerCertificate[], signatures: [] as AgentSignature[] };
  const seqs = new Set(entries.map((e) => e.seq));
  const records = recordsBetween(db, entries[0]!.seq, entries[entries.length - 1]!.seq).filter((r) => seqs.has(r.entrySeq));
  return { certificates: recordsOfKind(records, 'certificate'), signatures: recordsOfKind(records, 'agent-signature') };
}

export function visitPrintData(ctx: ServiceContext, visitId: number, seqs?: readonly number[]): VisitPrintData {
  const { visit, rows } = getVisitDetail(ctx, visitId);
  const entries = entriesFor(ctx.db, { visitId }, seqs).filter((e) => e.visitId === visitId);
  return {
    officeName: loadSettings(ctx.db).officeName,
    visit: {
      id: visit.id, unit: visit.unit, agentName: visit.agentName, agentPhone: visit.agentPhone, certificateType: visit.certificateType, slipNo: visit.slipNo,
      slipCount: visit.slipCount, slipSigner: visit.slipSigner, clerk: visit.clerk, purpose: visit.purpose, createdAt: visit.createdAt, sealedAt: visit.sealedAt, documentsSeen: visit.documentsSeen,
    },
    rows: rows.map((row) => ({
      rowNo: row.rowNo, certNo: row.certNo, name: row.name, gender: row.gender, idText: row.idText, workUnit: row.workUnit, major: row.major, qualification: row.qualification,
      approvedOn: row.approvedOn, approvalDoc: row.approvalDoc, remark: row.remark, verdict: row.verdict, findings: row.findings, acknowledgement: row.acknowledgement,
      sealed: visit.status === 'sealed' && row.sealable,
    })),
    entries: entries.map(printEntry),
    ...recordsOf(ctx.db, entries),
  };
}

interface VisitRecord {
  id: number;
  created_at: string;
  unit: string;
  agent_name: string;
  agent_phone: string;
  certificate_type: string;
  slip_no: string;
  slip_count: number | null;
  slip_signer: string;
  clerk: string;
  purpose: string;
  documents_seen: string;
  sealed_at: string | null;
  refused: number;
}

export function dayPrintData(ctx: ServiceContext, date: string, seqs?: readonly number[]): DayPrintData {
  const entries = entriesFor(ctx.db, { date }, seqs).filter((e) => e.at.startsWith(date));
  const visitIds = [...new Set(entries.filter((e) => e.kind === '签章').map((e) => e.visitId))];
  const visits = visitIds.length === 0 ? [] : (ctx.db.prepare(
    `SELECT v.*, (SELECT count(*) FROM visit_rows r WHERE r.visit_id = v.id AND json_extract(r.sealed_findings, '$.sealed') = 0) AS refused
     FROM visits v WHERE v.id IN (${visitIds.map(() => '?').join(',')}) ORDER BY v.id`,
  ).all(...visitIds) as VisitRecord[]).map((v): VisitFacts & { refused: number } => ({
    id: v.id, unit: v.unit, agentName: v.agent_name, agentPhone: v.agent_phone, certificateType: v.certificate_type, slipNo: v.slip_no, slipCount: v.slip_count,
    slipSigner: v.slip_signer, clerk: v.clerk, purpose: v.purpose, createdAt: v.created_at, sealedAt: v.sealed_at, documentsSeen: JSON.parse(v.documents_seen) as string[], refused: v.refused,
  }));
  const lastSeq = entries[entries.length - 1]?.seq ?? 0;
  // The batches closed that day over what this summary covers: one closed later does not change a printed summary.
  const batches = ctx.db.prepare('SELECT batch_no AS batchNo, first_seq AS firstSeq, last_seq AS lastSeq, entry_count AS entryCount, created_at AS createdAt FROM batches WHERE created_at >= ? AND created_at < ? AND last_seq <= ? ORDER BY batch_no')
    .all(date, `${date}\uffff`, lastSeq) as BatchFacts[];
  return { officeName: loadSettings(ctx.db).officeName, date, entries: entries.map(printEntry), ...recordsOf(ctx.db, entries), visits, batches };
}

/** The entries' canonical bytes exactly as the register stores them, in sequence order. */
export function storedCanonicals(db: Db, seqs: readonly number[]): { seq: number; canonical: Buffer }[] {
  if (seqs.length === 0) return [];
  const wanted = new Set(seqs);
  return (db.prepare('SELECT seq, canonical FROM register_entries WHERE seq BETWEEN ? AND ? ORDER BY seq').all(seqs[0], seqs[seqs.length - 1]) as { seq: number; canonical: Buffer }[])
    .filter((row) => wanted.has(row.seq));
}

export function requireSealedVisit(data: VisitPrintData): void {
  if (data.visit.sealedAt === null || data.entries.length === 0) throw new UserError(`第 ${data.visit.id} 号办证还没有签章登记，无可打印的内容。`);
}
