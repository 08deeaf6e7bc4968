import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { clientOf, FIXTURES_DIR, freshServices, signInForTests, upload } from '../support/services';

/**
 * 统计 against a register built from the fixtures' pass lists with known totals: four visits over
 * two weeks by two clerks, refused rows, a replacement and a closed day not yet sent to the hub.
 */
const people = (file: string, encoding: 'utf8' | 'gbk') =>
  new TextDecoder(encoding).decode(readFileSync(`${FIXTURES_DIR}/approved/${file}`)).replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((line) => line.split(','));
const ACCOUNTANTS = people('exam-intermediate-accountant-2025.csv', 'utf8');
const ECONOMISTS = people('exam-economist-2025.gbk.csv', 'gbk');

const U1 = '四川省住房和城乡建设厅';
const U2 = '成都市人力资源和社会保障局';
const U3 = '四川华西集团有限公司';

describe('统计 from the register and the ledger', () => {
  const services = freshServices(new Date('2026-11-24T09:30:00+08:00'));
  const call = clientOf((name, request) => dispatch(services, name, request));

  const seal = async (unit: string, rows: string[][]) => {
    const csv = ['序号,证书编号,姓名,性别,身份证号码,资格名称,备注', ...rows.map((r, i) => [i + 1, ...r].join(','))].join('\n');
    const visit = await call('visits.create', { unit, agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    const detail = await call('visits.importRoster', { visitId: visit.id, fileName: 'r.csv', dataBase64: Buffer.from(csv).toString('base64') });
    // A replacement brought without its application is a warning the clerk confirms.
    const waiting = detail.rows.filter((r) => r.verdict === 'warning' && r.acknowledgement === null).map((r) => r.line);
    if (waiting.length > 0) await call('visits.acknowledge', { visitId: visit.id, lines: waiting, reason: '补办申请由单位补交' });
    return call('visits.seal', { visitId: visit.id });
  };
  const row = (p: string[], certNo: string, remark = '') => [certNo, p[2]!, p[3]!, p[4]!, p[8]!, remark];

  beforeAll(async () => {
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    await call('lists.import', upload('approved/exam-economist-2025.gbk.csv'));
    // Tuesday 11-24, 王芳: 100 accountants for U1; 50 economists for U2, of which two are refused.
    await seal(U1, ACCOUNTANTS.slice(0, 100).map((p, i) => row(p, `C${String(i + 1).padStart(5, '0')}`)));
    const economists = ECONOMISTS.slice(0, 50).map((p, i) => row(p, `E${String(i + 1).padStart(5, '0')}`));
    economists[10]![3] = `${economists[10]![3]!.slice(0, 17)}${economists[10]![3]!.endsWith('1') ? '2' : '1'}`; // ID_CHECKSUM
    economists[20] = ['E09999', '王芳', '女', '11010519491231002X', '经济师', '']; // NOT_APPROVED
    expect((await seal(U2, economists)).sealedCount).toBe(48);
    services.setNow(new Date('2026-11-24T18:00:00+08:00'));
    await call('batches.closeDay', {});
    // Wednesday 11-25, 张窗口 (a clerk): 30 more accountants for U1 and a replacement of C00001.
    services.setNow(new Date('2026-11-25T10:00:00+08:00'));
    signInForTests(services, { username: 'zhang', displayName: '张窗口', role: 'clerk' });
    const replaced = await seal(U1, [...ACCOUNTANTS.slice(100, 130).map((p, i) => row(p, `C${String(i + 101).padStart(5, '0')}`)), row(ACCOUNTANTS[0]!, 'C09001', '补办、原证书编号C00001作废')]);
    expect(replaced.sealedCount).toBe(31);
    // Tuesday 12-01, the week after, 王芳 again: 20 economists for U3.
    services.setNow(new Date('2026-12-01T09:00:00+08:00'));
    signInForTests(services);
    await seal(U3, ECONOMISTS.slice(50, 70).map((p, i) => row(p, `E${String(i + 51).padStart(5, '0')}`)));
  });
  afterAll(() => services.close());

  it('gives the known totals, per day (counter days marked) and per week', async () => {
    const stats = await call('stats.get', { from: '2026-11-24', to: '2026-12-01' });
    expect(stats.totals).toEqual({ certificates: 199, visits: 4, replacements: 1, refusedRows: 2, sealEntries: 12 });
    expect(stats.byDay.map((d) => [d.date, d.certificates, d.replacements, d.counterDay])).toEqual([
      ['2026-11-24', 148, 0, true], ['2026-11-25', 31, 1, true], ['2026-11-26', 0, 0, true], ['2026-11-27', 0, 0, false],
      ['2026-11-28', 0, 0, false], ['2026-11-29', 0, 0, false], ['2026-11-30', 0, 0, false], ['2026-12-01', 20, 0, true],
    ]);
    expect(stats.byWeek).toEqual([{ week: '2026-11-23', certificates: 179 }, { week: '2026-11-30', certificates: 20 }]);
  });

  it('per unit, per seal and document kind, per clerk, and refusals by finding code', async () => {
    const stats = await call('stats.get', { from: '2026-11-24', to: '2026-12-01' });
    expect(stats.byUnit).toEqual([{ unit: U1, certificates: 131, visits: 2 }, { unit: U2, certificates: 48, visits: 1 }, { unit: U3, certificates: 20, visits: 1 }]);
    expect(stats.bySeal).toEqual([
      { seal: '职称考试证书专用章（红印）', documentKind: '登记表', count: 199 },
      { seal: '职称考试证书专用章（红印）', documentKind: '证书', count: 199 },
      { seal: '职称考试证书专用章（钢印）', documentKind: '证书', count: 199 },
    ]);
    expect(stats.byClerk).toEqual([{ clerk: '王芳', certificates: 168, visits: 3 }, { clerk: '张窗口', certificates: 31, visits: 1 }]);
    expect(stats.refusals).toEqual([{ code: 'ID_CHECKSUM', label: '身份证校验位错误', rows: 1 }, { code: 'NOT_APPROVED', label: expect.any(String) as string, rows: 1 }]);
  });

  it('counts the batches waiting for the hub and the entries not yet in a batch', async () => {
    const stats = await call('stats.get', { from: '2026-11-24', to: '2026-12-01' });
    expect(stats.batchesWaiting).toEqual({ batches: 1, entries: 6, oldest: '2026-11-24T18:00:00+08:00', unbatchedEntries: 6 });
  });

  it('keeps to the period asked for, and refuses one that ends before it starts', async () => {
    const day = await call('stats.get', { from: '2026-11-25', to: '2026-11-25' });
    expect(day.totals).toEqual({ certificates: 31, visits: 1, replacements: 1, refusedRows: 0, sealEntries: 3 });
    expect(day.byClerk).toEqual([{ clerk: '张窗口', certificates: 31, visits: 1 }]);
    await expect(call('stats.get', { from: '2026-12-01', to: '2026-11-24' })).rejects.toThrow('统计期间的开始日期 2026-12-01 晚于结束日期 2026-11-24。');
  });

  it('exports every chart\'s table as a sheet of one .xlsx', async () => {
    const { xlsxFileName, xlsxBase64 } = await call('stats.export', { from: '2026-11-24', to: '2026-12-01' });
    expect(xlsxFileName).toBe('统计-2026-11-24至2026-12-01.xlsx');
    const book = XLSX.read(Buffer.from(xlsxBase64, 'base64'));
    expect(book.SheetNames).toEqual(['合计', '按日', '按周', '按单位', '按印章', '按经办人', '退回原因', '空白证书']);
    const units = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets['按单位']!, { header: 1 });
    expect(units.slice(1)).toEqual([['用章单位', '签章证书', '办证次数'], [U1, 131, 2], [U2, 48, 1], [U3, 20, 1]]);
    const totals = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets['合计']!, { header: 1 });
    expect(totals[2]).toEqual(['签章证书', 199]);
  });
});
