import type { Request, Response, SlipRequestView } from '../../core/contract';
import { UserError } from '../../core/errors';
import type { SlipRecord, SlipRequestRecord } from '../../core/register/records';
import { checkYear, isLateRequest, positiveCount, requestDeadline } from '../../core/stock/rules';
import { nextSlipNumbers, slipPattern } from '../../core/stock/slipNumbers';
import { neutraliseCell } from '../../core/exports/forms';
import { DEFAULT_SLIP_PATTERN } from '../../core/stock/terms';
import type { IssuedSlip } from '../../core/verify/slips';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';
import { decodeUpload } from '../context';
import { writeToRegister } from '../register/integrity';
import { rosterOrRefusal } from './movements';
import { appendStockEntry, keepFile, keptFile, stockRecords, type Kept } from './store';

/**
 * The yearly requests for stamp slips and blank certificates (请领函, DOMAIN.md §13): recorded
 * with the day they arrived and last year's rosters; late ones (after 1 February) stay out of the
 * year's plan unless an administrator admits them with a reason; the slips of the plan are
 * numbered into the slip issuance list the counter checks (issued_slips, as reference.import fills it).
 */
export async function recordRequest(ctx: ServiceContext, request: Request<'slipRequests.record'>): Promise<SlipRequestView> {
  const year = checkYear(request.year);
  const unit = request.unit.trim();
  const slipCount = positiveCount(request.slipCount, '请领凭条数');
  if (request.arrivedOn > ctx.clock.date()) throw new UserError(`收到日期 ${request.arrivedOn} 晚于今天（${ctx.clock.date()}），请核对。什么也没有登记。`);
  // Each file must be a roster: read all of them before anything is kept.
  const files: { fileName: string; bytes: Uint8Array; rows: number }[] = [];
  for (const file of request.files) {
    const bytes = decodeUpload(file.dataBase64);
    files.push({ fileName: file.fileName, bytes, rows: (await rosterOrRefusal(file.fileName, bytes, '发证名册')).rows.length });
  }
  return writeToRegister(ctx, '凭条请领', () => {
    const earlier = stockRecords(ctx.db, 'slip-request').find((r) => r.unit === unit && r.year === year);
    if (earlier) throw new UserError(`“${unit}”的${year}年度请领函已于 ${earlier.at.slice(0, 10)} 登记（第 ${earlier.entrySeq} 号），不能重复登记。`);
    const late = isLateRequest(year, request.arrivedOn);
    const record: SlipRequestRecord = {
      kind: 'slip-request', unit, year, arrivedOn: request.arrivedOn, late, slipCount, contact: request.contact?.trim() ?? '', phone: request.phone?.trim() ?? '',
      note: request.note?.trim() ?? '', attachments: files.map((f) => ({ fileName: f.fileName, sha256: keepFile(ctx, f.fileName, f.bytes), rows: f.rows })),
    };
    const seq = appendStockEntry(ctx, '凭条请领', {
      unit, count: slipCount, documentKind: '签章凭条', agentName: record.contact, agentPhone: record.phone,
      purpose: `${year}年度请领签章凭条和空白证书`, remarks: late ? `${request.arrivedOn} 收到，晚于 ${requestDeadline(year)}，逾期，不列入计划` : '',
    }, [record]);
    return requestView(ctx.db, seq);
  });
}

export function admitLateRequest(ctx: ServiceContext, request: Request<'slipRequests.admitLate'>): SlipRequestView {
  return writeToRegister(ctx, '逾期请领准入', () => {
    const view = requestView(ctx.db, request.requestSeq);
    if (!view.late) throw new UserError(`第 ${view.seq} 号请领（${view.unit}）按时收到，本来就在计划内，无需准入。`);
    if (view.admitted) throw new UserError(`第 ${view.seq} 号请领已于 ${view.admitted.at.slice(0, 10)} 由 ${view.admitted.by} 准予列入计划。`);
    appendStockEntry(ctx, '逾期请领准入', {
      unit: view.unit, count: 0, documentKind: '签章凭条', purpose: `${view.year}年度逾期请领准予列入计划`, remarks: `第 ${view.seq} 号请领，理由：${request.reason.trim()}`,
    }, [{ kind: 'slip-request-admission', requestSeq: view.seq, unit: view.unit, year: view.year, reason: request.reason.trim() }]);
    return requestView(ctx.db, view.seq);
  });
}

function requestViews(db: Db, year?: number): SlipRequestView[] {
  const admissions = stockRecords(db, 'slip-request-admission');
  const slips = stockRecords(db, 'slip');
  return stockRecords(db, 'slip-request').filter((r) => year === undefined || r.year === year).map((r) => toView(r, admissions, slips));
}

function toView(r: Kept<SlipRequestRecord>, admissions: ReturnType<typeof stockRecords<'slip-request-admission'>>, slips: ReturnType<typeof stockRecords<'slip'>>): SlipRequestView {
  const admission = admissions.find((a) => a.requestSeq === r.entrySeq);
  return {
    seq: r.entrySeq, at: r.at, clerk: r.clerk, unit: r.unit, year: r.year, arrivedOn: r.arrivedOn, late: r.late,
    admitted: admission ? { seq: admission.entrySeq, at: admission.at, by: admission.clerk, reason: admission.reason } : null,
    inPlan: !r.late || admission !== undefined, slipCount: r.slipCount, contact: r.contact, phone: r.phone, note: r.note,
    attachments: r.attachments.map((a, index) => ({ index, fileName: a.fileName, rows: a.rows, sha256: a.sha256 })),
    slips: slips.filter((s) => s.requestSeq === r.entrySeq).map((s) => s.slipNo),
  };
}

