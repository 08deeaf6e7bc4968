import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from '../../core/contract';
import type { StatsChart } from '../../core/contract/supervision';
import { UserError } from '../../core/errors';
import { reportDocument, type ReportTable } from '../../core/supervision/reportDocument';
import { wallClockMinutes } from '../../core/time';
import type { ServiceContext } from '../context';
import { renderPdf } from '../print/pdf';
import { isTrainingDb } from '../settings/reference';
import { loadSettings } from '../settings/settings';
import { officeStats } from './stats';
import { TOP_STOCK_UNITS } from './stockStats';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Larger than any chart the page draws at twice the screen's pixels, small enough for pdfkit to hold. */
const MAX_CHART_PIXELS = 6000;

/** What the chart names, for the sentence that refuses its picture. */
const CHART_NAME: Record<StatsChart, string> = {
  byDay: '每日签章证书', byWeek: '每周签章证书', byUnit: '用章单位', bySeal: '印章和用印文件', byClerk: '窗口经办人', refusals: '退回原因',
  stockByType: '空白证书（按证书类型）', stockByUnit: '空白证书（按单位）',
};

/**
 * A picture the screen sent must be a PNG of sensible size before pdfkit decodes it: the page
 * draws it, but the call can come from anywhere the contract is answered.
 */
function checkedChart(chart: StatsChart, dataUrl: string): string {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  const isPng = bytes.length > 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR';
  const width = isPng ? bytes.readUInt32BE(16) : 0;
  const height = isPng ? bytes.readUInt32BE(20) : 0;
  if (!isPng || width === 0 || height === 0 || width > MAX_CHART_PIXELS || height > MAX_CHART_PIXELS) {
    throw new UserError(`“${CHART_NAME[chart]}”的图表图片不是可用的 PNG 图片，报告未生成。请刷新统计页面后重试。`);
  }
  return dataUrl;
}

const count = (n: number) => String(n);

/**
 * 统计报告 (PDF): the period, its totals, then each chart as the screen drew it with its table
 * below. The tables are computed here from the register, as stats.get computes them, so a report
 * says what the register says whatever picture came with it; a chart not sent is printed as its
 * table alone.
 */
export async function statsPdf(ctx: ServiceContext, request: Request<'stats.pdf'>): Promise<Response<'stats.pdf'>> {
  const stats = officeStats(ctx, request);
  const images = new Map<StatsChart, string>();
  for (const { chart, png } of request.charts) images.set(chart, checkedChart(chart, png));
  const t = stats.totals;
  const w = stats.batchesWaiting;
  const period = `${stats.from} 至 ${stats.to}`;
  const table = (chart: StatsChart, heading: string, columns: ReportTable['columns'], rows: string[][], empty = '本期无数据'): ReportTable =>
    ({ heading, columns, rows, empty, ...(images.has(chart) ? { image: images.get(chart)! } : {}) });
  const stockFlow = ['期初持有', '发放', '签章', '退回废证', '期末持有'].map((title) => ({ title, width: 40 }));
  const tables: ReportTable[] = [
    table('byDay', '每日签章证书（蓝色为办证日）', [{ title: '日期', width: '*' }, { title: '签章证书', width: 70 }, { title: '补发', width: 60 }, { title: '办证日', width: 60 }],
      stats.byDay.filter((d) => d.certificates > 0 || d.replacements > 0).map((d) => [d.date, count(d.certificates), count(d.replacements), d.counterDay ? '是' : '否']), '本期无签章'),
    table('byWeek', '每周签章证书', [{ title: '周（周一）', width: '*' }, { title: '签章证书', width: 70 }], stats.byWeek.map((x) => [x.week, count(x.certificates)]), '本期无签章'),
    table('byUnit', '用章单位（前 15 名）', [{ title: '用章单位', width: '*' }, { title: '签章证书', width: 70 }, { title: '办证次数', width: 70 }], stats.byUnit.map((u) => [u.unit, count(u.certificates), count(u.visits)])),
    table('bySeal', '印章和用印文件', [{ title: '印章', width: '*' }, { title: '用印文件', width: 80 }, { title: '用印数量', width: 70 }], stats.bySeal.map((s) => [s.seal, s.documentKind, count(s.count)])),
    table('byClerk', '窗口经办人', [{ title: '窗口经办人', width: '*' }, { title: '签章证书', width: 70 }, { title: '办证次数', width: 70 }], stats.byClerk.map((c) => [c.clerk, count(c.certificates), count(c.visits)])),
    table('refusals', '退回原因', [{ title: '原因', width: '*' }, { title: '行数', width: 70 }], stats.refusals.map((r) => [r.label, count(r.rows)]), '本期无退回'),
    table('stockByType', '空白证书：入库、发放、签章、退回废证和单位持有（按证书类型）',
      [{ title: '证书类型', width: '*' }, { title: '年度', width: 30 }, { title: '入库', width: 40 }, ...stockFlow, { title: '期末库存', width: 40 }],
      stats.stock.byType.map((s) => [s.certificateType, count(s.year), count(s.received), count(s.heldAtStart), count(s.issued), count(s.sealed), count(s.spoiled), count(s.heldAtEnd), count(s.onHandAtEnd)]), '本期无空白证书库存'),
    table('stockByUnit', `空白证书（按单位，前 ${TOP_STOCK_UNITS} 名，共 ${stats.stock.unitCount} 个单位）`,
      [{ title: '用章单位', width: '*' }, { title: '证书类型', width: 112 }, { title: '年度', width: 30 }, ...stockFlow],
      stats.stock.byUnit.map((u) => [u.unit, u.certificateType, count(u.year), count(u.heldAtStart), count(u.issued), count(u.sealed), count(u.spoiled), count(u.heldAtEnd)]), '本期无单位领用空白证书'),
  ];
  const pdf = await renderPdf(reportDocument({
    officeName: loadSettings(ctx.db).officeName,
    title: '统计报告',
    subtitle: `统计期间：${period}`,
    facts: [
      ['签章', `证书 ${t.certificates} 张，办证 ${t.visits} 次，补发 ${t.replacements} 张，签章登记 ${t.sealEntries} 条`],
      ['退回', `名册行 ${t.refusedRows} 行`],
      ['待上报', `批次 ${w.batches} 批（${w.entries} 条登记），未日结登记 ${w.unbatchedEntries} 条`],
    ],
    tables,
    printedAt: wallClockMinutes(ctx.clock.timestamp()),
    footnote: '数字取自登记簿和证书台账；期初、期末持有指单位领取尚未签章或退回的空白证书',
    training: isTrainingDb(ctx.db),
  }));
  mkdirSync(ctx.printsDir, { recursive: true });
  const pdfFileName = `统计报告-${stats.from}至${stats.to}.pdf`;
  writeFileSync(join(ctx.printsDir, pdfFileName), pdf);
  return { pdfFileName, pdfBase64: pdf.toString('base64') };
}
