import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfirmation, falseMaterialsBar, recognitionKindOf, recognitionNumber, type ConfirmationLookups } from '../../core/applications/confirmations';
import type { ConfirmationDecided, ConfirmationFiled, RecognitionSealed } from '../../core/applications/records';
import { recognitionDocument } from '../../core/applications/recognitionDocument';
import { REFUSAL_REASON_TEXT, type ApplicationFinding } from '../../core/applications/terms';
import type { Response } from '../../core/contract';
import type { ApplicationsRequest, ConfirmationView } from '../../core/contract/applications';
import { UserError } from '../../core/errors';
import { wallClockMinutes } from '../../core/time';
import { checkIdNumber } from '../../core/verify/idNumber';
import { normalizeCode, normalizeName } from '../../core/verify/text';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';
import { renderPdf } from '../print/pdf';
import { appendRegisterEntries } from '../register/entries';
import { writeToRegister } from '../register/integrity';
import { loadSettings } from '../settings/settings';
import { barOn, confirmationsOf, decisionOf, revokedQualification } from './lookups';
import { actor, appendApplicationEntry, nextApplicationNo, recordsOfApplication, recordsOfEvent, type StoredRecord } from './store';

type Input = ApplicationsRequest<'confirmations.check'>;

function normalised(input: Input): Input {
  const id = checkIdNumber(input.person.idNumber, '9999-12-31');
  return { ...input, person: { ...input.person, idNumber: id.ok ? id.id : normalizeCode(input.person.idNumber), name: normalizeName(input.person.name) } };
}

function lookups(ctx: ServiceContext): ConfirmationLookups {
  const today = ctx.clock.date();
  return {
    today,
    revoked: (idNumber, qualification) => revokedQualification(ctx.db, idNumber, qualification),
    bar: (idNumber) => barOn(ctx.db, idNumber, today),
    existing: (idNumber, qualification) => {
      const earlier = confirmationsOf(ctx.db, idNumber)
        .filter(({ record }) => normalizeName(record.title.qualification) === normalizeName(qualification))
        .map((filed) => toView(ctx.db, filed))
        .find((v) => v.status === '待审核' || v.status === '已确认');
      return earlier && { appNo: earlier.appNo, status: earlier.status };
    },
  };
}

export function checkConfirmationApplication(ctx: ServiceContext, request: Input): Response<'confirmations.check'> {
  return checkConfirmation(normalised(request), loadSettings(ctx.db).applications, lookups(ctx));
}

function refusal(findings: readonly ApplicationFinding[]): UserError {
  return new UserError(`确认申请未受理：${findings.map((f) => f.message).join('')}`);
}

/** Records the application; a national-exam title is answered 无需确认 in the same entry. */
export function addConfirmation(ctx: ServiceContext, request: Input): ConfirmationView {
  const input = normalised(request);
  const settings = loadSettings(ctx.db).applications;
  const appNo = writeToRegister(ctx, '确认申请', () => {
    const check = checkConfirmation(input, settings, lookups(ctx));
    const errors = check.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) throw refusal(errors);
    const filedAt = ctx.clock.timestamp();
    const record: ConfirmationFiled = {
      kind: 'application',
      event: 'confirmation-filed',
      appNo: nextApplicationNo(ctx.db, '确认', filedAt.slice(0, 4)),
      person: input.person,
      title: input.title,
      conditions: input.conditions,
      arrival: input.arrival,
      materials: [...input.materials],
      competentBody: check.competentBody,
      answer: check.answer,
      note: input.note,
      filedAt,
      clerk: actor(ctx),
    };
    appendApplicationEntry(ctx, {
      kind: '确认申请',
      unit: record.person.workUnit,
      agentName: record.person.name,
      agentPhone: record.person.phone,
      purpose: `省外证书确认申请 ${record.appNo}：${record.person.name} ${record.title.qualification}（${record.title.obtainedIn}）${check.answer ? `，${check.answer}` : ''}`,
      approver: '',
      remarks: check.answer ? '全国统一考试取得的资格证书无需确认，当场答复。' : '',
      records: [record],
    });
    return record.appNo;
  });
  return getConfirmation(ctx.db, appNo);
}

function sealingOf(db: Db, appNo: string): StoredRecord<RecognitionSealed> | undefined {
  return recordsOfApplication(db, appNo).find((r): r is StoredRecord<RecognitionSealed> => r.record.event === 'recognition-sealed');
}

