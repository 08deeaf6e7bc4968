import { wallClockMinutes } from '../time';
import { asClauses } from '../verify/text';
import type { AgentSignature, PrintEntry } from './inputs';
import type { PrintScope } from './proof';
import type { PrintedSheet, SheetCell, SheetColumn, SheetRow } from './sheet';

/**
 * 印章使用登记表 (DOMAIN.md §7): the paper the visiting unit's agent signs, for a visit or a day.
 * It lays out what the register holds: one row per entry with the clerk's confirmations, the
 * documents seen, the slip's count and corrections in 备注, the agent's signature where it was
 * drawn on screen, and a totals line per seal and document kind.
 */
export const REGISTER_SHEET_TITLE = '印章使用登记表';

export const NO_ENTRIES_TEXT = '无登记记录';

/** Tall enough for a handwritten signature, which is what the sheet is printed for. */
export const SIGNATURE_ROW_HEIGHT = 28;

export const SCREEN_SIGNATURE_CAPTION = '屏幕手写签字';

export interface RegisterSheetInput {
  officeName: string;
  scope: PrintScope;
  /** What this sheet covers, e.g. "2026年11月22日" or "第 12 号办证：成都市人力资源和社会保障局". */
  subtitle: string;
  entries: readonly PrintEntry[];
  signatures: readonly AgentSignature[];
  /** The number written on each visit's slip, where one was: 备注 shows a difference from what was sealed. */
  slipCounts: ReadonlyMap<number, number | null>;
  proofCaption: string;
}

const COLUMNS: readonly SheetColumn[] = [
  { title: '序号', width: 22, align: 'center' },
  { title: '日期时间', width: 48, align: 'center' },
  { title: '印章名称', width: 70 },
  { title: '用印文件', width: 28, align: 'center' },
  { title: '数量', width: 24, align: 'center' },
  { title: '用章单位', width: 80 },
  { title: '事由', width: 72 },
  { title: '凭条编号', width: 52, align: 'center' },
  { title: '审批人', width: 34, align: 'center' },
  { title: '窗口经办人', width: 40, align: 'center' },
  { title: '经办人及电话', width: 54, align: 'center' },
  { title: '备注', width: '*' },
  { title: '经办人签字', width: 86, align: 'center' },
];

export function registerSheet(input: RegisterSheetInput): PrintedSheet {
  const signatureFor = new Map<number, AgentSignature>();
  for (const signature of input.signatures) {
    for (const seq of [...signature.signs, signature.entrySeq]) signatureFor.set(seq, signature);
  }
  const correctedBy = new Map<number, number[]>();
  for (const entry of input.entries) {
    if (entry.kind === '更正' && entry.correctsSeq !== null) correctedBy.set(entry.correctsSeq, [...(correctedBy.get(entry.correctsSeq) ?? []), entry.seq]);
  }
  const rows: SheetRow[] = input.entries.map((entry) => ({
    label: `第 ${entry.seq} 号登记`,
    cells: [
      String(entry.seq),
      wallClockMinutes(entry.at),
      entry.kind === '签字' ? '—' : `${entry.sealName}（${entry.sealKind}）`,
      entry.kind === '签字' ? '—' : entry.documentKind,
      entry.kind === '签字' ? '—' : String(entry.count),
      entry.unit,
      entry.purpose,
      entry.slipNo,
      entry.approver,
      entry.clerk,
      [entry.agentName, entry.agentPhone].filter((part) => part !== '').join(' '),
      remarksOf(entry, correctedBy.get(entry.seq) ?? [], input.slipCounts.get(entry.visitId) ?? null),
      signatureCell(signatureFor.get(entry.seq)),
    ],
  }));
  const totals = totalsOf(input.entries);
  for (const total of totals) {
    rows.push({ label: `合计行“${total.seal} ${total.documentKind}”`, bold: true, cells: ['', '合计', total.seal, total.documentKind, String(total.count), '', '', '', '', '', '', `共 ${total.entries} 条登记`, ''] });
  }
  return {
    form: 'register-sheet',
    scope: input.scope,
    officeName: input.officeName,
    title: REGISTER_SHEET_TITLE,
    subtitle: input.subtitle,
    orientation: 'landscape',
    parts: [{ kind: 'table', columns: [...COLUMNS], rows, empty: NO_ENTRIES_TEXT, minRowHeight: SIGNATURE_ROW_HEIGHT }],
    proofCaption: input.proofCaption,
  };
}

function signatureCell(signature: AgentSignature | undefined): SheetCell {
  return signature ? { text: `${signature.agentName} ${SCREEN_SIGNATURE_CAPTION}`, image: signature.pngSha256 } : '';
}

function remarksOf(entry: PrintEntry, corrections: readonly number[], slipCount: number | null): string {
  const parts: string[] = [];
  if (entry.remarks) parts.push(entry.remarks);
  if (entry.kind === '签章' && slipCount !== null && slipCount !== entry.count) parts.push(`凭条所列 ${slipCount} 本，实际签章 ${entry.count} 本，相差 ${slipCount - entry.count} 本`);
  if (corrections.length > 0) parts.push(`已由第 ${corrections.join('、')} 号更正`);
  return asClauses(parts);
}

/** Totals per seal and document kind of what was sealed; a 更正 replaces the count of the entry it corrects. */
export function totalsOf(entries: readonly PrintEntry[]): { seal: string; documentKind: string; count: number; entries: number }[] {
  const effective = new Map<number, PrintEntry>();
  for (const entry of entries) {
    if (entry.kind === '签章') effective.set(entry.seq, entry);
    else if (entry.kind === '更正' && entry.correctsSeq !== null && effective.has(entry.correctsSeq)) effective.set(entry.correctsSeq, entry);
  }
  const totals = new Map<string, { seal: string; documentKind: string; count: number; entries: number }>();
  for (const entry of effective.values()) {
    const seal = `${entry.sealName}（${entry.sealKind}）`;
    const key = `${seal}\u0000${entry.documentKind}`;
    const total = totals.get(key) ?? { seal, documentKind: entry.documentKind, count: 0, entries: 0 };
    total.count += entry.count;
    total.entries += 1;
    totals.set(key, total);
  }
  return [...totals.values()];
}
