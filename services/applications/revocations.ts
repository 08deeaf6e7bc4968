import type { Revocation, RevocationLifted } from '../../core/applications/records';
import { parseRevocationList, revocationKey, type RevocationEntry } from '../../core/applications/revocations';
import type { Response } from '../../core/contract';
import type { ApplicationsRequest, RevocationView } from '../../core/contract/applications';
import { UserError } from '../../core/errors';
import type { RevocationsPublication } from '../../core/hub/publication';
import { checkIdNumber, ID_PROBLEM_TEXT } from '../../core/verify/idNumber';
import { normalizeName } from '../../core/verify/text';
import type { ServiceContext } from '../context';
import { writeToRegister } from '../register/integrity';
import { loadSettings } from '../settings/settings';
import { revocationsOf } from './lookups';
import { appendApplicationEntry, recordsOfEvent } from './store';

/**
 * The revocations (取消资格, DOMAIN.md §14) this counter checks every roster row and application
 * against: recorded here, imported from a list, or applied from the province's signed
 * publication. Each is a record of a 取消资格 entry; nothing is ever taken out, a revocation the
 * province withdraws is lifted by a record of its own.
 */
function revocationRecord(entry: RevocationEntry, hubVersion: number | null): Revocation {
  return { kind: 'application', event: 'revocation', ...entry, hubVersion };
}

/** Revocations in force, by key: what a new list or publication is compared with. */
function activeRevocations(ctx: ServiceContext): Map<string, Revocation> {
  const active = new Map<string, Revocation>();
  const people = new Set(recordsOfEvent(ctx.db, 'revocation').map((r) => r.record.idNumber));
  for (const idNumber of people) {
    for (const { record, lifted } of revocationsOf(ctx.db, idNumber)) if (!lifted) active.set(revocationKey(record), record);
  }
  return active;
}

/** Who records what the sync applies while nobody may be signed in at the counter. */
const PROVINCE = { account: '', name: '省级中心发布' };

function appendRevocations(ctx: ServiceContext, records: (Revocation | RevocationLifted)[], purpose: string, by?: { account: string; name: string }): void {
  appendApplicationEntry(ctx, { kind: '取消资格', unit: loadSettings(ctx.db).officeName, agentName: '', agentPhone: '', approver: '', remarks: '', purpose, records }, by);
}

export function importRevocations(ctx: ServiceContext, fileName: string, bytes: Uint8Array): Response<'revocations.import'> {
  const settings = loadSettings(ctx.db).applications;
  const entries = parseRevocationList(fileName, bytes, ctx.clock.date(), settings.revocationBarYears);
  return writeToRegister(ctx, '取消资格', () => {
    const active = activeRevocations(ctx);
    const fresh = new Map<string, RevocationEntry>();
    for (const entry of entries) if (!active.has(revocationKey(entry))) fresh.set(revocationKey(entry), entry);
    if (fresh.size > 0) appendRevocations(ctx, [...fresh.values()].map((e) => revocationRecord(e, null)), `导入取消资格名单“${fileName}”：${fresh.size} 人`);
    return { added: fresh.size, alreadyRecorded: entries.length - fresh.size, total: entries.length };
  });
}

export function addRevocation(ctx: ServiceContext, request: ApplicationsRequest<'revocations.add'>): RevocationView {
  const today = ctx.clock.date();
  const id = checkIdNumber(request.idNumber, today);
  if (!id.ok) throw new UserError(`身份证号码“${id.shown}”${ID_PROBLEM_TEXT[id.problem]}。`);
  if (request.revokedOn > today) throw new UserError(`取消日期 ${request.revokedOn} 晚于今天（${today}）。`);
  if (request.barUntil && request.barUntil < request.revokedOn) throw new UserError(`限制截止日期 ${request.barUntil} 早于取消日期 ${request.revokedOn}。`);
  const entry: RevocationEntry = { idNumber: id.id, name: normalizeName(request.name), qualification: request.qualification, document: request.document, revokedOn: request.revokedOn, barUntil: request.barUntil, reason: request.reason };
  writeToRegister(ctx, '取消资格', () => {
    if (activeRevocations(ctx).has(revocationKey(entry))) throw new UserError(`${entry.name}（${entry.idNumber}）的“${entry.qualification}”已依 ${entry.document} 登记为取消资格。`);
    appendRevocations(ctx, [revocationRecord(entry, null)], `登记取消资格：${entry.name} ${entry.qualification}（${entry.document}）`);
  });
  return listRevocations(ctx, { query: id.id }).items.find((r) => revocationKey(r) === revocationKey(entry))!;
}

export function listRevocations(ctx: ServiceContext, request: ApplicationsRequest<'revocations.list'>): Response<'revocations.list'> {
  const query = request.query?.replace(/\s/g, '').toUpperCase();
  const people = [...new Set(recordsOfEvent(ctx.db, 'revocation').map((r) => r.record.idNumber))];
  const items: RevocationView[] = people.flatMap((idNumber) => revocationsOf(ctx.db, idNumber).map(({ entrySeq, record, lifted }) => ({
    idNumber: record.idNumber, name: record.name, qualification: record.qualification, document: record.document, revokedOn: record.revokedOn,
    barUntil: record.barUntil, reason: record.reason, source: record.hubVersion === null ? '本窗口' : `省级中心第 ${record.hubVersion} 版`, entrySeq, lifted,
  })));
  return {
    items: items
      .filter((r) => !query || [r.name, r.idNumber, r.qualification, r.document].some((text) => text.toUpperCase().includes(query)))
      .sort((a, b) => b.entrySeq - a.entrySeq),
  };
}

/**
 * The province's list (a publication, the whole current set): revocations it adds are recorded
 * with its version, those it no longer carries — and that came from it — are lifted. Revocations
 * recorded at this counter stay whatever the province publishes. The version is noted with the
 * same commit, so a publication is applied once.
 */
export function applyPublishedRevocations(ctx: ServiceContext, publication: RevocationsPublication, noteApplied: () => void): void {
  writeToRegister(ctx, '取消资格', () => {
    const active = activeRevocations(ctx);
    const published = new Map(publication.payload.revocations.map((r) => [revocationKey(r), r] as const));
    const added = [...published].filter(([key]) => !active.has(key)).map(([, r]) => revocationRecord(r, publication.version));
    const lifted: RevocationLifted[] = [...active].filter(([key, r]) => r.hubVersion !== null && !published.has(key))
      .map(([, r]) => ({ kind: 'application', event: 'revocation-lifted', idNumber: r.idNumber, qualification: r.qualification, document: r.document, hubVersion: publication.version }));
    if (added.length + lifted.length > 0) {
      appendRevocations(ctx, [...added, ...lifted], `省级中心发布的取消资格名单第 ${publication.version} 版：新增 ${added.length} 人${lifted.length > 0 ? `，撤销 ${lifted.length} 人` : ''}`, PROVINCE);
    }
    noteApplied();
  });
}
