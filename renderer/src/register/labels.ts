import type { RegisterEntryView, Request, Response } from '../../../core/contract';

type ChainProblem = Extract<Response<'register.verify'>, { intact: false }>['firstBreak']['problem'];

/** What went wrong where the chain breaks, in the words a supervisor reports it with. */
export const PROBLEM_LABEL: Record<ChainProblem, string> = {
  changed: '改动',
  missing: '缺失',
  'out-of-order': '顺序被调换',
  inserted: '插入',
  'broken-link': '链条断开',
  ledger: '证书台账不符',
  unsigned: '签名不符',
};

export type Changes = Request<'register.correct'>['changes'];
export type CorrectableField = keyof Changes & keyof RegisterEntryView;

/** The fields a 更正 may restate, in the register's column order. The seal and the document kind are facts of the sealing itself. */
export const CORRECTABLE_FIELDS: { field: CorrectableField; label: string }[] = [
  { field: 'count', label: '数量' },
  { field: 'unit', label: '用章单位' },
  { field: 'agentName', label: '经办人' },
  { field: 'agentPhone', label: '经办人电话' },
  { field: 'slipNo', label: '凭条编号' },
  { field: 'purpose', label: '事由' },
  { field: 'approver', label: '审批人' },
  { field: 'signMethod', label: '签字方式' },
];

export interface FieldChange {
  label: string;
  from: string;
  to: string;
}

/** What a 更正 entry restates differently from the entry it corrects. */
export function correctionChanges(original: RegisterEntryView, correction: RegisterEntryView): FieldChange[] {
  return CORRECTABLE_FIELDS.filter(({ field }) => original[field] !== correction[field]).map(({ field, label }) => ({
    label,
    from: String(original[field]) || '（空）',
    to: String(correction[field]) || '（空）',
  }));
}

export function describeChanges(changes: FieldChange[]): string {
  return changes.map((c) => `${c.label} ${c.from} → ${c.to}`).join('；');
}

/** The reason a 更正 gives: its remarks read "更正第 N 号登记：<理由>". */
export function correctionReason(correction: RegisterEntryView): string {
  return correction.remarks.replace(/^更正第 \d+ 号登记[:：]\s*/, '');
}