function toView(db: Db, filed: StoredRecord<ConfirmationFiled>): ConfirmationView {
  const r = filed.record;
  const decided = decisionOf(db, r.appNo);
  const sealed = sealingOf(db, r.appNo);
  const d = decided?.record;
  return {
    appNo: r.appNo, entrySeq: filed.entrySeq, filedAt: r.filedAt, person: r.person, title: r.title, conditions: r.conditions, arrival: r.arrival,
    materials: r.materials, competentBody: r.competentBody, note: r.note, clerk: r.clerk.name,
    status: r.answer ?? (d ? (d.decision === '确认' ? '已确认' : '不予确认') : '待审核'),
    decision: d ? {
      decision: d.decision, reason: d.reason, reasonText: d.reason ? REFUSAL_REASON_TEXT[d.reason] : '', falseMaterials: d.falseMaterials, note: d.note,
      decidedOn: d.decidedOn, at: d.at, by: d.by, entrySeq: decided.entrySeq, recognition: d.recognition, bar: d.bar,
    } : null,
    sealing: sealed ? { entrySeq: sealed.entrySeq, at: sealed.record.sealedAt } : null,
  };
}

export function getConfirmation(db: Db, appNo: string): ConfirmationView {
  const filed = recordsOfApplication(db, appNo.trim()).find((r): r is StoredRecord<ConfirmationFiled> => r.record.event === 'confirmation-filed');
  if (!filed) throw new UserError(`找不到确认申请 ${appNo}。`);
  return toView(db, filed);
}

export function listConfirmations(ctx: ServiceContext, request: ApplicationsRequest<'confirmations.list'>): Response<'confirmations.list'> {
  const query = request.query?.replace(/\s/g, '').toUpperCase();
  const items = recordsOfEvent(ctx.db, 'confirmation-filed').map((filed) => toView(ctx.db, filed))
    .filter((c) => !request.status || c.status === request.status)
    .filter((c) => !query || [c.appNo, c.person.name, c.person.idNumber, c.title.qualification].some((text) => text.toUpperCase().includes(query)))
    .reverse();
  return { items };
}

/**
 * A supervisor's decision, with its date: a confirmation numbers the 认定书 of its kind for the
 * year of the decision; a refusal names one of the four grounds, and false materials bar the
 * person from the next year on.
 */
export function decideConfirmation(ctx: ServiceContext, request: ApplicationsRequest<'confirmations.decide'>): ConfirmationView {
  const settings = loadSettings(ctx.db).applications;
  writeToRegister(ctx, '确认决定', () => {
    const view = getConfirmation(ctx.db, request.appNo);
    if (view.status !== '待审核') throw new UserError(`确认申请 ${view.appNo} 的状态是“${view.status}”，不能再作决定。`);
    const today = ctx.clock.date();
    if (request.decidedOn > today) throw new UserError(`决定日期 ${request.decidedOn} 晚于今天（${today}）。`);
    if (request.decidedOn < view.filedAt.slice(0, 10)) throw new UserError(`决定日期 ${request.decidedOn} 早于受理日期 ${view.filedAt.slice(0, 10)}。`);
    const confirm = request.decision === '确认';
    if (confirm && request.reason) throw new UserError('予以确认时不应选择不予确认的理由。');
    if (!confirm && !request.reason) throw new UserError('不予确认须选择理由（四种情形之一）。');
    if (request.falseMaterials && request.reason !== '材料不完整或不真实') throw new UserError('“提交虚假材料”只能与理由“材料不完整或不真实”一同选择。');
    const kind = recognitionKindOf(view.title.level);
    const year = Number(request.decidedOn.slice(0, 4));
    const issued = recordsOfEvent(ctx.db, 'confirmation-decided').filter((d) => d.record.recognition?.kind === kind && d.record.decidedOn.startsWith(`${year}-`)).length;
    const template = kind === '高级职称认定书' ? settings.confirmation.seniorNumber : settings.confirmation.intermediateJuniorNumber;
    const record: ConfirmationDecided = {
      kind: 'application',
      event: 'confirmation-decided',
      appNo: view.appNo,
      decision: request.decision,
      reason: request.reason,
      falseMaterials: request.falseMaterials,
      note: request.note,
      decidedOn: request.decidedOn,
      at: ctx.clock.timestamp(),
      by: actor(ctx),
      recognition: confirm ? { kind, number: recognitionNumber(template, year, issued + 1) } : null,
      bar: request.falseMaterials ? falseMaterialsBar(view.filedAt.slice(0, 10), settings.confirmation.falseMaterialsBarYears) : null,
    };
    appendApplicationEntry(ctx, {
      kind: '确认决定',
      unit: view.person.workUnit,
      agentName: view.person.name,
      agentPhone: view.person.phone,
      purpose: confirm
        ? `确认申请 ${view.appNo}：予以确认，${kind} ${record.recognition!.number}`
        : `确认申请 ${view.appNo}：不予确认（${REFUSAL_REASON_TEXT[request.reason!]}）`,
      approver: record.by.name,
      remarks: [`${request.decidedOn} 决定`, request.note, record.bar ? `提交虚假材料，${record.bar.from} 至 ${record.bar.until} 不得申报专业技术资格` : ''].filter(Boolean).join('；'),
      records: [record],
    });
  });
  return getConfirmation(ctx.db, request.appNo);
}

