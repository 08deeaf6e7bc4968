import type { IssueView, Request, StockMovementView } from '../../core/contract';
import { UserError } from '../../core/errors';
import { ImportError } from '../../core/files/sheet';
import type { StockIssueRecord, StockReceiptRecord, StockRecord, StockSpoiledRecord } from '../../core/register/records';
import { STOCK_ENTRY_KINDS, type StockEntryKind } from '../../core/register/terms';
import { checkSpoiled, planIssue, planReceipt } from '../../core/stock/movements';
import { checkedRange, formatRanges, rangesContain, type NumberRange } from '../../core/stock/ranges';
import { checkYear } from '../../core/stock/rules';
import { ISSUE_BASIS_LABEL, WORKER_GRADES } from '../../core/stock/terms';
import type { ServiceContext } from '../context';
import { decodeUpload } from '../context';
import { parseRosterFile } from '../files/untrustedFiles';
import { writeToRegister } from '../register/integrity';
import { registerEntriesBetween } from '../register/entries';
import { appendStockEntry, issueFacts, issuedRanges, keepFile, receivedRanges, sealedCertificate, sealedCounts, stockRecords, type Kept } from './store';

const rangesOf = (typed: readonly { first: string; last?: string | undefined }[], where: string): NumberRange[] =>
  typed.map((r, i) => checkedRange(r.first, r.last ?? '', `${where}第 ${i + 1} 个`));

/** 空白证书入库: blanks from the printer, counted or by number range. Supervisor work. */
export function receiveStock(ctx: ServiceContext, request: Request<'stock.receive'>): StockMovementView {
  const year = checkYear(request.year);
  const ranges = rangesOf(request.ranges ?? [], '入库');
  return writeToRegister(ctx, '空白证书入库', () => {
    const planned = planReceipt({ count: request.count ?? null, ranges }, receivedRanges(ctx.db));
    const record: StockReceiptRecord = { kind: 'stock-receipt', certificateType: request.certificateType, year, count: planned.count, ranges: planned.ranges, supplier: request.supplier?.trim() ?? '' };
    const seq = appendStockEntry(ctx, '空白证书入库', {
      unit: record.supplier, count: record.count, documentKind: '空白证书', purpose: `${year}年度“${record.certificateType}”空白证书入库`, remarks: record.ranges.length > 0 ? `号段：${formatRanges(record.ranges)}` : '',
    }, [record]);
    return movementAt(ctx, seq);
  });
}

/**
 * 空白证书发放: blanks to a unit against a 申领计划表, a 登记表's rows plus spares, or spoiled
 * certificates once the spares ran out; pre-numbered stock goes out as ranges. Supervisor work.
 */
export async function issueStock(ctx: ServiceContext, request: Request<'stock.issue'>): Promise<IssueView> {
  const year = checkYear(request.year);
  const unit = request.unit.trim();
  const ranges = rangesOf(request.ranges ?? [], '发放');
  let roster: { fileName: string; bytes: Uint8Array; rows: number } | null = null;
  if (request.basis === 'roster') {
    if (!request.roster) throw new UserError('按登记表人数发放，请附上单位的《职称证书领取、办理登记表》电子件。本次未发放。');
    const bytes = decodeUpload(request.roster.dataBase64);
    roster = { fileName: request.roster.fileName, bytes, rows: (await rosterOrRefusal(request.roster.fileName, bytes, '登记表')).rows.length };
  }
  return writeToRegister(ctx, '空白证书发放', () => {
    const issues = issueFacts(ctx.db);
    const ofType = issues.filter((i) => i.certificateType === request.certificateType && i.year === year);
    const planned = planIssue({
      unit, certificateType: request.certificateType, year, basis: request.basis, grades: request.grades ?? null, rosterRows: roster?.rows ?? null,
      count: request.count, spares: request.spares, sparesReason: request.sparesReason ?? '', ranges,
    }, {
      receipts: stockRecords(ctx.db, 'stock-receipt').filter((r) => r.certificateType === request.certificateType && r.year === year),
      issues: ofType,
      issuedRanges: issuedRanges(issues),
      spoiledByUnit: stockRecords(ctx.db, 'stock-spoiled').filter((s) => s.unit === unit && s.certificateType === request.certificateType && s.year === year).length,
    });
    const record: StockIssueRecord = {
      kind: 'stock-issue', unit, certificateType: request.certificateType, year, basis: request.basis, base: planned.base, spares: planned.spares, sparesReason: planned.sparesReason,
      count: planned.count, grades: planned.grades, contact: request.contact?.trim() ?? '', phone: request.phone?.trim() ?? '', ranges: planned.ranges,
      roster: roster && { fileName: roster.fileName, sha256: keepFile(ctx, roster.fileName, roster.bytes), rows: roster.rows },
    };
    const seq = appendStockEntry(ctx, '空白证书发放', {
      unit, count: record.count, documentKind: '空白证书', agentName: record.contact, agentPhone: record.phone,
      purpose: `${year}年度“${record.certificateType}”空白证书发放（${ISSUE_BASIS_LABEL[record.basis]}）`,
      remarks: [record.sparesReason && `备用证书 ${record.spares} 本，理由：${record.sparesReason}`, record.ranges.length > 0 && `号段：${formatRanges(record.ranges)}`].filter(Boolean).join('；'),
    }, [record]);
    return issueView({ ...record, entrySeq: seq, ...entryStamp(ctx, seq) });
  });
}