export function requestView(db: Db, seq: number): SlipRequestView {
  const found = requestViews(db).find((r) => r.seq === seq);
  if (!found) throw new UserError(`第 ${seq} 号登记不是请领函。`);
  return found;
}

/** The year's requests, in the order they arrived, and the slips numbered so far. */
export function requestPlan(db: Db, request: Request<'slipRequests.plan'>): Response<'slipRequests.plan'> {
  const year = checkYear(request.year);
  const requests = requestViews(db, year).sort((a, b) => a.arrivedOn.localeCompare(b.arrivedOn) || a.seq - b.seq);
  return { year, deadline: requestDeadline(year), requests, slips: numberedSlips(db, year) };
}

function numberedSlips(db: Db, year: number): IssuedSlip[] {
  return stockRecords(db, 'slip').filter((s) => s.year === year).map(({ slipNo, unit, issuedOn }) => ({ slipNo, unit, year, issuedOn }));
}

/**
 * Numbers the slips of every request in the plan that has none yet, in the order they arrived,
 * continuing the year's sequence; the slips join the issuance list the counter checks at once.
 */
export function numberSlips(ctx: ServiceContext, request: Request<'slipRequests.number'>): Response<'slipRequests.number'> {
  const year = checkYear(request.year);
  const pattern = slipPattern(request.pattern || DEFAULT_SLIP_PATTERN);
  const issuedOn = request.issuedOn ?? ctx.clock.date();
  return writeToRegister(ctx, '凭条编号', () => {
    const waiting = requestPlan(ctx.db, { year }).requests.filter((r) => r.inPlan && r.slips.length === 0);
    if (waiting.length === 0) throw new UserError(`${year}年度计划内没有待编号的请领：按时收到或准予列入计划的请领都已编号。`);
    const existing = [
      ...(ctx.db.prepare('SELECT slip_no FROM issued_slips').pluck().all() as string[]),
      ...stockRecords(ctx.db, 'slip').map((s) => s.slipNo),
    ];
    const numbers = nextSlipNumbers(pattern, year, existing, waiting.reduce((sum, r) => sum + r.slipCount, 0));
    const taken = new Set(existing);
    const clash = numbers.find((n) => taken.has(n));
    if (clash) throw new UserError(`凭条编号 ${clash} 已在发放清单中，请换用其他编号规则。`);
    let next = 0;
    const records: SlipRecord[] = waiting.flatMap((r) => numbers.slice(next, (next += r.slipCount)).map((slipNo): SlipRecord => ({ kind: 'slip', slipNo, unit: r.unit, year, issuedOn, requestSeq: r.seq })));
    const entrySeq = appendStockEntry(ctx, '凭条编号', {
      unit: [...new Set(records.map((r) => r.unit))].join('、').slice(0, 200), count: records.length, documentKind: '签章凭条',
      purpose: `${year}年度签章凭条编号（${pattern.text}）`, remarks: `${records[0]!.slipNo}–${records[records.length - 1]!.slipNo}`,
    }, records);
    const insert = ctx.db.prepare('INSERT INTO issued_slips (slip_no, unit, year, issued_on) VALUES (?, ?, ?, ?)');
    for (const r of records) insert.run(r.slipNo, r.unit, r.year, r.issuedOn);
    return { slips: records.map(({ slipNo, unit, issuedOn: on }) => ({ slipNo, unit, year, issuedOn: on })), entrySeq };
  });
}

/** The year's numbered slips as the file reference.import and `hub-publish --slips` read (UTF-8 with BOM, as Excel saves it). */
export function exportSlips(db: Db, request: Request<'slipRequests.exportSlips'>): Response<'slipRequests.exportSlips'> {
  const year = checkYear(request.year);
  const slips = numberedSlips(db, year);
  if (slips.length === 0) throw new UserError(`${year}年度还没有编号的签章凭条。`);
  const cell = (text: string) => {
    const safe = neutraliseCell(text);
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = ['凭条编号,用章单位,年度,发放日期', ...slips.map((s) => [s.slipNo, s.unit, String(s.year), s.issuedOn].map(cell).join(','))];
  return { fileName: `签章凭条发放清单-${year}.csv`, csv: `\ufeff${lines.join('\r\n')}\r\n`, count: slips.length };
}

export function requestAttachment(db: Db, request: Request<'slipRequests.attachment'>): Response<'slipRequests.attachment'> {
  const view = requestView(db, request.requestSeq);
  const attachment = view.attachments[request.index];
  if (!attachment) throw new UserError(`第 ${view.seq} 号请领没有第 ${request.index + 1} 个附件。`);
  return { fileName: attachment.fileName, dataBase64: Buffer.from(keptFile(db, attachment.sha256, attachment.fileName)).toString('base64') };
}
