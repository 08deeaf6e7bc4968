import type { Request, Stats } from '../../core/contract';
import { UserError } from '../../core/errors';
import { daysOf, MAX_DAILY_DAYS } from '../../core/supervision/stats';
import { offCounterReason } from '../../core/verify/calendar';
import { FINDING_LABEL, type FindingCode } from '../../core/verify/findings';
import type { ServiceContext } from '../context';
import { loadCalendar } from '../settings/reference';
import { loadSettings } from '../settings/settings';
import { workbookBytes } from './papers';

/**
 * 统计: every number is an aggregate over the register and its ledger at the moment of asking —
 * certificates are ledger records, seal uses are 签章 entries, refusals the findings kept with the
 * rows a sealing left out — so nothing can drift from what was sealed. Corrections (更正) are not
 * applied to the counts: they restate an entry's details, and the ledger records stand as sealed.
 */
export function officeStats(ctx: ServiceContext, request: Request<'stats.get'>): Stats {
  const { from, to } = request;
  if (from > to) throw new UserError(`统计期间的开始日期 ${from} 晚于结束日期 ${to}。`);
  const end = `${to}\uffff`;
  const db = ctx.db;
  const daily = db.prepare(
    `SELECT substr(sealed_at, 1, 10) AS date, count(*) AS certificates, coalesce(sum(reissue), 0) AS replacements
     FROM certificates WHERE sealed_at >= ? AND sealed_at < ? GROUP BY date ORDER BY date`,
  ).all(from, end) as { date: string; certificates: number; replacements: number }[];
  const settings = loadSettings(db);
  const calendar = loadCalendar(db);
  const counterDay = (date: string) => offCounterReason(date, calendar, settings.counterWeekdays) === null;
  const byDate = new Map(daily.map((d) => [d.date, d]));
  const days = daysOf(from, to).length <= MAX_DAILY_DAYS ? daysOf(from, to) : daily.map((d) => d.date);
  const byDay = days.map((date) => ({ date, certificates: byDate.get(date)?.certificates ?? 0, replacements: byDate.get(date)?.replacements ?? 0, counterDay: counterDay(date) }));

  // Weeks start on Monday: the date minus its weekday counted from Monday.
  const byWeek = db.prepare(
    `SELECT date(substr(sealed_at, 1, 10), '-' || ((CAST(strftime('%w', substr(sealed_at, 1, 10)) AS INTEGER) + 6) % 7) || ' days') AS week, count(*) AS certificates
     FROM certificates WHERE sealed_at >= ? AND sealed_at < ? GROUP BY week ORDER BY week`,
  ).all(from, end) as Stats['byWeek'];
  const byUnit = db.prepare(
    `SELECT unit, count(*) AS certificates, count(DISTINCT visit_id) AS visits FROM certificates
     WHERE sealed_at >= ? AND sealed_at < ? GROUP BY unit ORDER BY certificates DESC, unit LIMIT 15`,
  ).all(from, end) as Stats['byUnit'];
  const bySeal = db.prepare(
    `SELECT seal_name || '（' || seal_kind || '）' AS seal, document_kind AS documentKind, sum(count) AS count FROM register_entries
     WHERE kind = '签章' AND at >= ? AND at < ? GROUP BY seal, documentKind ORDER BY count DESC, seal, documentKind`,
  ).all(from, end) as Stats['bySeal'];
  const byClerk = db.prepare(
    `SELECT e.clerk AS clerk, count(*) AS certificates, count(DISTINCT c.visit_id) AS visits
     FROM certificates c JOIN register_entries e ON e.seq = c.entry_seq
     WHERE c.sealed_at >= ? AND c.sealed_at < ? GROUP BY e.clerk ORDER BY certificates DESC, clerk`,
  ).all(from, end) as Stats['byClerk'];
  // A refused row is one a sealing left unsealed; its error findings, as kept at sealing, are why.
  const refusalCodes = db.prepare(
    `SELECT json_extract(f.value, '$.code') AS code, count(*) AS rows
     FROM visits v JOIN visit_rows r ON r.visit_id = v.id, json_each(r.sealed_findings, '$.findings') f
     WHERE v.sealed_at >= ? AND v.sealed_at < ? AND json_extract(r.sealed_findings, '$.sealed') = 0 AND json_extract(f.value, '$.severity') = 'error'
     GROUP BY code ORDER BY rows DESC, code`,
  ).all(from, end) as { code: FindingCode; rows: number }[];
  const refusedRows = db.prepare(
    `SELECT count(*) FROM visits v JOIN visit_rows r ON r.visit_id = v.id
     WHERE v.sealed_at >= ? AND v.sealed_at < ? AND json_extract(r.sealed_findings, '$.sealed') = 0`,
  ).pluck().get(from, end) as number;
  const totals = db.prepare(
    `SELECT count(*) AS certificates, count(DISTINCT visit_id) AS visits, coalesce(sum(reissue), 0) AS replacements FROM certificates WHERE sealed_at >= ? AND sealed_at < ?`,
  ).get(from, end) as { certificates: number; visits: number; replacements: number };
  const sealEntries = db.prepare(`SELECT count(*) FROM register_entries WHERE kind = '签章' AND at >= ? AND at < ?`).pluck().get(from, end) as number;
  const waiting = db.prepare(
    `SELECT count(*) AS batches, coalesce(sum(entry_count), 0) AS entries, min(created_at) AS oldest FROM batches b
     WHERE NOT EXISTS (SELECT 1 FROM batch_deliveries d WHERE d.batch_no = b.batch_no)`,
  ).get() as { batches: number; entries: number; oldest: string | null };
  const unbatchedEntries = db.prepare('SELECT coalesce(max(seq), 0) - coalesce((SELECT max(last_seq) FROM batches), 0) FROM register_entries').pluck().get() as number;
  return {
    from, to,
    totals: { ...totals, refusedRows, sealEntries },
    byDay, byWeek, byUnit, bySeal, byClerk,
    refusals: refusalCodes.map(({ code, rows }) => ({ code, label: FINDING_LABEL[code] ?? code, rows })),
    batchesWaiting: { ...waiting, unbatchedEntries },
  };
}

