import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from '../../core/contract';
import { UserError } from '../../core/errors';
import type { RegisterSheetEntry } from '../../core/register/registerSheet';
import type { ServiceContext } from '../context';
import { registerEntriesOf } from '../register/entries';
import { isTrainingDb } from '../settings/reference';
import { loadSettings } from '../settings/settings';
import { registerSheetPdf } from './pdf';

export async function printRegisterSheet(ctx: ServiceContext, request: Request<'print.registerSheet'>): Promise<Response<'print.registerSheet'>> {
  const settings = loadSettings(ctx.db);
  const records = registerEntriesOf(ctx.db, request);
  let subtitle: string;
  let fileStem: string;
  if ('visitId' in request) {
    if (records.length === 0) throw new UserError(`第 ${request.visitId} 号办证还没有签章登记，无可打印的登记表。`);
    subtitle = `第 ${request.visitId} 号办证：${records[0]!.unit}`;
    fileStem = `印章使用登记表-办证${request.visitId}`;
  } else {
    const [year, month, day] = request.date.split('-').map(Number);
    subtitle = `${year}年${month}月${day}日`;
    fileStem = `印章使用登记表-${request.date}`;
  }
  const entries: RegisterSheetEntry[] = records.map((r) => ({
    seq: r.seq, at: r.at, sealName: r.sealName, sealKind: r.sealKind, documentKind: r.documentKind, count: r.count, unit: r.unit,
    purpose: r.purpose, slipNo: r.slipNo, approver: r.approver, clerk: r.clerk, agentName: r.agentName, agentPhone: r.agentPhone, remarks: r.remarks,
  }));
  const pdf = await registerSheetPdf({ officeName: settings.officeName, subtitle, printedAt: ctx.clock.timestamp().replace('T', ' ').slice(0, 16), entries, training: isTrainingDb(ctx.db) });
  mkdirSync(ctx.printsDir, { recursive: true });
  const fileName = `${fileStem}.pdf`;
  const path = join(ctx.printsDir, fileName);
  writeFileSync(path, pdf);
  return { fileName, path, pdfBase64: pdf.toString('base64'), entryCount: entries.length };
}
