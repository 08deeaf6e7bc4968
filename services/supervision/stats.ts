import type { Request, Stats } from '../../core/contract';
import { UserError } from '../../core/errors';
import { daysOf, MAX_DAILY_DAYS, mondayOf } from '../../core/supervision/stats';
import { offCounterReason } from '../../core/verify/calendar';
import { FINDING_LABEL, type FindingCode } from '../../core/verify/findings';
import type { ServiceContext } from '../context';
import { loadCalendar } from '../settings/reference';
import { loadSettings } from '../settings/settings';
import { workbookBytes } from './papers';
import { stockFigures, stockSheet } from './stockStats';

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
  const certificates = certificateFigures(ctx, from, end);
  const settings = loadSettings(db);
  const calendar = loadCalendar(db);
  const counterDay = (date: string) => offCounterReason(date, calendar, settings.counterWeekdays) === null;
  const days = daysOf(from, to).length <= MAX_DAILY_DAYS ? daysOf(from, to) : [...certificates.byDate.keys()].sort();
  const byDay = days.map((date) => ({ date, ...(certificates.byDate.get(date) ?? { certificates: 0, replacements: 0 }), counterDay: counterDay(date) }));
  const byWeek = new Map<string, number>();
  for (const [date, day] of certificates.byDate) byWeek.set(mondayOf(date), (byWeek.get(mondayOf(date)) ?? 0) + day.certificates);

  const sealUse = sealUseFigures(ctx, from, end);
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
  const waiting = db.prepare(
    `SELECT count(*) AS batches, coalesce(sum(entry_count), 0) AS entries, min(created_at) AS oldest FROM batches b
     WHERE NOT EXISTS (SELECT 1 FROM batch_deliveries d WHERE d.batch_no = b.batch_no)`,
  ).get() as { batches: number; entries: number; oldest: string | null };
  const unbatchedEntries = db.prepare('SELECT coalesce(max(seq), 0) - coalesce((SELECT max(last_seq) FROM batches), 0) FROM register_entries').pluck().get() as number;
  return {
    from, to,
    totals: { ...certificates.totals, refusedRows, sealEntries: sealUse.reduce((sum, s) => sum + s.entries, 0) },
    byDay,
    byWeek: [...byWeek].sort(([a], [b]) => compareText(a, b)).map(([week, certificates]) => ({ week, certificates })),
    byUnit: certificates.byUnit.slice(0, TOP_UNITS),
    bySeal: sealUse.map(({ seal, documentKind, count }) => ({ seal, documentKind, count }))
      .sort((a, b) => b.count - a.count || compareText(a.seal, b.seal) || compareText(a.documentKind, b.documentKind)),
    byClerk: certificates.byClerk,
    refusals: refusalCodes.map(({ code, rows }) => ({ code, label: FINDING_LABEL[code] ?? code, rows })),
    batchesWaiting: { ...waiting, unbatchedEntries },
    stock: stockFigures(ctx, from, to),
  };
}

const TOP_UNITS = 15;

/**
 * Seal use per seal and document kind. The index holds 签章 entries by seal, document kind and
 * time, so each of the few seal and document pairs is found by seeking past the one before it (a
 * skip-scan SQLite does not do by itself without ANALYZE figures), and its uses in the period are
 * summed from the index's range: no entry's bytes are read and nothing outside the period.
 */
function sealUseFigures(ctx: ServiceContext, from: string, end: string) {
  const pick = `SELECT seal_name, seal_kind, document_kind FROM register_entries INDEXED BY register_entries_by_seal_use WHERE kind = '签章'`;
  const order = 'ORDER BY seal_name, seal_kind, document_kind LIMIT 1';
  const first = ctx.db.prepare(`${pick} ${order}`).raw();
  const nextDocument = ctx.db.prepare(`${pick} AND seal_name = ? AND seal_kind = ? AND document_kind > ? ${order}`).raw();
  const nextKind = ctx.db.prepare(`${pick} AND seal_name = ? AND seal_kind > ? ${order}`).raw();
  const nextSeal = ctx.db.prepare(`${pick} AND seal_name > ? ${order}`).raw();
  const inPeriod = ctx.db.prepare(
    `SELECT coalesce(sum(count), 0), count(*) FROM register_entries INDEXED BY register_entries_by_seal_use
     WHERE kind = '签章' AND seal_name = ? AND seal_kind = ? AND document_kind = ? AND at >= ? AND at < ?`,
  ).raw();
  type SealPair = [sealName: string, sealKind: string, documentKind: string];
  const figures: { seal: string; documentKind: string; count: number; entries: number }[] = [];
  for (let pair = first.get() as SealPair | undefined; pair; ) {
    const [sealName, sealKind, documentKind] = pair;
    const [count, entries] = inPeriod.get(sealName, sealKind, documentKind, from, end) as [number, number];
    if (entries > 0) figures.push({ seal: `${sealName}（${sealKind}）`, documentKind, count, entries });
    pair = (nextDocument.get(sealName, sealKind, documentKind) ?? nextKind.get(sealName, sealKind) ?? nextSeal.get(sealName)) as SealPair | undefined;
  }
  return figures;
}

