import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from '../../core/contract';
import { UserError } from '../../core/errors';
import type { RegisterSheetEntry } from '../../core/register/registerSheet';
import type { ServiceContext } from '../context';
import type { EntryRecord } from '../register/entries';
import { loadSettings } from '../settings/settings';
import { registerSheetPdf } from './pdf';

export async function printRegisterSheet(ctx: ServiceContext, request: Request<'print.registerSheet'>): Promise<Response<'print.registerSheet'>> {
  const settings = loadSettings(ctx.db);
  let records: EntryRecord[];
  let subtitle: string;
  let fileStem: string;
  if ('visitId' in request) {
    records = ctx.db.prepare('SELECT * FROM register_entries WHERE visit_id = ? ORDER BY seq').all(request.visitId) as EntryRecord[];
    if (records.length === 0) throw new UserError(`第 ${request.visitId} 号办证还没有签章登记，无可打印的登记表。`);
    subtitle = `第 ${request.visitId} 号办证：${records[0]!.unit}`;
    fileStem = `印章使用登记表-办证${request.visitId}`;
  } else {
    records = ctx.db.prepare('SELECT * FROM register_entries WHERE at >= ? AND at < ? ORDER BY seq').all(request.date, `${request.date}\uffff`) as EntryRecord[];
    const [year, month, day] = request.date.split('-').map(Number);
    subtitle = `${year}年${month}月${day}日`;
    fileStem = `印章使用登记表-${request.date}`;
  }
  const entries: RegisterSheetEntry[] = records.map((r) => ({
    seq: r.seq, at: r.at, sealName: r.seal_name, sealKind: r.seal_kind, documentKind: r.document_kind, count: r.count, unit: r.unit,
    purpose: r.purpose, slipNo: r.slip_no, approver: r.approver, clerk: r.clerk, agentName: r.agent_name, agentPhone: r.agent_phone,
  }));
  const pdf = await registerSheetPdf({ officeName: settings.officeName, subtitle, printedAt: ctx.clock.timestamp().replace('T', ' ').slice(0, 16), entries });
  mkdirSync(ctx.printsDir, { recursive: true });
  const fileName = `${fileStem}.pdf`;
  const path = join(ctx.printsDir, fileName);
  writeFileSync(path, pdf);
  return { fileName, path, pdfBase64: pdf.toString('base64'), entryCount: entries.length };
}
