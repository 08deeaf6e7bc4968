import { VISIT_FIELD_LABEL, type VisitDetail, type VisitMendable } from '../../core/contract';
import type { Db } from '../../db/database';

interface AmendmentRecord {
  at: string;
  clerk: string;
  changes_json: string;
  reason: string;
}

export interface FieldChange {
  field: VisitMendable;
  before: string;
  after: string;
}

export function visitAmendments(db: Db, visitId: number): VisitDetail['amendments'] {
  const records = db.prepare('SELECT at, clerk, changes_json, reason FROM visit_amendments WHERE visit_id = ? ORDER BY id').all(visitId) as AmendmentRecord[];
  return records.map((r) => ({ at: r.at, clerk: r.clerk, reason: r.reason, changes: JSON.parse(r.changes_json) as FieldChange[] }));
}

export function describeChange(change: FieldChange): string {
  return `${VISIT_FIELD_LABEL[change.field]}由“${change.before || '（空）'}”改为“${change.after || '（空）'}”`;
}

/**
 * The clerk's decisions on the visit itself that the register entry must carry in its remarks: the
 * changes made before sealing with their reasons, and why fewer certificates than the slip names
 * were sealed. (Row confirmations and documents seen are added by the sealing itself.)
 */
export function visitDecisionRemarks(db: Db, visit: { id: number; slip_count: number | null; slip_count_reason: string | null }, sealedCount: number): string[] {
  const parts = visitAmendments(db, visit.id).map((a) => `办证信息修改：${a.changes.map(describeChange).join('，')}，理由：${a.reason}`);
  if (visit.slip_count !== null && sealedCount < visit.slip_count && visit.slip_count_reason) {
    parts.push(`凭条 ${visit.slip_count} 本，签章 ${sealedCount} 本，理由：${visit.slip_count_reason}`);
  }
  return parts;
}
