import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import XLSX from '@e965/xlsx';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stats } from '../../core/contract';
import { tempDir, upload } from '../support/services';
import { ADMIN, CLERK, DEYANG, HUAXI, prepareCounter, SENIOR, sealVisit, stockOffice, SUPERVISOR, WORKER } from '../stock/support';

// The report is the office's: printed in its time, whatever zone the PC is set to.
process.env.TZ = 'UTC';

/**
 * 统计's blank stock against a register with known movements (DOMAIN.md §10), in 2026:
 * - 01-05 200 senior blanks received, numbered 51202500000101–300;
 * - 01-20 德阳 seals 26 worker certificates, before the office keeps worker stock at all;
 * - 02-10 100 worker blanks received; 德阳 is issued 30 of them, 华西 42 senior (40 + 2 spares);
 * - 03-03 华西 seals 40; 03-10 华西 returns 1 spoiled, 德阳 4; 03-20 德阳 exchanges its 4;
 * - 12-15 20 worker blanks for 2027 arrive.
 */
describe('统计: blank stock received, issued, sealed, spoiled and held, for a period', () => {
  const office = stockOffice('2026-01-05T09:00:00+08:00');
  const stats = (from: string, to: string) => office.by(SUPERVISOR, 'stats.get', { from, to });
  const flows = (s: Stats) => s.stock.byType.map((t) => [t.certificateType, t.year, t.heldAtStart, t.received, t.issued, t.sealed, t.spoiled, t.heldAtEnd, t.onHandAtEnd]);
  const units = (s: Stats) => s.stock.byUnit.map((u) => [u.unit, u.certificateType, u.heldAtStart, u.issued, u.sealed, u.spoiled, u.heldAtEnd]);
  afterAll(() => office.services.close());

  beforeAll(async () => {
    await prepareCounter(office);
    await office.by(ADMIN, 'reference.import', { kind: 'slips', ...upload('slips.csv') });
    await office.by(SUPERVISOR, 'stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000300' }] });
    office.at('2026-01-20T10:00:00+08:00');
    expect((await sealVisit(office, { unit: DEYANG, certificateType: WORKER, slipNo: '', slipCount: 26, roster: 'rosters/worker-grade.csv' })).sealed.sealedCount).toBe(26);
    office.at('2026-02-10T09:00:00+08:00');
    office.as(SUPERVISOR);
    await office.call('stock.receive', { certificateType: WORKER, year: 2026, count: 100 });
    await office.call('stock.issue', { unit: DEYANG, certificateType: WORKER, year: 2026, basis: 'plan', grades: { 初级: 1, 中级: 11, 高级: 14, 技师: 4 } });
    await office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-clean.xlsx'), ranges: [{ first: '51202500000101', last: '51202500000142' }] });
    office.at('2026-03-03T09:30:00+08:00');
    expect((await sealVisit(office, { unit: HUAXI, certificateType: SENIOR, slipNo: 'QZ2026-0006', slipCount: 40, roster: 'rosters/senior-clean.xlsx' })).sealed.sealedCount).toBe(40);
    office.at('2026-03-10T11:00:00+08:00');
    await office.by(CLERK, 'stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000141'] });
    await office.by(CLERK, 'stock.spoiled', { unit: DEYANG, certificateType: WORKER, year: 2026, certNos: ['G2522300005', 'C2522060011', 'Z2522060013', 'Z2521220022'] });
    office.at('2026-03-20T15:00:00+08:00');
    await office.call('stock.issue', { unit: DEYANG, certificateType: WORKER, year: 2026, basis: 'exchange', grades: { 高级: 3, 中级: 1 } });
    office.at('2026-12-15T09:00:00+08:00');
    await office.call('stock.receive', { certificateType: WORKER, year: 2027, count: 20 });
  });

  it('gives a month’s movements per type, with what units held before and after it', async () => {
    const march = await stats('2026-03-01', '2026-03-31');
    // [type, year, held at start, received, issued, sealed, spoiled, held at end, on the office's shelf]
    expect(flows(march)).toEqual([
      [SENIOR, 2026, 42, 0, 0, 40, 1, 1, 158],
      [WORKER, 2026, 4, 0, 4, 0, 4, 4, 66],
    ]);
    expect(units(march)).toEqual([
      [HUAXI, SENIOR, 42, 0, 40, 1, 1],
      [DEYANG, WORKER, 4, 4, 0, 4, 4],
    ]);
    expect(march.stock.unitCount).toBe(2);
  });

  it('counts a type’s sealings from before the office kept its stock in the months they were sealed, not in the month stock began', async () => {
    const january = await stats('2026-01-01', '2026-01-31');
    // At the end of January the office kept no worker stock: the statement of that day has no worker line.
    expect(flows(january)).toEqual([[SENIOR, 2026, 0, 200, 0, 0, 0, 0, 200]]);
    expect(january.stock.byUnit).toEqual([]);
    const february = await stats('2026-02-01', '2026-02-28');
    expect(flows(february)).toEqual([
      [SENIOR, 2026, 0, 0, 42, 0, 0, 42, 158],
      [WORKER, 2026, -26, 100, 30, 0, 0, 4, 70],
    ]);
  });

  it('gives the year as the stock page’s statement does, and next year’s blanks received this year', async () => {
    const year = await stats('2026-01-01', '2026-12-31');
    expect(flows(year)).toEqual([
      [SENIOR, 2026, 0, 200, 42, 40, 1, 1, 158],
      [WORKER, 2026, 0, 100, 34, 26, 4, 4, 66],
      [WORKER, 2027, 0, 20, 0, 0, 0, 0, 20],
    ]);
    const statement = await office.by(SUPERVISOR, 'stock.balance', { year: 2026 });
    expect(year.stock.byUnit.map(({ unit, certificateType, issued, sealed, spoiled, heldAtEnd }) => ({ unit, certificateType, issued, sealed, spoiled, held: heldAtEnd })))
      .toEqual(expect.arrayContaining(statement.lines.map(({ unit, certificateType, issued, sealed, spoiled, held }) => ({ unit, certificateType, issued, sealed, spoiled, held }))));
    expect(year.stock.byType.filter((t) => t.year === 2026).map((t) => t.onHandAtEnd)).toEqual(statement.office.map((o) => o.onHand));
  });

  it('balances every line over any period: held before + issued − sealed − spoiled = held after', async () => {
    for (const [from, to] of [['2026-01-01', '2026-03-05'], ['2026-03-03', '2026-03-03'], ['2026-02-11', '2026-03-15'], ['2026-12-01', '2027-01-31']] as const) {
      const s = await stats(from, to);
      for (const line of [...s.stock.byType, ...s.stock.byUnit]) expect(line.heldAtStart + line.issued - line.sealed - line.spoiled, `${from}–${to} ${JSON.stringify(line)}`).toBe(line.heldAtEnd);
    }
    const day = await stats('2026-03-03', '2026-03-03');
    expect(units(day)).toEqual([[HUAXI, SENIOR, 42, 0, 40, 0, 2], [DEYANG, WORKER, 4, 0, 0, 0, 4]]);
    // A quiet month still shows what is out with the units and on the shelf.
    expect(flows(await stats('2026-06-01', '2026-06-30'))).toEqual([[SENIOR, 2026, 1, 0, 0, 0, 0, 1, 158], [WORKER, 2026, 4, 0, 0, 0, 0, 4, 66]]);
  });

  it('exports the figures as a sheet of the .xlsx: each type, then its units', async () => {
    const { xlsxBase64 } = await office.by(SUPERVISOR, 'stats.export', { from: '2026-03-01', to: '2026-03-31' });
    const book = XLSX.read(Buffer.from(xlsxBase64, 'base64'), { type: 'buffer' });
    expect(book.SheetNames).toContain('空白证书');
    const rows = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets['空白证书']!, { header: 1 });
    expect(rows).toEqual([
      ['空白证书　统计期间：2026-03-01 至 2026-03-31'],
      ['证书类型', '年度', '用章单位', '期初单位持有', '入库', '发放', '签章', '退回废证', '期末单位持有', '期末库存'],
      [SENIOR, 2026, '全部单位', 42, 0, 0, 40, 1, 1, 158],
      [SENIOR, 2026, HUAXI, 42, '', 0, 40, 1, 1, ''],
      [WORKER, 2026, '全部单位', 4, 0, 4, 0, 4, 4, 66],
      [WORKER, 2026, DEYANG, 4, '', 4, 0, 4, 4, ''],
    ]);
  });
});

