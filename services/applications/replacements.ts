import { checkReplacement, needingConfirmation, blocking, type ReplacementLookups } from '../../core/applications/replacements';
import type { ReplacementFiled, ReplacementReturned, ReplacementSent } from '../../core/applications/records';
import { nextWindow, type WindowOccurrence } from '../../core/applications/windows';
import type { ApplicationFinding } from '../../core/applications/terms';
import type { Response } from '../../core/contract';
import type { ApplicationsRequest, ReplacementView } from '../../core/contract/applications';
import { UserError } from '../../core/errors';
import { checkIdNumber } from '../../core/verify/idNumber';
import { normalizeCode } from '../../core/verify/text';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';
import { writeToRegister } from '../register/integrity';
import { loadSettings } from '../settings/settings';
import { supervisorConfirmation } from './approval';
import { barOn, closingSealing, ledgerOriginal, openReplacementApplication, revokedQualification, voidedWithoutLedger } from './lookups';
import { actor, appendApplicationEntry, nextApplicationNo, recordsOfEvent, type StoredRecord } from './store';

type Input = ApplicationsRequest<'replacements.check'>;

function lookups(ctx: ServiceContext): ReplacementLookups {
  const today = ctx.clock.date();
  return {
    today,
    original: (certNo) => ledgerOriginal(ctx.db, certNo),
    voidedWithoutLedger: (certNo) => voidedWithoutLedger(ctx.db, certNo),
    openApplication: (certNo) => openReplacementApplication(ctx.db, certNo),
    revoked: (idNumber, qualification) => revokedQualification(ctx.db, idNumber, qualification),
    bar: (idNumber) => barOn(ctx.db, idNumber, today),
  };
}

/** The input as it is kept: numbers normalised as the ledger writes them. */
function normalised(input: Input): Input {
  const id = checkIdNumber(input.person.idNumber, '9999-12-31');
  return {
    ...input,
    person: { ...input.person, idNumber: id.ok ? id.id : normalizeCode(input.person.idNumber), name: input.person.name.replace(/\s/g, '') },
    original: { ...input.original, certNo: normalizeCode(input.original.certNo) },
    lossNotice: input.replacementKind === '补办' ? input.lossNotice : null,
    damage: input.replacementKind === '换发' ? input.damage : null,
  };
}

export function checkReplacementApplication(ctx: ServiceContext, request: Input): Response<'replacements.check'> {
  const input = normalised(request);
  const settings = loadSettings(ctx.db).applications;
  const windowed = settings.windowedTypes.includes(input.original.certificateType);
  return { findings: checkReplacement(input, settings, lookups(ctx)), windowed, window: windowed ? nextWindow(ctx.clock.date(), settings.windows) : null };
}

function refusal(findings: readonly ApplicationFinding[]): UserError {
  return new UserError(`申请未受理：${findings.map((f) => f.message).join('')}`);
}

/**
 * Records a replacement as one register entry: checked again inside the register's transaction,
 * so two clerks cannot both take an application for the same original.
 */
export async function addReplacement(ctx: ServiceContext, request: ApplicationsRequest<'replacements.add'>): Promise<ReplacementView> {
  const { approval, ...raw } = request;
  const input = normalised(raw);
  const settings = loadSettings(ctx.db).applications;
  // The supervisor's password is checked before the register's transaction, which cannot wait for
  // scrypt; inside it the findings are checked again and must be those the supervisor confirmed.
  const before = checkReplacement(input, settings, lookups(ctx));
  if (blocking(before).length > 0) throw refusal(blocking(before));
  const confirmation = needingConfirmation(before).length > 0 ? await supervisorConfirmation(ctx, approval, needingConfirmation(before)) : null;
  const appNo = writeToRegister(ctx, '补换申请', () => {
    const findings = checkReplacement(input, settings, lookups(ctx));
    const errors = blocking(findings);
    if (errors.length > 0) throw refusal(errors);
    const warnings = needingConfirmation(findings);
    const unconfirmed = warnings.filter((w) => !confirmation?.codes.includes(w.code));
    if (unconfirmed.length > 0) throw new UserError(`须经审核人确认后才能受理：${unconfirmed.map((w) => w.message).join('')}请审核人核实后填写确认理由。`);
    const ledger = ledgerOriginal(ctx.db, input.original.certNo);
    const filedAt = ctx.clock.timestamp();
    const record: ReplacementFiled = {
      kind: 'application',
      event: 'replacement-filed',
      appNo: nextApplicationNo(ctx.db, '补换', filedAt.slice(0, 4)),
      replacementKind: input.replacementKind,
      channel: input.channel,
      submittedBy: input.channel === '单位汇总' ? input.submittedBy : '',
      person: input.person,
      original: input.original,
      originEntrySeq: ledger?.entrySeq ?? null,
      lossNotice: input.lossNotice,
      damage: input.damage,
      materials: [...input.materials],
      confirmation,
      windowed: settings.windowedTypes.includes(input.original.certificateType),
      note: input.note,
      filedAt,
      clerk: actor(ctx),
    };
    appendApplicationEntry(ctx, {
      kind: '补换申请',
      unit: record.submittedBy || record.person.workUnit,
      agentName: record.person.name,
      agentPhone: record.person.phone,
      purpose: `${record.replacementKind}申请 ${record.appNo}：${record.person.name} ${record.original.qualification}（原证书 ${record.original.certNo}）`,
      approver: confirmation?.name ?? '',
      remarks: confirmation ? `${warnings.map((w) => w.message).join('')}经审核人${confirmation.name}确认，理由：${confirmation.reason}` : '',
      records: [record],
    });
    return record.appNo;
  });
  return getReplacement(ctx.db, appNo);
}