/** Every chart's table as a sheet of one workbook. */
export async function exportStats(ctx: ServiceContext, request: Request<'stats.export'>) {
  const stats = officeStats(ctx, request);
  const period = `统计期间：${stats.from} 至 ${stats.to}`;
  const sheet = (name: string, columns: [string, number][], rows: (string | number)[][]) =>
    ({ name, preamble: [`${name}　${period}`], columns: columns.map(([header, width]) => ({ header, width })), rows });
  const t = stats.totals;
  const bytes = await workbookBytes([
    sheet('合计', [['项目', 20], ['数量', 12]], [['签章证书', t.certificates], ['办证次数', t.visits], ['补发证书', t.replacements], ['退回行数', t.refusedRows], ['签章登记条数', t.sealEntries],
      ['待上报批次', stats.batchesWaiting.batches], ['待上报登记条数', stats.batchesWaiting.entries], ['未日结登记条数', stats.batchesWaiting.unbatchedEntries]]),
    sheet('按日', [['日期', 12], ['签章证书', 10], ['补发', 8], ['办证日', 8]], stats.byDay.map((d) => [d.date, d.certificates, d.replacements, d.counterDay ? '是' : '否'])),
    sheet('按周', [['周一日期', 12], ['签章证书', 10]], stats.byWeek.map((w) => [w.week, w.certificates])),
    sheet('按单位', [['用章单位', 32], ['签章证书', 10], ['办证次数', 10]], stats.byUnit.map((u) => [u.unit, u.certificates, u.visits])),
    sheet('按印章', [['印章', 32], ['用印文件', 10], ['用印数量', 10]], stats.bySeal.map((s) => [s.seal, s.documentKind, s.count])),
    sheet('按经办人', [['窗口经办人', 14], ['签章证书', 10], ['办证次数', 10]], stats.byClerk.map((c) => [c.clerk, c.certificates, c.visits])),
    sheet('退回原因', [['原因', 24], ['行数', 8]], stats.refusals.map((r) => [r.label, r.rows])),
  ]);
  return { xlsxFileName: `统计-${stats.from}至${stats.to}.xlsx`, xlsxBase64: bytes.toString('base64') };
}