function requireConfirmed(view: ConfirmationView): NonNullable<NonNullable<ConfirmationView['decision']>['recognition']> {
  if (view.status !== '已确认' || !view.decision?.recognition) throw new UserError(`确认申请 ${view.appNo} 的状态是“${view.status}”，没有认定书可打印或盖章。`);
  return view.decision.recognition;
}

export async function printRecognition(ctx: ServiceContext, appNo: string): Promise<Response<'confirmations.print'>> {
  const view = getConfirmation(ctx.db, appNo);
  const recognition = requireConfirmed(view);
  const settings = loadSettings(ctx.db);
  const pdf = await renderPdf(recognitionDocument({
    kind: recognition.kind, number: recognition.number, officeName: settings.officeName, person: view.person, title: view.title,
    decidedOn: view.decision!.decidedOn, printedAt: wallClockMinutes(ctx.clock.timestamp()),
  }));
  mkdirSync(ctx.printsDir, { recursive: true });
  const fileName = `${recognition.kind}-${recognition.number}-${view.person.name}.pdf`.replace(/[\\/:*?"<>|]/g, '_');
  const path = join(ctx.printsDir, fileName);
  writeFileSync(path, pdf);
  return { fileName, path, pdfBase64: pdf.toString('base64') };
}

/** The printed 认定书 sealed with the office's seal: one register entry, like any sealing, with the 认定书 as its ledger line. */
export function sealRecognition(ctx: ServiceContext, request: ApplicationsRequest<'confirmations.seal'>): ConfirmationView {
  const settings = loadSettings(ctx.db);
  const seal = settings.applications.confirmation.seal;
  writeToRegister(ctx, '签章', () => {
    const view = getConfirmation(ctx.db, request.appNo);
    const recognition = requireConfirmed(view);
    if (view.sealing) throw new UserError(`${recognition.kind} ${recognition.number} 已于 ${wallClockMinutes(view.sealing.at)} 盖章（第 ${view.sealing.entrySeq} 号登记），不能重复盖章。`);
    const clerk = ctx.session.requireAccount();
    const at = ctx.clock.timestamp();
    const record: RecognitionSealed = {
      kind: 'application', event: 'recognition-sealed', appNo: view.appNo, recognitionKind: recognition.kind, number: recognition.number,
      idNumber: view.person.idNumber, name: view.person.name, qualification: view.title.qualification, originalDate: view.title.obtainedOn, sealedAt: at,
    };
    appendRegisterEntries(ctx, [{
      at, kind: '签章', correctsSeq: null, sealId: seal.id, sealName: seal.name, sealKind: seal.kind, documentKind: '认定书', count: 1,
      unit: view.person.workUnit, agentName: request.agentName, agentPhone: request.agentPhone, slipNo: '',
      purpose: `${recognition.kind} ${recognition.number} 签章（${view.person.name}，确认申请 ${view.appNo}）`,
      clerk: clerk.displayName, clerkAccount: clerk.username, approver: view.decision!.by.name, signMethod: '纸质登记表签字', remarks: '',
      visitId: 0, records: [record],
    }]);
  });
  return getConfirmation(ctx.db, request.appNo);
}