/** A file that should be a roster: read as one, or refused with what it is not. */
export async function rosterOrRefusal(fileName: string, bytes: Uint8Array, what: string) {
  try {
    return await parseRosterFile(fileName, bytes);
  } catch (error) {
    if (error instanceof ImportError) throw new UserError(`文件“${fileName}”不是可读取的${what}：${error.message.replace(/。$/, '')}。什么也没有登记。`);
    throw error;
  }
}

/** 废证退回: the numbers a unit hands back, each recorded once. Counter work (clerks). */
export function recordSpoiled(ctx: ServiceContext, request: Request<'stock.spoiled'>): { movement: StockMovementView; certNos: string[] } {
  const year = checkYear(request.year);
  const unit = request.unit.trim();
  const { certificateType } = request;
  return writeToRegister(ctx, '废证退回', () => {
    const issues = issueFacts(ctx.db);
    const mine = issues.filter((i) => i.unit === unit && i.certificateType === certificateType && i.year === year);
    const spoiled = stockRecords(ctx.db, 'stock-spoiled');
    const others = issuedRanges(issues.filter((i) => i.unit !== unit));
    const sealed = sealedCounts(ctx.db, year, unit).find((s) => s.certificateType === certificateType)?.count ?? 0;
    const certNos = checkSpoiled(unit, certificateType, year, request.certNos, {
      unitRanges: mine.flatMap((i) => i.ranges),
      issued: mine.reduce((sum, i) => sum + i.count, 0),
      sealed,
      returned: spoiled.filter((s) => s.unit === unit && s.certificateType === certificateType && s.year === year).length,
      otherHolder: (certNo) => others.find((range) => rangesContain([range], certNo)),
      returnedBefore: (certNo) => spoiled.find((s) => s.certNo === certNo),
      sealedAs: (certNo) => sealedCertificate(ctx.db, certNo),
    });
    const records: StockSpoiledRecord[] = certNos.map((certNo) => ({ kind: 'stock-spoiled', unit, certificateType, year, certNo }));
    const seq = appendStockEntry(ctx, '废证退回', {
      unit, count: records.length, documentKind: '空白证书', purpose: `${year}年度“${certificateType}”废证退回`, remarks: `废证编号：${certNos.join('、')}`,
    }, records);
    return { movement: movementAt(ctx, seq), certNos };
  });
}

function entryStamp(ctx: ServiceContext, seq: number): { at: string; clerk: string; clerkAccount: string } {
  const entry = registerEntriesBetween(ctx.db, seq, seq)[0]!;
  return { at: entry.at, clerk: entry.clerk, clerkAccount: entry.clerkAccount };
}

export function issueView(issue: Kept<StockIssueRecord>): IssueView {
  return {
    ...movementView('空白证书发放', issue.entrySeq, issue.at, issue.clerk, [issue]),
    basis: issue.basis, base: issue.base, spares: issue.spares, sparesReason: issue.sparesReason, grades: issue.grades, ranges: issue.ranges,
  };
}

