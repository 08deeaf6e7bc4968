import type { ApplicationEvent, ApplicationRecord } from '../../core/applications/records';
import type { NewEntry } from '../register/entries';
import { appendRegisterEntries } from '../register/entries';
import type { HashedRegisterEntry } from '../../core/register/entries';
import type { ApplicationEntryKind } from '../../core/register/terms';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';

/**
 * The applications as the register holds them: records of kind 'application' bound into their
 * entries (db/migrations/007-applications.ts). Nothing is kept beside the register, so what
 * 校验登记簿 checks is all there is; a state is folded from the records each time it is asked for.
 */
export interface StoredRecord<R extends ApplicationRecord = ApplicationRecord> {
  id: number;
  entrySeq: number;
  record: R;
}

type RecordOf<E extends ApplicationEvent> = Extract<ApplicationRecord, { event: E }>;

export function recordsOfEvent<E extends ApplicationEvent>(db: Db, event: E): StoredRecord<RecordOf<E>>[] {
  const rows = db.prepare('SELECT id, entry_seq, record FROM application_records WHERE event = ? ORDER BY id').raw().all(event) as [number, number, string][];
  return rows.map(([id, entrySeq, record]) => ({ id, entrySeq, record: JSON.parse(record) as RecordOf<E> }));
}

export function recordsOfApplication(db: Db, appNo: string): StoredRecord[] {
  const rows = db.prepare('SELECT id, entry_seq, record FROM application_records WHERE app_no = ? ORDER BY id').raw().all(appNo) as [number, number, string][];
  return rows.map(([id, entrySeq, record]) => ({ id, entrySeq, record: JSON.parse(record) as ApplicationRecord }));
}

/** The next number of its kind this year on this workstation: 补换2026-0001, 确认2026-0001. */
export function nextApplicationNo(db: Db, prefix: '补换' | '确认', year: string): string {
  const taken = db.prepare("SELECT count(*) FROM application_records WHERE app_no LIKE ? AND event IN ('replacement-filed', 'confirmation-filed')").pluck().get(`${prefix}${year}-%`) as number;
  return `${prefix}${year}-${String(taken + 1).padStart(4, '0')}`;
}

/** What an application's entry says in the register's own columns; its details are the records. */
export interface ApplicationEntry {
  kind: ApplicationEntryKind;
  unit: string;
  agentName: string;
  agentPhone: string;
  purpose: string;
  approver: string;
  remarks: string;
  records: ApplicationRecord[];
}

/**
 * Appends one application entry; the caller runs it inside writeToRegister. The entry names the
 * signed-in clerk, or `by` where no one at the counter did it (a publication applied by the sync).
 */
export function appendApplicationEntry(ctx: ServiceContext, entry: ApplicationEntry, by: { account: string; name: string } = actor(ctx)): HashedRegisterEntry {
  const fields: NewEntry = {
    at: ctx.clock.timestamp(),
    kind: entry.kind,
    correctsSeq: null,
    sealId: '',
    sealName: '',
    sealKind: '',
    documentKind: '',
    count: entry.records.length,
    unit: entry.unit,
    agentName: entry.agentName,
    agentPhone: entry.agentPhone,
    slipNo: '',
    purpose: entry.purpose,
    clerk: by.name,
    clerkAccount: by.account,
    approver: entry.approver,
    signMethod: '',
    remarks: entry.remarks,
    // Applications belong to no visit.
    visitId: 0,
    records: entry.records,
  };
  return appendRegisterEntries(ctx, [fields])[0]!;
}

export function actor(ctx: ServiceContext): { account: string; name: string } {
  const account = ctx.session.requireAccount();
  return { account: account.username, name: account.displayName };
}