describe('统计报告: the page as a PDF for a report', () => {
  const office = stockOffice('2026-03-03T09:30:00+08:00');
  const OUT = tempDir('seal-stats-report-');
  afterAll(() => office.services.close());
  /** A chart's picture as the page sends it: a PNG data URL (here a plain one of a known size). */
  const chartPng = (width: number, height: number) => {
    const png = new PNG({ width, height });
    png.data.fill(0xcc);
    return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
  };

  beforeAll(async () => {
    await prepareCounter(office);
    await office.by(ADMIN, 'reference.import', { kind: 'slips', ...upload('slips.csv') });
    office.as(SUPERVISOR);
    await office.call('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000300' }] });
    await office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-clean.xlsx'), ranges: [{ first: '51202500000101', last: '51202500000142' }] });
    await sealVisit(office, { unit: HUAXI, certificateType: SENIOR, slipNo: 'QZ2026-0006', slipCount: 40, roster: 'rosters/senior-clean.xlsx' });
    await office.by(CLERK, 'stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000141', '51202500000142'] });
  });

  it('prints the period, the totals and every table’s numbers from the register, each chart above its table', async () => {
    const charts = (['byDay', 'stockByType'] as const).map((chart) => ({ chart, png: chartPng(640, 260) }));
    const report = await office.call('stats.pdf', { from: '2026-03-01', to: '2026-03-31', charts });
    expect(report.pdfFileName).toBe('统计报告-2026-03-01至2026-03-31.pdf');
    const path = join(OUT, report.pdfFileName);
    writeFileSync(path, Buffer.from(report.pdfBase64, 'base64'));
    expect(readFileSync(join(office.services.ctx.printsDir, report.pdfFileName)).equals(readFileSync(path))).toBe(true);
    // Cells as pdftotext lays them out, one space between them (and none after a label's colon).
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ').replace(/： /g, '：');
    const stats = await office.call('stats.get', { from: '2026-03-01', to: '2026-03-31' });
    expect(text).toContain('统计报告');
    expect(text).toContain('统计期间：2026-03-01 至 2026-03-31');
    expect(text).toContain('证书 40 张，办证 1 次，补发 0 张，签章登记 1 条');
    expect(text).toContain('打印时间：2026-03-03 09:30');
    // Every table's rows, cell by cell as the register gives them.
    expect(text).toContain('2026-03-03 40 0 是');
    expect(text).toContain(`${stats.byWeek[0]!.week} 40`);
    expect(text).toContain(`${HUAXI} 40 1`);
    for (const seal of stats.bySeal) expect(text).toContain(`${seal.documentKind} ${seal.count}`);
    expect(text).toContain(`${stats.byClerk[0]!.clerk} 40 1`);
    expect(text).toContain('本期无退回');
    expect(text).toContain(`${SENIOR} 2026 200 0 42 40 2 0 158`);
    expect(text).toContain(`${HUAXI} ${SENIOR} 2026 0 42 40 2 0`);
    expect(text).toContain('空白证书（按单位，前 10 名，共 1 个单位）');
    // The two pictures sent, at the size they came; the other charts are their tables alone.
    const images = execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' }).trim().split('\n').slice(2).map((line) => line.trim().split(/\s+/));
    expect(images.filter((columns) => columns[2] === 'image').map((columns) => columns.slice(3, 5))).toEqual([['640', '260'], ['640', '260']]);
    expect(execFileSync('pdffonts', [path], { encoding: 'utf8' })).toMatch(/NotoSansSC.*yes\s+yes\s+yes/);
  });

  it('refuses a picture that is not a PNG, saying which chart, and makes no report', async () => {
    const fake = `data:image/png;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
    await expect(office.call('stats.pdf', { from: '2026-03-01', to: '2026-03-31', charts: [{ chart: 'stockByUnit', png: fake }] }))
      .rejects.toThrow('“空白证书（按单位）”的图表图片不是可用的 PNG 图片，报告未生成。');
    await expect(office.call('stats.pdf', { from: '2026-03-01', to: '2026-03-31', charts: [{ chart: 'byDay', png: 'https://example.invalid/chart.png' }] }))
      .rejects.toThrow('图表图片应为 PNG 格式');
    await expect(office.by(CLERK, 'stats.pdf', { from: '2026-03-01', to: '2026-03-31', charts: [] })).rejects.toThrow();
  });
});
