import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors';
import { daySummarySheet } from '../../core/print/daySummary';
import type { AgentSignature } from '../../core/print/inputs';
import { entriesDigestOf, PRINT_FORM_TITLE, seqRangesLabel, sheetDigestOf, signProof, type PrintForm, type PrintScope, type SignedPrintProof } from '../../core/print/proof';
import { registerSheet } from '../../core/print/registerSheet';
import { sheetCanonical, type PrintedSheet } from '../../core/print/sheet';
import { receiptSheet, returnsSheet, rosterSheet } from '../../core/print/visitForms';
import type { ServiceContext } from '../context';
import { isTrainingDb } from '../settings/reference';
import { sheetPdf } from './pdf';
import { qrPngDataUrl } from './qr';
import { dayPrintData, requireSealedVisit, storedCanonicals, visitPrintData } from './sources';

/** Which scope each form is printed for. */
export const FORM_SCOPES: Record<PrintForm, readonly ('visit' | 'date')[]> = {
  'register-sheet': ['visit', 'date'],
  roster: ['visit'],
  returns: ['visit'],
  receipt: ['visit'],
  'day-summary': ['date'],
};

export interface BuiltSheet {
  sheet: PrintedSheet;
  seqs: number[];
  images: Record<string, string>;
}

export const dateSubtitle = (date: string) => {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
};

const proofCaption = (workstationId: string, seqs: readonly number[]) => `工作站 ${workstationId}，${seqRangesLabel(seqs)}`;

const signatureImages = (signatures: readonly AgentSignature[]) => Object.fromEntries(signatures.map((s) => [s.pngSha256, `data:image/png;base64,${s.pngBase64}`]));

/**
 * The sheet a form shows, as of now or (for a verifier) restricted to the entries a proof names.
 * `workstationId` is the one whose caption the sheet carries: the printing workstation's.
 */
export function buildSheet(ctx: ServiceContext, form: PrintForm, scope: PrintScope, workstationId: string, seqs?: readonly number[]): BuiltSheet {
  const built = sheetOf(ctx, form, scope, workstationId, seqs);
  return isTrainingDb(ctx.db) ? { ...built, sheet: { ...built.sheet, training: true } } : built;
}

function sheetOf(ctx: ServiceContext, form: PrintForm, scope: PrintScope, workstationId: string, seqs?: readonly number[]): BuiltSheet {
  const scopeKind = 'visitId' in scope ? 'visit' : 'date';
  if (!FORM_SCOPES[form].includes(scopeKind)) {
    throw new UserError(`${PRINT_FORM_TITLE[form]}按${FORM_SCOPES[form].map((s) => (s === 'visit' ? '办证' : '日期')).join('或')}打印，不能按${scopeKind === 'visit' ? '办证' : '日期'}打印。`);
  }
  if ('date' in scope) {
    const data = dayPrintData(ctx, scope.date, seqs);
    const covered = data.entries.map((e) => e.seq);
    const caption = proofCaption(workstationId, covered);
    const sheet = form === 'day-summary'
      ? daySummarySheet(data, dateSubtitle(scope.date), caption)
      : registerSheet({ officeName: data.officeName, scope, subtitle: dateSubtitle(scope.date), entries: data.entries, signatures: data.signatures, slipCounts: new Map(data.visits.map((v) => [v.id, v.slipCount])), proofCaption: caption });
    return { sheet, seqs: covered, images: signatureImages(data.signatures) };
  }
  const data = visitPrintData(ctx, scope.visitId, seqs);
  if (form === 'returns') {
    if (data.rows.length === 0) throw new UserError(`第 ${scope.visitId} 号办证还没有导入发证名册，没有退回清单。`);
  } else if (seqs === undefined) {
    requireSealedVisit(data);
  }
  const covered = data.entries.map((e) => e.seq);
  const caption = proofCaption(workstationId, covered);
  const subtitle = `第 ${data.visit.id} 号办证：${data.visit.unit}`;
  const sheet = form === 'register-sheet'
    ? registerSheet({ officeName: data.officeName, scope, subtitle, entries: data.entries, signatures: data.signatures, slipCounts: new Map([[data.visit.id, data.visit.slipCount]]), proofCaption: caption })
    : form === 'roster' ? rosterSheet(data, caption)
    : form === 'returns' ? returnsSheet(data, caption)
    : receiptSheet(data, caption);
  return { sheet, seqs: covered, images: signatureImages(data.signatures) };
}

/** The proof for a sheet, signed with this workstation's key. */
export function proofFor(ctx: ServiceContext, form: PrintForm, scope: PrintScope, built: BuiltSheet): SignedPrintProof {
  return signProof({
    workstationId: ctx.workstation.id,
    form,
    scope,
    seqs: built.seqs,
    entriesDigest: entriesDigestOf(storedCanonicals(ctx.db, built.seqs).map((row) => row.canonical)),
    sheetDigest: sheetDigestOf(sheetCanonical(built.sheet)),
  }, ctx.workstation.sign);
}

export interface PrintedForm {
  fileName: string;
  path: string;
  pdf: Buffer;
  entryCount: number;
  rowCount: number;
  proof: SignedPrintProof;
}

/** Prints a form as a PDF into the prints folder, with the QR that proves it. */
export async function printForm(ctx: ServiceContext, form: PrintForm, scope: PrintScope): Promise<PrintedForm> {
  const built = buildSheet(ctx, form, scope, ctx.workstation.id);
  const proof = proofFor(ctx, form, scope, built);
  const pdf = await sheetPdf({
    sheet: built.sheet,
    qrPng: await qrPngDataUrl(proof.text),
    images: built.images,
    printedAt: ctx.clock.timestamp().replace('T', ' ').slice(0, 16),
    createdAt: ctx.clock.now(),
  });
  mkdirSync(ctx.printsDir, { recursive: true });
  const fileName = `${PRINT_FORM_TITLE[form]}-${'visitId' in scope ? `办证${scope.visitId}` : scope.date}.pdf`;
  const path = join(ctx.printsDir, fileName);
  writeFileSync(path, pdf);
  const rowCount = built.sheet.parts.reduce((sum, part) => sum + (part.kind === 'table' ? part.rows.length : 0), 0);
  return { fileName, path, pdf, entryCount: built.seqs.length, rowCount, proof };
}

