import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formDocument, type FormApplication, type FormDocument } from '../../core/applications/forms';
import { formPdfDocument } from '../../core/applications/formPdf';
import type { Response } from '../../core/contract';
import type { ApplicationsRequest, ReplacementView } from '../../core/contract/applications';
import { wallClockMinutes } from '../../core/time';
import type { ServiceContext } from '../context';
import { renderPdf } from '../print/pdf';
import { loadSettings } from '../settings/settings';
import { applicationsForForm } from './replacements';
import { formWorkbook } from './xlsx';

function formApplication(view: ReplacementView): FormApplication {
  return { appNo: view.appNo, replacementKind: view.replacementKind, person: view.person, original: view.original, lossNotice: view.lossNotice, damage: view.damage, newCertNo: view.closed?.certNo ?? '' };
}

function documentFor(ctx: ServiceContext, request: ApplicationsRequest<'replacements.export'>): { doc: FormDocument; rowCount: number; window: Response<'replacements.export'>['window'] } {
  const { items, window } = applicationsForForm(ctx, request.appNos);
  const doc = formDocument(request.form, items.map(formApplication), { officeName: loadSettings(ctx.db).officeName, windowLabel: window?.label ?? '', madeOn: ctx.clock.date() });
  return { doc, rowCount: items.length, window };
}

const safeName = (stem: string) => stem.replace(/[\\/:*?"<>|]/g, '_');

export async function exportForm(ctx: ServiceContext, request: ApplicationsRequest<'replacements.export'>): Promise<Response<'replacements.export'>> {
  const { doc, rowCount, window } = documentFor(ctx, request);
  const bytes = await formWorkbook(doc, ctx.clock.now());
  return { fileName: `${safeName(doc.fileStem)}.xlsx`, dataBase64: bytes.toString('base64'), rowCount, window };
}

export async function printForm(ctx: ServiceContext, request: ApplicationsRequest<'replacements.print'>): Promise<Response<'replacements.print'>> {
  const { doc, rowCount } = documentFor(ctx, request);
  const pdf = await renderPdf(formPdfDocument(doc, wallClockMinutes(ctx.clock.timestamp())));
  mkdirSync(ctx.printsDir, { recursive: true });
  const fileName = `${safeName(doc.fileStem)}.pdf`;
  const path = join(ctx.printsDir, fileName);
  writeFileSync(path, pdf);
  return { fileName, path, pdfBase64: pdf.toString('base64'), rowCount };
}
