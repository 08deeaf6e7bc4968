import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from '../support/services';
import { ADMIN, CHENGDU, CLERK, HUAXI, SENIOR, stockOffice, SUPERVISOR, textFile, WORKER } from './support';

/**
 * Bad input gets one Chinese sentence and changes nothing (issue 15): every refusal below is
 * checked against the register, the ledger, the kept files and the slip list as they were before.
 */
describe('refusals of the stock, each one sentence that changes nothing', () => {
  const office = stockOffice('2026-01-06T09:00:00+08:00');
  afterAll(() => office.services.close());
  const state = () => ({
    entries: office.db.prepare('SELECT count(*) FROM register_entries').pluck().get(),
    records: office.db.prepare('SELECT count(*) FROM entry_records').pluck().get(),
    files: office.db.prepare('SELECT count(*) FROM stock_files').pluck().get(),
    slips: office.db.prepare('SELECT count(*) FROM issued_slips').pluck().get(),
  });

  /** The call is refused with `message`, in Chinese, and nothing recorded changes. */
  async function refused(work: () => Promise<unknown>, message: string | RegExp): Promise<string> {
    const before = state();
    const error = await work().then(() => null, (e: unknown) => e as Error);
    expect(error, 'the call should have been refused').not.toBeNull();
    expect(error!.message).toMatch(message);
    expect(error!.message).toMatch(/^[^a-zA-Z]*[\u4e00-\u9fa5]/);
    expect(error!.message).not.toMatch(/\b(undefined|null|NaN|Error|expected|Invalid)\b/);
    expect(state()).toEqual(before);
    return error!.message;
  }

  beforeAll(async () => {
    office.as(SUPERVISOR);
    await office.call('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000300' }] });
    await office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-clean.xlsx'), ranges: [{ first: '51202500000101', last: '51202500000142' }] });
  });

  it('refuses a received range that overlaps one already received, and a count that is not a positive whole number', async () => {
    office.as(SUPERVISOR);
    await refused(() => office.call('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000290', last: '51202500000400' }] }),
      '入库号段 51202500000290–51202500000400 与 2026-01-06 已入库的2026年度“高级专业技术职务资格证书”号段 51202500000101–51202500000300 重叠，本次入库未登记。');
    await refused(() => office.call('stock.receive', { certificateType: SENIOR, year: 2027, ranges: [{ first: '51202700000001', last: '51202700000010' }, { first: '51202700000010', last: '51202700000020' }] }), '互相重叠');
    await refused(() => office.call('stock.receive', { certificateType: WORKER, year: 2026, count: 0 }), '入库数量应为正整数，填写的是“0”。');
    await refused(() => office.call('stock.receive', { certificateType: WORKER, year: 2026, count: -5 }), '入库数量应为正整数，填写的是“-5”。');
    await refused(() => office.call('stock.receive', { certificateType: WORKER, year: 2026, count: 2.5 }), '入库数量应为正整数，填写的是“2.5”。');
    await refused(() => office.call('stock.receive', { certificateType: WORKER, year: 2026, count: '三十' as unknown as number }), '入库数量应为正整数');
    await refused(() => office.call('stock.receive', { certificateType: WORKER, year: 2026 }), '入库数量应为正整数，填写的是“（空）”。');
    await refused(() => office.call('stock.receive', { certificateType: SENIOR, year: 2027, count: 5, ranges: [{ first: '51202700000001', last: '51202700000010' }] }), '入库数量 5 本与号段 51202700000001–51202700000010 的 10 个号不符');
  });

  it('refuses an issue whose range overlaps another unit’s, lies outside the stock, or does not add up', async () => {
    office.as(SUPERVISOR);
    const issue = (ranges: { first: string; last: string }[], extra: object = {}) => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'exchange', count: 1, ...extra, ranges });
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-errors.xlsx'), ranges: [{ first: '51202500000140', last: '51202500000186' }] }),
      '号段 51202500000140–51202500000186 与已发给“四川华西集团有限公司”的2026年度号段 51202500000101–51202500000142 重叠。本次未发放。');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-errors.xlsx'), ranges: [{ first: '51202500000290', last: '51202500000336' }] }),
      '不在2026年度“高级专业技术职务资格证书”入库的号段 51202500000101–51202500000300 之内');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-errors.xlsx'), ranges: [{ first: '51202500000143', last: '51202500000150' }] }),
      '号段 51202500000143–51202500000150 共 8 个号，与本次发放的 48 本不符。本次未发放。');
    await refused(() => issue([]), '已退回废证 0 本，未超过已领的备用证书 0 本');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-errors.xlsx'), spares: 5 }), '备用证书按规定应为 3 本，改为 5 本须填写理由。本次未发放。');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-errors.xlsx'), spares: -1, sparesReason: '多领' }), '备用证书数应为正整数，填写的是“-1”。');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'roster', roster: textFile('notes.txt', '这不是名册\n') }), /^文件“notes\.txt”不是可读取的登记表：.+什么也没有登记。$/);
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'plan', grades: { 初级: 3 } }), '申领计划表只用于工人技术等级资格证书');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: WORKER, year: 2026, basis: 'plan', grades: { 初级: 0, 中级: 0 } }), '各等级数量都是 0');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: WORKER, year: 2026, basis: 'plan', grades: { 初级: 1.5 } }), '初级数量应为正整数，填写的是“1.5”。');
    await refused(() => office.call('stock.issue', { unit: CHENGDU, certificateType: WORKER, year: 2026, basis: 'plan', grades: { 初级: 3 } }), '库存不足：2026年度“工人技术等级资格证书”现有库存 0 本，本次需发放 3 本。本次未发放。');
  });

  it('gives a larger number of spares when the supervisor says why, and issues the lowest free numbers by itself', async () => {
    const issued = await office.by(SUPERVISOR, 'stock.issue', { unit: CHENGDU, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-errors.xlsx'), spares: 5, sparesReason: '该单位首次领证，多备 2 本' });
    expect(issued).toMatchObject({ base: 45, spares: 5, sparesReason: '该单位首次领证，多备 2 本', count: 50, ranges: [{ first: '51202500000143', last: '51202500000192' }] });
  });

  it('refuses a request file that is not a roster, a second request, and a date still to come', async () => {
    office.as(CLERK);
    const request = { unit: HUAXI, year: 2026, arrivedOn: '2026-01-05', slipCount: 2 };
    await refused(() => office.call('slipRequests.record', { ...request, files: [upload('rosters/senior-clean.xlsx'), upload('holidays.csv')] }), /^文件“holidays\.csv”不是可读取的发证名册：.+什么也没有登记。$/);
    await refused(() => office.call('slipRequests.record', { ...request, files: [textFile('请领函.txt', '\u0000\u0001PK garbage')] }), '文件“请领函.txt”不是可读取的发证名册');
    await refused(() => office.call('slipRequests.record', { ...request, files: [] }), '请附上上年度发证名册电子文档');
    await refused(() => office.call('slipRequests.record', { ...request, slipCount: 0, files: [upload('rosters/senior-clean.xlsx')] }), '请领凭条数应为正整数，填写的是“0”。');
    await refused(() => office.call('slipRequests.record', { ...request, arrivedOn: '2026-01-07', files: [upload('rosters/senior-clean.xlsx')] }), '收到日期 2026-01-07 晚于今天（2026-01-06）');
    await office.call('slipRequests.record', { ...request, files: [upload('rosters/senior-clean.xlsx')] });
    await refused(() => office.call('slipRequests.record', { ...request, files: [upload('rosters/senior-clean.xlsx')] }), '“四川华西集团有限公司”的2026年度请领函已于 2026-01-06 登记');
  });

  it('refuses an admission of a request that was on time, a bad slip pattern, and work outside a role', async () => {
    const plan = await office.call('slipRequests.plan', { year: 2026 });
    const onTime = plan.requests[0]!;
    await refused(() => office.by(ADMIN, 'slipRequests.admitLate', { requestSeq: onTime.seq, reason: '照顾' }), '按时收到，本来就在计划内，无需准入');
    await refused(() => office.by(SUPERVISOR, 'slipRequests.number', { year: 2026, pattern: 'QZ{年}' }), '应含一个且只含一个顺序号位置');
    await refused(() => office.by(CLERK, 'slipRequests.number', { year: 2026 }), '此操作需要审核人权限，当前账户是窗口经办人。');
    await refused(() => office.by(CLERK, 'stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'exchange', count: 1 }), '此操作需要审核人权限');
    await refused(() => office.by(CLERK, 'stock.receive', { certificateType: WORKER, year: 2026, count: 10 }), '此操作需要审核人权限');
  });

  it('lets a clerk record spoiled certificates at the counter, but not a 更正 of a stock entry in the register', async () => {
    const returned = await office.by(CLERK, 'stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000142'] });
    await refused(() => office.by(ADMIN, 'register.correct', { seq: returned.movement.seq, reason: '写错了', changes: { count: 2 } }), `第 ${returned.movement.seq} 号是库存登记（废证退回），不是印章使用登记，不能在登记簿中更正。`);
  });
});
