import { offCounterReason } from '../../core/verify/calendar';
import { SENIOR_CERTIFICATE, type CertificateType } from '../../core/verify/certificateTypes';
import { COUNTER_DOCUMENTS, type CounterDocument, type Request, type Response, type Visit, type VisitDetail, type VisitRow } from '../../core/contract';
import { UserError } from '../../core/errors';
import type { ApprovedRow, LedgerCertificate, RowVerification, VerificationContext } from '../../core/verify/verifyRoster';
import type { Finding } from '../../core/verify/findings';
import { verdictOf } from '../../core/verify/findings';
import type { ParsedRoster, RosterRow } from '../../core/verify/roster';
import type { Field } from '../../core/verify/columns';
import { sealUsesFor, type Settings } from '../../core/settings/settings';
import { checkSlip, type SlipFinding } from '../../core/verify/slips';
import { normalizeDate, normalizeText } from '../../core/verify/text';
import { verifyRoster } from '../../core/verify/verifyRoster';
import type { Db } from '../../db/database';
import { type ServiceContext } from '../context';
import { approvedByIdLookup, approvedByIdPrefixLookup } from '../lists/lists';
import { loadCalendar, slipLookup } from '../settings/reference';
import { appendRegisterEntries, entryView } from '../register/entries';
import { writeToRegister } from '../register/integrity';
import type { CertificateRecord } from '../../core/register/records';
import { loadSettings } from '../settings/settings';
import { parseRosterFile } from '../files/untrustedFiles';
import { ImportError } from '../../core/files/sheet';
import { visitAmendments, visitDecisionRemarks } from './amendments';
import type { CertificateViewRow } from './ledger';
import { unitRangesFor } from '../stock/balance';
import { replacementApplicationRef, revokedQualification } from '../applications/lookups';
import { recordRosterFile } from '../supervision/rosterFiles';

interface VisitRecord {
  id: number;
  created_at: string;
  unit: string;
  agent_name: string;
  agent_phone: string;
  certificate_type: CertificateType;
  slip_no: string;
  slip_count: number | null;
  slip_signer: string;
  clerk: string;
  purpose: string;
  roster_file: string | null;
  roster_columns: string | null;
  documents_seen: string;
  day_acknowledgement: string | null;
  sealed_at: string | null;
  slip_count_reason: string | null;
  voided_at: string | null;
  voided_by: string | null;
  void_reason: string | null;
  roster_error: string | null;
  roster_error_file: string | null;
}

interface VisitRowRecord {
  line: number;
  row_json: string;
  acknowledgement: string | null;
  sealed_findings: string | null;
}

/** A roster row with what verification found and whether it may be sealed now. */
interface CheckedRow {
  row: RosterRow;
  result: RowVerification;
  acknowledgement: string | null;
  sealable: boolean;
  /** Why the row may not be sealed now; null when it may (and for a sealed visit). */
  blockedBy: string | null;
}

/** A visit checked as of now: its rows, and what stands in the way of sealing it. */
interface CheckedVisit {
  record: VisitRecord;
  rows: CheckedRow[];
  slipFindings: SlipFinding[];
  dayWarning: string | null;
}

const LANGUAGE_COPY: CounterDocument = '外语合格证复印件';