/** One line for a movement, in the clerk's words. */
function describe(kind: StockEntryKind, records: readonly StockRecord[]): { unit: string; certificateType: string; year: number; count: number; description: string } {
  const first = records[0];
  if (!first) return { unit: '', certificateType: '', year: 0, count: 0, description: kind };
  switch (first.kind) {
    case 'stock-receipt':
      return { unit: first.supplier, certificateType: first.certificateType, year: first.year, count: first.count,
        description: `入库 ${first.count} 本${first.ranges.length > 0 ? `，号段 ${formatRanges(first.ranges)}` : ''}${first.supplier ? `（${first.supplier}）` : ''}` };
    case 'stock-issue': {
      const grades = first.grades ? `：${WORKER_GRADES.map((g) => `${g} ${first.grades![g]} 本`).join('，')}` : '';
      return { unit: first.unit, certificateType: first.certificateType, year: first.year, count: first.count,
        description: `${ISSUE_BASIS_LABEL[first.basis]}发放 ${first.count} 本${first.spares > 0 ? `（含备用 ${first.spares} 本）` : ''}${grades}${first.ranges.length > 0 ? `，号段 ${formatRanges(first.ranges)}` : ''}${first.sparesReason ? `；备用理由：${first.sparesReason}` : ''}` };
    }
    case 'stock-spoiled':
      return { unit: first.unit, certificateType: first.certificateType, year: first.year, count: records.length,
        description: `退回废证 ${records.length} 本：${records.map((r) => (r.kind === 'stock-spoiled' ? r.certNo : '')).join('、')}` };
    case 'slip-request':
      return { unit: first.unit, certificateType: '', year: first.year, count: first.slipCount,
        description: `请领签章凭条 ${first.slipCount} 张，${first.arrivedOn} 收到${first.late ? '（逾期）' : ''}，附件 ${first.attachments.length} 个` };
    case 'slip-request-admission':
      return { unit: first.unit, certificateType: '', year: first.year, count: 0, description: `逾期请领准予列入计划（第 ${first.requestSeq} 号请领），理由：${first.reason}` };
    case 'slip':
      return { unit: [...new Set(records.map((r) => (r.kind === 'slip' ? r.unit : '')))].join('、'), certificateType: '', year: first.year, count: records.length,
        description: `编号签章凭条 ${records.length} 张：${records.map((r) => (r.kind === 'slip' ? r.slipNo : '')).join('、')}` };
    default:
      return { unit: '', certificateType: '', year: 0, count: 0, description: kind };
  }
}

function movementView(kind: StockEntryKind, seq: number, at: string, clerk: string, records: readonly StockRecord[]): StockMovementView {
  return { seq, at, kind, clerk, ...describe(kind, records) };
}

function isStockKind(kind: string): kind is StockEntryKind {
  return (STOCK_ENTRY_KINDS as readonly string[]).includes(kind);
}

/** The stock's movements, newest first, optionally of one year or unit. */
export function listMovements(ctx: ServiceContext, request: Request<'stock.movements'>): StockMovementView[] {
  // Stock entries are few beside the seals: read their seqs from the stock records' own indexes.
  const seqs = new Set<number>();
  for (const kind of ['stock-receipt', 'stock-issue', 'stock-spoiled', 'slip-request', 'slip-request-admission', 'slip'] as const) {
    for (const seq of ctx.db.prepare(`SELECT DISTINCT entry_seq FROM entry_records WHERE kind = '${kind}'`).pluck().all() as number[]) seqs.add(seq);
  }
  const unit = request.unit?.trim();
  return [...seqs].sort((a, b) => b - a).map((seq) => movementAt(ctx, seq))
    .filter((m) => (request.year === undefined || m.year === request.year) && (!unit || m.unit.includes(unit)));
}

export function movementAt(ctx: ServiceContext, seq: number): StockMovementView {
  const entry = registerEntriesBetween(ctx.db, seq, seq)[0];
  if (!entry || !isStockKind(entry.kind)) throw new UserError(`第 ${seq} 号不是库存登记。`);
  const records = (ctx.db.prepare('SELECT record FROM entry_records WHERE entry_seq = ? ORDER BY id').pluck().all(seq) as string[]).map((r) => JSON.parse(r) as StockRecord);
  return movementView(entry.kind, seq, entry.at, entry.clerk, records);
}

/** An issue by its entry, for its papers. */
export function issueAt(ctx: ServiceContext, seq: number): Kept<StockIssueRecord> {
  const issue = stockRecords(ctx.db, 'stock-issue').find((i) => i.entrySeq === seq);
  if (!issue) throw new UserError(`第 ${seq} 号登记不是空白证书发放。`);
  return issue;
}