interface Folded {
  sent: Map<string, StoredRecord<ReplacementSent>>;
  returned: Map<string, StoredRecord<ReplacementReturned>>;
}

function fold(db: Db): Folded {
  const sent = new Map<string, StoredRecord<ReplacementSent>>();
  for (const s of recordsOfEvent(db, 'replacement-sent')) for (const appNo of s.record.appNos) if (!sent.has(appNo)) sent.set(appNo, s);
  const returned = new Map(recordsOfEvent(db, 'replacement-returned').map((r) => [r.record.appNo, r] as const));
  return { sent, returned };
}

function toView(db: Db, filed: StoredRecord<ReplacementFiled>, folded: Folded): ReplacementView {
  const r = filed.record;
  const sent = folded.sent.get(r.appNo);
  const returned = folded.returned.get(r.appNo);
  const closed = returned ? null : closingSealing(db, filed);
  const status = returned ? '已退回' : closed ? '已办结' : sent ? '已报送' : r.windowed ? '待报送' : '待签章';
  return {
    appNo: r.appNo, entrySeq: filed.entrySeq, filedAt: r.filedAt, replacementKind: r.replacementKind, channel: r.channel, submittedBy: r.submittedBy,
    person: r.person, original: r.original, originEntrySeq: r.originEntrySeq, lossNotice: r.lossNotice, damage: r.damage, materials: r.materials,
    confirmation: r.confirmation, windowed: r.windowed, note: r.note, clerk: r.clerk.name, status,
    sent: sent ? { windowKey: sent.record.windowKey, form: sent.record.form, sentAt: sent.record.sentAt, entrySeq: sent.entrySeq } : null,
    returned: returned ? { reason: returned.record.reason, at: returned.record.at, by: returned.record.by } : null,
    closed,
  };
}

export function replacementViews(db: Db): ReplacementView[] {
  const folded = fold(db);
  return recordsOfEvent(db, 'replacement-filed').map((filed) => toView(db, filed, folded));
}

export function getReplacement(db: Db, appNo: string): ReplacementView {
  const filed = recordsOfEvent(db, 'replacement-filed').find((f) => f.record.appNo === appNo.trim());
  if (!filed) throw new UserError(`找不到补办（换发）申请 ${appNo}。`);
  return toView(db, filed, fold(db));
}

export function listReplacements(ctx: ServiceContext, request: ApplicationsRequest<'replacements.list'>): Response<'replacements.list'> {
  const settings = loadSettings(ctx.db).applications;
  const all = replacementViews(ctx.db);
  const query = request.query?.replace(/\s/g, '').toUpperCase();
  const items = all
    .filter((a) => !request.status || a.status === request.status)
    .filter((a) => !query || [a.appNo, a.person.name, a.person.idNumber, a.original.certNo].some((text) => text.toUpperCase().includes(query)))
    .reverse();
  return { items, nextWindow: nextWindow(ctx.clock.date(), settings.windows), waiting: all.filter((a) => a.status === '待报送').length };
}

