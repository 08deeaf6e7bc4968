import { canonicalJson, type JsonValue } from '../register/canonicalJson';
import type { PrintForm, PrintScope } from './proof';

/**
 * What a printed form shows, as data: every form is built as one of these first and rendered from
 * it (core/print/layout.ts), so that the same description is what the QR's sheet digest covers,
 * what the PDF carries for a verifier, and what a verifier compares a page's text with.
 */
export type SheetCell = string | { text: string; /** SHA-256 (hex) of a PNG the cell shows above its text: the agent's signature. */ image: string };

export interface SheetColumn {
  title: string;
  /** Points; '*' takes what is left. */
  width: number | '*';
  align?: 'left' | 'center' | 'right';
}

export interface SheetRow {
  /** How a sentence names the row, e.g. 第 12 号登记 or 序号 3. */
  label: string;
  cells: SheetCell[];
  /** A totals row. */
  bold?: boolean;
}

export type SheetPart =
  /** Label-value lines: unit, agent, slip, … */
  | { kind: 'facts'; items: { label: string; value: string }[] }
  | { kind: 'table'; title?: string; columns: SheetColumn[]; rows: SheetRow[]; empty?: string; minRowHeight?: number }
  | { kind: 'note'; text: string }
  /** Lines that are signed by hand on the paper: 经办人签字：…… */
  | { kind: 'signatures'; items: string[] };

export interface PrintedSheet {
  form: PrintForm;
  scope: PrintScope;
  officeName: string;
  title: string;
  subtitle: string;
  orientation: 'portrait' | 'landscape';
  parts: SheetPart[];
  /** What the caption beside the QR says (the workstation and the entries it proves). */
  proofCaption: string;
  /**
   * Printed from a training database: every page says 培训 across it. Part of what the QR's digest
   * covers, so a practice paper cannot pass for a real one with the mark cleaned off.
   */
  training?: true;
}

export function sheetCanonical(sheet: PrintedSheet): string {
  return canonicalJson(sheet as unknown as JsonValue);
}

export const cellText = (cell: SheetCell): string => (typeof cell === 'string' ? cell : cell.text);

export const FOOTER_NOTE = '本表由签章窗口生成，记录以系统登记簿为准';
export const footerLeft = (printedAt: string) => `打印时间：${printedAt}　　${FOOTER_NOTE}`;
export const pageLabel = (page: number, pages: number) => `第 ${page} 页 / 共 ${pages} 页`;
/** The mark across every page of a paper printed from a training database. */
export const TRAINING_MARK = '培训';
export const PROOF_HINT = '核验本页：在签章窗口扫描二维码，或运行 seal-counter verify-print';

/** A piece of printed text the sheet shows once, in order, and how a sentence names it. */
interface OnceBlock {
  label: string;
  cells: string[];
  /** The column of each cell, for a table row. */
  columns?: string[];
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/** Text that stands on every page: the header and the column titles, which repeat where a page breaks. */
function repeatedTexts(sheet: PrintedSheet): string[] {
  const texts = [sheet.officeName, sheet.title, sheet.subtitle, FOOTER_NOTE, ...(sheet.training ? [TRAINING_MARK] : [])];
  for (const part of sheet.parts) if (part.kind === 'table') texts.push(...part.columns.map((c) => c.title));
  return texts.map(squeeze).filter((t) => t !== '').sort((a, b) => b.length - a.length);
}

/** The footer's time and page numbers differ from print to print and page to page. */
const VARYING = [/打印时间：\d{4}-\d{2}-\d{2}\d{2}:\d{2}/g, /第\d+页\/共\d+页/g];

function onceBlocks(sheet: PrintedSheet): OnceBlock[] {
  const blocks: OnceBlock[] = [];
  for (const part of sheet.parts) {
    switch (part.kind) {
      case 'facts':
        for (const item of part.items) blocks.push({ label: `“${item.label}”`, cells: [`${item.label}：${item.value}`] });
        break;
      case 'table':
        if (part.title) blocks.push({ label: `标题“${part.title}”`, cells: [part.title] });
        if (part.rows.length === 0 && part.empty) blocks.push({ label: '空表说明', cells: [part.empty] });
        for (const row of part.rows) blocks.push({ label: row.label, cells: row.cells.map(cellText), columns: part.columns.map((c) => c.title) });
        break;
      case 'note':
        blocks.push({ label: '说明文字', cells: [part.text] });
        break;
      case 'signatures':
        for (const item of part.items) blocks.push({ label: `签字栏“${item.replace(/[：:].*$/, '')}”`, cells: [item] });
        break;
    }
  }
  blocks.push({ label: '二维码旁的说明', cells: [PROOF_HINT, sheet.proofCaption] });
  return blocks;
}

function leftover(gap: string, repeated: readonly string[]): string {
  let rest = gap;
  for (const pattern of VARYING) rest = rest.replace(pattern, '');
  for (const text of repeated) rest = rest.split(text).join('');
  return rest;
}

const quote = (text: string, max = 40) => `“${text.length > max ? `${text.slice(0, max)}…` : text}”`;

/**
 * Compares the text of a printed page (as a PDF reader extracts it, in drawing order, all pages)
 * with what the sheet says it shows. White space is ignored (a PDF has none between table cells);
 * every piece the sheet prints once must follow the one before, and nothing may stand between
 * them but the page header, the column titles and the footer. Returns null when the page shows
 * exactly the sheet, otherwise one sentence naming the first difference.
 */
export function compareSheetText(sheet: PrintedSheet, pageText: string): string | null {
  const text = squeeze(pageText);
  const repeated = repeatedTexts(sheet);
  for (const heading of [sheet.title, sheet.subtitle]) {
    if (!text.includes(squeeze(heading))) return `本页的标题不是二维码所证明的“${sheet.title} ${sheet.subtitle}”：二维码来自另一张纸，或页面被改动过。`;
  }
  let cursor = 0;
  for (const block of onceBlocks(sheet)) {
    const wanted = block.cells.map(squeeze);
    const at = text.indexOf(wanted.join(''), cursor);
    if (at === -1 || leftover(text.slice(cursor, at), repeated) !== '') return describeMismatch(block, wanted, text, cursor, repeated);
    cursor = at + wanted.join('').length;
  }
  const extra = leftover(text.slice(cursor), repeated);
  return extra === '' ? null : `本页末尾多出了${quote(extra)}，这不是二维码所证明的内容。`;
}

function describeMismatch(block: OnceBlock, wanted: string[], text: string, cursor: number, repeated: readonly string[]): string {
  // How far the block matches where the page goes on: the first cell that does not is the one changed.
  const next = text.slice(cursor);
  for (let matched = wanted.length - 1; matched >= 1; matched--) {
    const prefix = wanted.slice(0, matched).join('');
    const at = next.indexOf(prefix);
    if (at !== -1 && leftover(next.slice(0, at), repeated) === '') {
      const column = block.columns?.[matched];
      const shown = next.slice(at + prefix.length, at + prefix.length + Math.max(wanted[matched]!.length, 1) + 6);
      return `本页的${block.label}与二维码所证明的不符：${column ? `“${column}”一栏` : '其中'}应为${quote(wanted[matched]!)}，本页上是${quote(shown)}。`;
    }
  }
  const at = next.indexOf(wanted.join(''));
  if (at !== -1) return `本页在${block.label}之前多出了${quote(leftover(next.slice(0, at), repeated))}，这不是二维码所证明的内容。`;
  return `本页上没有二维码所证明的${block.label}（应为${quote(wanted.join(' '))}）：页面的文字被改动过，或二维码来自另一张纸。`;
}