export function createVisit(ctx: ServiceContext, request: Request<'visits.create'>): Visit {
  const id = Number(ctx.db.prepare(
    `INSERT INTO visits (created_at, unit, agent_name, agent_phone, certificate_type, slip_no, slip_count, slip_signer, clerk, purpose)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(ctx.clock.timestamp(), request.unit.trim(), request.agentName.trim(), request.agentPhone.trim(), request.certificateType,
    normalizeText(request.slipNo).toUpperCase(), request.slipCount ?? null, normalizeText(request.slipSigner ?? '').replace(/ /g, ''), ctx.session.requireAccount().displayName,
    request.purpose?.trim() ?? '').lastInsertRowid);
  return getVisitDetail(ctx, id).visit;
}

export function listVisits(ctx: ServiceContext, status?: Visit['status']): Visit[] {
  const where = { open: 'WHERE sealed_at IS NULL AND voided_at IS NULL', sealed: 'WHERE sealed_at IS NOT NULL', voided: 'WHERE voided_at IS NOT NULL', all: '' }[status ?? 'all'];
  const ids = ctx.db.prepare(`SELECT id FROM visits ${where} ORDER BY id DESC LIMIT 200`).pluck().all() as number[];
  return ids.map((id) => getVisitDetail(ctx, id).visit);
}

export async function importRoster(ctx: ServiceContext, visitId: number, fileName: string, bytes: Uint8Array): Promise<VisitDetail> {
  requireOpenVisit(ctx.db, visitId);
  let parsed: Awaited<ReturnType<typeof parseRosterFile>>;
  try {
    parsed = await parseRosterFile(fileName, bytes);
  } catch (error) {
    // Kept on the visit, where the clerk looks, until another file is read; the rows already imported stay.
    if (!(error instanceof ImportError)) throw error;
    requireOpenVisit(ctx.db, visitId);
    ctx.db.prepare('UPDATE visits SET roster_error = ?, roster_error_file = ? WHERE id = ?').run(error.message, fileName, visitId);
    return getVisitDetail(ctx, visitId);
  }
  // The visit may have been sealed while the file was being read.
  const visit = requireOpenVisit(ctx.db, visitId);
  const insert = ctx.db.prepare('INSERT INTO visit_rows (visit_id, line, row_json) VALUES (?, ?, ?)');
  ctx.db.transaction(() => {
    ctx.db.prepare('DELETE FROM visit_rows WHERE visit_id = ?').run(visit.id);
    for (const row of parsed.rows) insert.run(visit.id, row.line, JSON.stringify(row));
    ctx.db.prepare('UPDATE visits SET roster_file = ?, roster_columns = ?, roster_error = NULL, roster_error_file = NULL WHERE id = ?').run(fileName, JSON.stringify(parsed.present), visit.id);
    recordRosterFile(ctx.db, visit.id, fileName, bytes);
  }).immediate();
  return getVisitDetail(ctx, visit.id);
}

/**
 * Acknowledges the warnings of several rows with one reason. LANG_CERT_REQUIRED is not
 * acknowledged: it is cleared only by ticking that the foreign-language certificate copy was seen.
 */
export function acknowledgeWarnings(ctx: ServiceContext, request: Request<'visits.acknowledge'>): VisitDetail {
  requireOpenVisit(ctx.db, request.visitId);
  const byLine = new Map(checkVisit(ctx, request.visitId).rows.map((c) => [c.row.line, c]));
  const problems: string[] = [];
  for (const line of request.lines) {
    const checked = byLine.get(line);
    if (!checked) { problems.push(`名册第 ${line} 行不存在`); continue; }
    const { rowNo } = checked.row;
    if (checked.result.verdict === 'error') problems.push(`序号 ${rowNo} 有错误，不能通过确认放行`);
    else if (!checked.result.findings.some((f) => f.severity === 'warning' && f.code !== 'LANG_CERT_REQUIRED')) {
      problems.push(checked.result.findings.some((f) => f.code === 'LANG_CERT_REQUIRED')
        ? `序号 ${rowNo} 须勾选“${LANGUAGE_COPY}”已查验，不能以确认代替`
        : `序号 ${rowNo} 没有需要确认的警告`);
    }
  }
  if (problems.length > 0) throw new UserError(`${problems.slice(0, 5).join('；')}${problems.length > 5 ? `；等 ${problems.length} 处` : ''}。未做任何确认。`);
  const update = ctx.db.prepare('UPDATE visit_rows SET acknowledgement = ? WHERE visit_id = ? AND line = ?');
  ctx.db.transaction(() => { for (const line of request.lines) update.run(request.reason.trim(), request.visitId, line); })();
  return getVisitDetail(ctx, request.visitId);
}

export function acknowledgeDay(ctx: ServiceContext, request: Request<'visits.acknowledgeDay'>): VisitDetail {
  requireOpenVisit(ctx.db, request.visitId);
  if (!checkVisit(ctx, request.visitId).dayWarning) throw new UserError('今天是办证日，没有需要确认的日期警告。');
  ctx.db.prepare('UPDATE visits SET day_acknowledgement = ? WHERE id = ?').run(request.reason.trim(), request.visitId);
  return getVisitDetail(ctx, request.visitId);
}

export function setDocumentsSeen(ctx: ServiceContext, request: Request<'visits.setDocuments'>): VisitDetail {
  requireOpenVisit(ctx.db, request.visitId);
  const documents = COUNTER_DOCUMENTS.filter((d) => request.documents.includes(d));
  ctx.db.prepare('UPDATE visits SET documents_seen = ? WHERE id = ?').run(JSON.stringify(documents), request.visitId);
  return getVisitDetail(ctx, request.visitId);
}

export function getVisitDetail(ctx: ServiceContext, visitId: number): VisitDetail {
  const checked = checkVisit(ctx, visitId);
  return { visit: toVisit(checked), rows: checked.rows.map(toVisitRow), amendments: visitAmendments(ctx.db, visitId) };
}

/**
 * Seals every row that may be sealed, in one transaction: one register entry per seal and
 * document kind, each chained to the one before, and one ledger line per certificate. The rows
 * are verified again inside the transaction, so nothing sealed since the screen was drawn slips by.
 */
export function sealVisit(ctx: ServiceContext, visitId: number): Response<'visits.seal'> {
  const settings = loadSettings(ctx.db);
  return writeToRegister(ctx, '签章', () => {
    const visit = requireOpenVisit(ctx.db, visitId);
    const { rows, slipFindings, dayWarning } = checkVisit(ctx, visitId);
    if (rows.length === 0) throw new UserError('本次办证还没有导入发证名册。');
    const sealable = rows.filter((r) => r.sealable);
    if (sealable.length === 0) {
      const alreadySealed = rows.filter((r) => r.result.findings.some((f) => f.code === 'ALREADY_SEALED')).length;
      throw new UserError(alreadySealed > 0
        ? `没有可签章的行：其中 ${alreadySealed} 行已签章过（ALREADY_SEALED），不能重复签章。`
        : '没有可签章的行：请先处理名册中的错误，或确认警告。');
    }
    if (slipFindings.length > 0) throw new UserError(`签章凭条未通过核验，不能签章：${slipFindings.map((f) => f.message).join('')}`);
    if (dayWarning && !visit.day_acknowledgement) throw new UserError(`${dayWarning}。如确需今天办理，请先确认并填写理由。`);
    const at = ctx.clock.timestamp();
    const uses = sealUsesFor(settings, visit.certificate_type, at.slice(0, 10));
    if (uses.length === 0) throw new UserError(`设置中没有适用于“${visit.certificate_type}”的有效印章，无法登记。`);
    if (uses.some((u) => u.seal.requiresSlip) && !visit.slip_no) {
      throw new UserError(`${visit.certificate_type}须凭签章凭条签章，请先填写签章凭条编号。`);
    }
    const docs = [...new Set(sealable.map((r) => r.result.matchedDoc).filter((d): d is string => d != null))];
    const purpose = visit.purpose || `${visit.certificate_type}签章${docs.length > 0 ? `（${docs.join('、')}）` : ''}`;

    const clerk = ctx.session.requireAccount();
    // The ledger's certificates are bound into the first 证书 entry of this sealing (or its first entry).
    const certificateUse = uses.findIndex((u) => u.documentKind === '证书');
    const certificates: CertificateRecord[] = sealable.map(({ row, result }) => ({
      kind: 'certificate', certNo: row.certNo, idNumber: result.idNumber!, name: row.name, qualification: row.qualification,
      approvalDoc: result.matchedDoc ?? row.approvalDoc, unit: visit.unit, visitId: visit.id, sealedAt: at, reissue: result.replaces !== null, replacesCertNo: result.replaces,
    }));
    const entries = appendRegisterEntries(ctx, uses.map(({ seal, documentKind }, index) => ({
      at,
      kind: '签章' as const,
      correctsSeq: null,
      sealId: seal.id,
      sealName: seal.name,
      sealKind: seal.kind,
      documentKind,
      count: sealable.length,
      unit: visit.unit,
      agentName: visit.agent_name,
      agentPhone: visit.agent_phone,
      slipNo: visit.slip_no,
      purpose,
      clerk: clerk.displayName,
      clerkAccount: clerk.username,
      approver: visit.slip_signer,
      signMethod: '纸质登记表签字',
      remarks: sealingRemarks(ctx.db, visit, sealable),
      visitId: visit.id,
      records: index === Math.max(certificateUse, 0) ? certificates : [],
    })));

    const keepFindings = ctx.db.prepare('UPDATE visit_rows SET sealed_findings = ? WHERE visit_id = ? AND line = ?');
    const sealedRows = rows.map(({ row, result, acknowledgement, sealable: wasSealed }) => {
      const kept: KeptFindings = { findings: result.findings, sealed: wasSealed };
      keepFindings.run(JSON.stringify(kept), visit.id, row.line);
      return sealedRow(row, acknowledgement, kept);
    });
    ctx.db.prepare('UPDATE visits SET sealed_at = ?, purpose = ? WHERE id = ?').run(at, purpose, visit.id);
    // The visit as visits.get now gives it, built from what was just written rather than read back
    // and parsed again (a tenth of the time of sealing 5,000 rows).
    const sealedRecord: VisitRecord = { ...visit, sealed_at: at, purpose };
    return { visit: toVisit(sealedVisit(sealedRecord, sealedRows)), sealedCount: sealable.length, entries: entries.map((e) => entryView(e)) };
  });
}

function requireVisit(db: Db, visitId: number): VisitRecord {
  const visit = db.prepare('SELECT * FROM visits WHERE id = ?').get(visitId) as VisitRecord | undefined;
  if (!visit) throw new UserError(`找不到第 ${visitId} 号办证记录。`);
  return visit;
}

export function requireOpenVisit(db: Db, visitId: number): VisitRecord {
  const visit = requireVisit(db, visitId);
  if (visit.sealed_at) throw new UserError(`第 ${visitId} 号办证已于 ${visit.sealed_at.replace('T', ' ').slice(0, 16)} 签章完毕，不能再修改或重复签章。`);
  if (visit.voided_at) throw new UserError(`第 ${visitId} 号办证已于 ${visit.voided_at.replace('T', ' ').slice(0, 16)} 由${visit.voided_by ?? ''}作废（${visit.void_reason ?? ''}），不能再办理；请新建办证。`);
  return visit;
}

function checkVisit(ctx: ServiceContext, visitId: number): CheckedVisit {
  const record = requireVisit(ctx.db, visitId);
  const stored = ctx.db.prepare('SELECT line, row_json, acknowledgement, sealed_findings FROM visit_rows WHERE visit_id = ? ORDER BY line').all(visitId) as VisitRowRecord[];
  const rosterRows = stored.map((s) => JSON.parse(s.row_json) as RosterRow);
  // A dropped visit is no longer checked either: its rows stay as the unit's file gave them.
  if (record.sealed_at || record.voided_at) {
    return sealedVisit(record, stored.map((s, i) => sealedRow(rosterRows[i]!, s.acknowledgement, JSON.parse(s.sealed_findings ?? '{"findings":[],"sealed":false}') as KeptFindings)));
  }
  const settings = loadSettings(ctx.db);
  const present = JSON.parse(record.roster_columns ?? '[]') as Field[];
  const documents = JSON.parse(record.documents_seen) as CounterDocument[];
  const results = verifyRoster(rosterRows, present, {
    ...verificationContext(ctx, settings.certNoRules[record.certificate_type] ?? null),
    numberRanges: unitRangesFor(ctx.db, record.unit, record.certificate_type, Number(ctx.clock.date().slice(0, 4))),
  });
  const rows = results.map((result, i): CheckedRow => {
    const acknowledgement = stored[i]!.acknowledgement;
    const blockedBy = rowBlockedBy(result, acknowledgement, documents);
    return { row: rosterRows[i]!, result, acknowledgement, sealable: blockedBy === null, blockedBy };
  });
  const today = ctx.clock.date();
  return {
    record,
    rows,
    slipFindings: slipFindingsFor(ctx, settings, record, today, rows.length === 0 ? null : rows.filter((r) => r.sealable).length),
    dayWarning: record.certificate_type === SENIOR_CERTIFICATE ? offCounterReason(today, loadCalendar(ctx.db), settings.counterWeekdays) : null,
  };
}

/** What a row keeps once its visit is sealed (visit_rows.sealed_findings). */
interface KeptFindings {
  findings: Finding[];
  sealed: boolean;
}

/** A sealed visit's row: the findings as they were at sealing, and whether it was sealed. */
function sealedRow(row: RosterRow, acknowledgement: string | null, kept: KeptFindings): CheckedRow {
  return { row, acknowledgement, sealable: kept.sealed, blockedBy: null, result: { rowNo: row.rowNo, findings: kept.findings, verdict: verdictOf(kept.findings), matchedDoc: null, replaces: null, idNumber: null } };
}

/** A sealed visit is no longer checked: no slip or day findings, the rows as kept. */
function sealedVisit(record: VisitRecord, rows: CheckedRow[]): CheckedVisit {
  return { record, slipFindings: [], dayWarning: null, rows };
}

function rowBlockedBy(result: RowVerification, acknowledgement: string | null, documents: readonly CounterDocument[]): string | null {
  if (result.verdict === 'error') return '有错误，不能签章';
  const warnings = result.findings.filter((f) => f.severity === 'warning');
  if (warnings.some((f) => f.code === 'LANG_CERT_REQUIRED') && !documents.includes(LANGUAGE_COPY)) return `须查验并勾选“${LANGUAGE_COPY}”`;
  if (warnings.some((f) => f.code !== 'LANG_CERT_REQUIRED') && acknowledgement == null) return '警告须经确认并填写理由';
  return null;
}

/** Only certificate types sealed with a slip-only seal are checked against the slip. */
function slipFindingsFor(ctx: ServiceContext, settings: Settings, visit: VisitRecord, today: string, rowsToSeal: number | null): SlipFinding[] {
  const needsSlip = sealUsesFor(settings, visit.certificate_type, today).some((use) => use.seal.requiresSlip);
  if (!needsSlip) return [];
  const findings = checkSlip(
    { date: today, unit: visit.unit, slipNo: visit.slip_no, countOnSlip: visit.slip_count, rowsToSeal: rowsToSeal ?? 0, signer: visit.slip_signer },
    slipLookup(ctx.db, visit.id),
  );
  // Before the roster is in, there is nothing yet to compare the count on the slip with; fewer rows
  // than the slip names no longer blocks once the clerk has said why.
  if (rowsToSeal === null) return findings.filter((f) => f.code !== 'SLIP_COUNT_MISMATCH');
  return findings.filter((f) => !(f.code === 'SLIP_COUNT_MISMATCH' && f.severity === 'warning' && visit.slip_count_reason));
}

/** What the register keeps of the clerk's decisions on this sealing. */
function sealingRemarks(db: Db, visit: VisitRecord, sealed: CheckedRow[]): string {
  const parts: string[] = visitDecisionRemarks(db, visit, sealed.length);
  if (visit.day_acknowledgement) parts.push(`非办证日办理，理由：${visit.day_acknowledgement}`);
  const documents = JSON.parse(visit.documents_seen) as string[];
  if (documents.length > 0) parts.push(`已查验：${documents.join('、')}`);
  const byReason = new Map<string, number[]>();
  for (const { row, acknowledgement } of sealed) {
    if (acknowledgement) byReason.set(acknowledgement, [...(byReason.get(acknowledgement) ?? []), row.rowNo]);
  }
  for (const [reason, rowNos] of byReason) parts.push(`序号 ${rowNos.join('、')} 的警告经确认，理由：${reason}`);
  return parts.join('；');
}

export function verificationContext(ctx: ServiceContext, certNoRule: VerificationContext['certNoRule']): VerificationContext {
  const byNo = ctx.db.prepare(
    `SELECT c.*, EXISTS (SELECT 1 FROM certificates v WHERE v.replaces_cert_no = c.cert_no) AS voided
     FROM certificates c WHERE c.cert_no = ? ORDER BY c.id DESC LIMIT 1`,
  );
  const byPerson = ctx.db.prepare(
    `SELECT c.*, 0 AS voided FROM certificates c
     WHERE c.id_number = ? AND c.qualification = ?
       AND NOT EXISTS (SELECT 1 FROM certificates v WHERE v.replaces_cert_no = c.cert_no)
     ORDER BY c.id DESC LIMIT 1`,
  );
  const toLedger = (r: LedgerRecord | undefined): LedgerCertificate | undefined => r && {
    certNo: r.cert_no, idNumber: r.id_number, name: r.name, qualification: r.qualification,
    sealedAt: r.sealed_at.replace('T', ' ').slice(0, 16), unit: r.unit, voided: r.voided === 1,
  };
  return {
    today: ctx.clock.date(),
    certNoRule,
    approvedById: approvedByIdLookup(ctx.db),
    approvedByIdPrefix: approvedByIdPrefixLookup(ctx.db),
    sealedFor: (idNumber, qualification) => toLedger(byPerson.get(idNumber, normalizeText(qualification)) as LedgerRecord | undefined),
    certificate: (certNo) => toLedger(byNo.get(certNo) as LedgerRecord | undefined),
    revokedFor: (idNumber, qualification) => revokedQualification(ctx.db, idNumber, qualification),
    replacementApplication: (certNo) => replacementApplicationRef(ctx.db, certNo),
  };
}

type LedgerRecord = Pick<CertificateViewRow, 'cert_no' | 'id_number' | 'name' | 'qualification' | 'sealed_at' | 'unit'> & { voided: number };

function toVisit({ record, rows, slipFindings, dayWarning }: CheckedVisit): Visit {
  const count = (verdict: string) => rows.filter((r) => r.result.verdict === verdict).length;
  return {
    id: record.id,
    createdAt: record.created_at,
    unit: record.unit,
    agentName: record.agent_name,
    agentPhone: record.agent_phone,
    certificateType: record.certificate_type,
    slipNo: record.slip_no,
    slipCount: record.slip_count,
    slipSigner: record.slip_signer,
    slipFindings,
    clerk: record.clerk,
    purpose: record.purpose,
    rosterFile: record.roster_file,
    documentsSeen: JSON.parse(record.documents_seen) as CounterDocument[],
    dayWarning,
    dayAcknowledgement: record.day_acknowledgement,
    status: record.sealed_at ? 'sealed' : record.voided_at ? 'voided' : 'open',
    sealedAt: record.sealed_at,
    slipCountReason: record.slip_count_reason,
    voided: record.voided_at ? { at: record.voided_at, by: record.voided_by ?? '', reason: record.void_reason ?? '' } : null,
    rosterError: record.roster_error ? { fileName: record.roster_error_file ?? '', message: record.roster_error } : null,
    counts: { total: rows.length, pass: count('pass'), warning: count('warning'), error: count('error'), sealable: rows.filter((r) => r.sealable).length },
  };
}

function toVisitRow({ row, result, acknowledgement, sealable, blockedBy }: CheckedRow): VisitRow {
  const approvedOn = row.approvedOn == null ? '' : normalizeDate(row.approvedOn) ?? String(row.approvedOn);
  return {
    rowNo: row.rowNo,
    line: row.line,
    certNo: row.certNo,
    name: row.name,
    gender: row.gender,
    idText: row.idRaw == null ? '' : String(row.idRaw),
    workUnit: row.workUnit,
    major: row.major,
    qualification: row.qualification,
    approvedOn,
    approvalDoc: row.approvalDoc,
    remark: row.remark,
    verdict: result.verdict,
    findings: result.findings,
    acknowledgement,
    sealable,
    blockedBy,
  };
}

/**
 * Verifies a roster file against everything imported, as a visit would, without starting one.
 * The certificate type decides the number rule; when not given, it is the type of the lists the
 * roster's people were approved in.
 */
export async function verifyRosterFile(ctx: ServiceContext, fileName: string, bytes: Uint8Array, certificateType?: CertificateType): Promise<RowVerification[]> {
  return verifyParsedRoster(ctx, await parseRosterFile(fileName, bytes), certificateType);
}

/** verifyRosterFile for a roster already read (a 预审 keeps the rows beside their results). */
export function verifyParsedRoster(ctx: ServiceContext, parsed: ParsedRoster, certificateType?: CertificateType): RowVerification[] {
  const settings = loadSettings(ctx.db);
  const ruleFor = (type: CertificateType | undefined) => (type ? settings.certNoRules[type] ?? null : null);
  if (certificateType) return verifyRoster(parsed.rows, parsed.present, verificationContext(ctx, ruleFor(certificateType)));
  // The type only needs the list each row matches, which depends on neither the ledger nor the number
  // rule: a first pass without ledger lookups finds it, and its approved-list lookups are reused by
  // the pass that counts. (Two full passes were half the time of verifying a 5,000-row roster.)
  const context = verificationContext(ctx, null);
  const approved = new Map<string, readonly ApprovedRow[]>();
  const approvedById = (idNumber: string) => {
    let rows = approved.get(idNumber);
    if (!rows) approved.set(idNumber, rows = context.approvedById(idNumber));
    return rows;
  };
  const matches = verifyRoster(parsed.rows, parsed.present, { ...context, approvedById, sealedFor: () => undefined, certificate: () => undefined });
  const typeOfDoc = new Map((ctx.db.prepare('SELECT approval_doc, certificate_type FROM approved_lists').raw().all() as [string, CertificateType][]));
  const types = matches.map((r) => r.matchedDoc && typeOfDoc.get(r.matchedDoc)).filter((t): t is CertificateType => !!t);
  const inferred = mostFrequent(types);
  return verifyRoster(parsed.rows, parsed.present, { ...context, certNoRule: ruleFor(inferred), approvedById });
}

function mostFrequent<T>(items: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