/** The applications a window's summary takes: named ones, or everything waiting to be sent up. */
export function applicationsForForm(ctx: ServiceContext, appNos: readonly string[] | undefined): { items: ReplacementView[]; window: WindowOccurrence | null } {
  const window = nextWindow(ctx.clock.date(), loadSettings(ctx.db).applications.windows);
  const all = replacementViews(ctx.db);
  if (!appNos) {
    const items = all.filter((a) => a.status === '待报送');
    if (items.length === 0) throw new UserError(`没有等待报送的补办（换发）申请${window ? `（下一批：${window.label}）` : ''}。`);
    return { items, window };
  }
  const byNo = new Map(all.map((a) => [a.appNo, a]));
  const unknown = appNos.filter((n) => !byNo.has(n.trim()));
  if (unknown.length > 0) throw new UserError(`找不到补办（换发）申请 ${unknown.join('、')}。`);
  return { items: appNos.map((n) => byNo.get(n.trim())!), window: null };
}

/** The summary was sent up: the applications it carried wait now for their new certificates. */
export function markSent(ctx: ServiceContext, request: ApplicationsRequest<'replacements.markSent'>): Response<'replacements.markSent'> {
  const window = nextWindow(ctx.clock.date(), loadSettings(ctx.db).applications.windows);
  if (!window) throw new UserError('本窗口的设置中没有报送时间（如每年5月、11月），无需报送。');
  writeToRegister(ctx, '补换报送', () => {
    const views = new Map(replacementViews(ctx.db).map((a) => [a.appNo, a]));
    const problems = request.appNos.map((n) => {
      const a = views.get(n);
      return !a ? `找不到申请 ${n}` : a.status !== '待报送' ? `申请 ${n} 的状态是“${a.status}”，不在待报送之列` : null;
    }).filter((p): p is string => p !== null);
    if (problems.length > 0) throw new UserError(`${problems.join('；')}。未做任何登记。`);
    const record: ReplacementSent = { kind: 'application', event: 'replacement-sent', appNos: [...request.appNos], windowKey: window.key, form: request.form, sentAt: ctx.clock.timestamp(), clerk: actor(ctx) };
    appendApplicationEntry(ctx, {
      kind: '补换报送', unit: loadSettings(ctx.db).officeName, agentName: '', agentPhone: '', approver: '', remarks: '',
      purpose: `${window.label}：报送补办（换发）申请 ${request.appNos.length} 件（${request.form}）`,
      records: [record],
    });
  });
  return { window, items: request.appNos.map((n) => getReplacement(ctx.db, n)) };
}

/** A supervisor sends an application back (materials found wanting, withdrawn): the original is free for a new one. */
export function returnReplacement(ctx: ServiceContext, request: ApplicationsRequest<'replacements.return'>): ReplacementView {
  writeToRegister(ctx, '补换退回', () => {
    const view = getReplacement(ctx.db, request.appNo);
    if (view.status === '已办结' || view.status === '已退回') throw new UserError(`申请 ${view.appNo} 已${view.status === '已办结' ? '办结' : '退回'}，不能退回。`);
    const record: ReplacementReturned = { kind: 'application', event: 'replacement-returned', appNo: view.appNo, reason: request.reason, at: ctx.clock.timestamp(), by: actor(ctx) };
    appendApplicationEntry(ctx, {
      kind: '补换退回', unit: view.submittedBy || view.person.workUnit, agentName: view.person.name, agentPhone: view.person.phone, approver: record.by.name,
      purpose: `退回${view.replacementKind}申请 ${view.appNo}`, remarks: `退回理由：${request.reason}`, records: [record],
    });
  });
  return getReplacement(ctx.db, request.appNo);
}

export function lookupOriginal(ctx: ServiceContext, certNo: string): Response<'replacements.lookupOriginal'> {
  const ledger = ledgerOriginal(ctx.db, normalizeCode(certNo));
  if (!ledger) return { ledger: null, approved: null };
  const approved = ctx.db.prepare(
    `SELECT p.gender, p.work_unit AS workUnit, p.major, p.level, p.approved_on AS approvedOn, p.approval_doc AS approvalDoc, l.certificate_type AS certificateType
     FROM approved_people p JOIN approved_lists l ON l.id = p.list_id WHERE p.id_number = ? AND p.qualification = ? ORDER BY p.id DESC LIMIT 1`,
  ).get(ledger.idNumber, ledger.qualification) as Response<'replacements.lookupOriginal'>['approved'] | undefined;
  return {
    ledger: { certNo: ledger.certNo, idNumber: ledger.idNumber, name: ledger.name, qualification: ledger.qualification, approvalDoc: ledger.approvalDoc, sealedAt: ledger.sealedAt, unit: ledger.unit, entrySeq: ledger.entrySeq, voided: ledger.voidedBy !== null },
    approved: approved ?? null,
  };
}