/** Code-point order, as SQLite compares text: the same for the screen, the sheet and the tests. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Tally { certificates: number; visits: Set<number> }

/**
 * One pass over the period's certificate records, through the index that holds every field the
 * charts group them by: per day, per unit, per clerk and in all. A year of a busy office is a
 * hundred thousand records or more; seven grouped queries over them cost four times this pass.
 */
function certificateFigures(ctx: ServiceContext, from: string, end: string) {
  const byDate = new Map<string, { certificates: number; replacements: number }>();
  const byUnit = new Map<string, Tally>();
  // An entry belongs to one visit: its records count towards its clerk once the clerk is known.
  const byEntry = new Map<number, { certificates: number; visitId: number }>();
  const visits = new Set<number>();
  let replacements = 0;
  const rows = ctx.db.prepare('SELECT sealed_at, unit, visit_id, entry_seq, reissue FROM certificates WHERE sealed_at >= ? AND sealed_at < ?')
    .raw().all(from, end) as [string, string, number, number, number][];
  for (const [sealedAt, unit, visitId, entrySeq, reissue] of rows) {
    const date = sealedAt.slice(0, 10);
    const day = byDate.get(date) ?? { certificates: 0, replacements: 0 };
    if (day.certificates === 0) byDate.set(date, day);
    day.certificates += 1;
    day.replacements += reissue;
    const unitTally = byUnit.get(unit) ?? { certificates: 0, visits: new Set<number>() };
    if (unitTally.certificates === 0) byUnit.set(unit, unitTally);
    unitTally.certificates += 1;
    unitTally.visits.add(visitId);
    const entry = byEntry.get(entrySeq);
    if (entry) entry.certificates += 1;
    else byEntry.set(entrySeq, { certificates: 1, visitId });
    visits.add(visitId);
    replacements += reissue;
  }
  // Who sealed is the entry's clerk, read for the entries that wrote these records only.
  const clerks = ctx.db.prepare('SELECT seq, clerk FROM register_entries INDEXED BY register_entries_clerk_by_seq WHERE seq IN (SELECT value FROM json_each(?))')
    .raw().all(JSON.stringify([...byEntry.keys()])) as [number, string][];
  const byClerk = new Map<string, Tally>();
  for (const [seq, clerk] of clerks) {
    const entry = byEntry.get(seq)!;
    const clerkTally = byClerk.get(clerk) ?? { certificates: 0, visits: new Set<number>() };
    byClerk.set(clerk, clerkTally);
    clerkTally.certificates += entry.certificates;
    clerkTally.visits.add(entry.visitId);
  }
  const ranked = <K extends string>(map: Map<string, Tally>, key: K) => [...map]
    .map(([name, t]) => ({ [key]: name, certificates: t.certificates, visits: t.visits.size }) as Record<K, string> & { certificates: number; visits: number })
    .sort((a, b) => b.certificates - a.certificates || compareText(a[key], b[key]));
  return {
    byDate,
    byUnit: ranked(byUnit, 'unit'),
    byClerk: ranked(byClerk, 'clerk'),
    totals: { certificates: rows.length, visits: visits.size, replacements },
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
    sheet('空白证书', ...stockSheet(stats.stock)),
  ]);
  return { xlsxFileName: `统计-${stats.from}至${stats.to}.xlsx`, xlsxBase64: bytes.toString('base64') };
}
