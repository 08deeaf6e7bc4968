/**
 * The forms the counter prints, by name: plain data, so that the renderer (through the contract)
 * can name them without pulling in the proof's hashing and signing, which need Node's crypto.
 */
export const PRINT_FORMS = ['register-sheet', 'roster', 'returns', 'receipt', 'day-summary'] as const;
export type PrintForm = (typeof PRINT_FORMS)[number];

export const PRINT_FORM_TITLE: Record<PrintForm, string> = {
  'register-sheet': '印章使用登记表',
  roster: '核验后的发证名册',
  returns: '退回清单',
  receipt: '签章回执',
  'day-summary': '当日汇总',
};

export type PrintScope = { visitId: number } | { date: string };
