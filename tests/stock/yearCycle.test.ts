import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSlips } from '../../core/settings/referenceData';
import { upload } from '../support/services';
import { ADMIN, CLERK, DEYANG, HUAXI, prepareCounter, SENIOR, sealVisit, stockOffice, SUPERVISOR, WORKER } from './support';

/**
 * A year of the office's stock for two units, through the contract as each role would do it
 * (DOMAIN.md §10, §13): 四川华西集团有限公司 asks in time and takes pre-numbered senior blanks
 * for its 登记表 plus 5% spares; 德阳市人社局 asks late, is admitted by the administrator, and
 * takes worker-grade blanks against a 申领计划表, seals, returns its misprints and exchanges them.
 */
describe('a year of blank certificates and slip requests for two units', () => {
  const office = stockOffice('2026-01-05T09:00:00+08:00');
  afterAll(() => office.services.close());

  beforeAll(async () => {
    await prepareCounter(office);
  });

  it('receives the printer’s stock: senior blanks pre-numbered, worker blanks counted', async () => {
    office.as(SUPERVISOR);
    const senior = await office.call('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000300' }], supplier: '四川省印刷厂' });
    expect(senior).toMatchObject({ kind: '空白证书入库', count: 200, clerk: '钱军', certificateType: SENIOR, year: 2026, description: expect.stringContaining('51202500000101–51202500000300') });
    const worker = await office.call('stock.receive', { certificateType: WORKER, year: 2026, count: 100 });
    expect(worker).toMatchObject({ kind: '空白证书入库', count: 100 });
  });

  it('records 华西’s request in January and 德阳’s in February, late, with last year’s rosters kept', async () => {
    office.as(CLERK);
    office.at('2026-01-15T10:00:00+08:00');
    const huaxi = await office.call('slipRequests.record', { unit: HUAXI, year: 2026, arrivedOn: '2026-01-15', slipCount: 2, contact: '吴人事', phone: '028-85551234', files: [upload('rosters/senior-clean.xlsx')] });
    expect(huaxi).toMatchObject({ late: false, inPlan: true, admitted: null, slipCount: 2, attachments: [{ index: 0, fileName: 'senior-clean.xlsx', rows: 40 }] });
    office.at('2026-02-10T10:00:00+08:00');
    const deyang = await office.call('slipRequests.record', { unit: DEYANG, year: 2026, arrivedOn: '2026-02-10', slipCount: 1, files: [upload('rosters/worker-grade.csv')] });
    expect(deyang).toMatchObject({ late: true, inPlan: false, admitted: null });

    const kept = await office.call('slipRequests.attachment', { requestSeq: huaxi.seq, index: 0 });
    expect(Buffer.from(kept.dataBase64, 'base64').equals(Buffer.from(upload('rosters/senior-clean.xlsx').dataBase64, 'base64'))).toBe(true);
  });

  it('numbers the slips of the requests in the plan only, then of the late one once admitted', async () => {
    office.at('2026-02-12T09:00:00+08:00');
    const first = await office.by(SUPERVISOR, 'slipRequests.number', { year: 2026 });
    expect(first.slips).toEqual([
      { slipNo: 'QZ2026-0001', unit: HUAXI, year: 2026, issuedOn: '2026-02-12' },
      { slipNo: 'QZ2026-0002', unit: HUAXI, year: 2026, issuedOn: '2026-02-12' },
    ]);
    await expect(office.by(SUPERVISOR, 'slipRequests.number', { year: 2026 })).rejects.toThrow('没有待编号的请领');

    const plan = await office.by(CLERK, 'slipRequests.plan', { year: 2026 });
    const late = plan.requests.find((r) => r.unit === DEYANG)!;
    await expect(office.by(SUPERVISOR, 'slipRequests.admitLate', { requestSeq: late.seq, reason: '受疫情影响延误，经处长同意' })).rejects.toThrow('需要管理员权限');
    const admitted = await office.by(ADMIN, 'slipRequests.admitLate', { requestSeq: late.seq, reason: '材料已于 1 月寄出，邮路延误，经处长同意' });
    expect(admitted).toMatchObject({ late: true, inPlan: true, admitted: { by: '王芳', reason: '材料已于 1 月寄出，邮路延误，经处长同意' } });

    const second = await office.by(SUPERVISOR, 'slipRequests.number', { year: 2026 });
    expect(second.slips).toEqual([{ slipNo: 'QZ2026-0003', unit: DEYANG, year: 2026, issuedOn: '2026-02-12' }]);
  });

  it('makes the numbered slips the issuance list the counter checks, and the file reference.import reads', async () => {
    const summary = await office.call('reference.summary', {});
    expect(summary.slips).toBe(3);
    const exported = await office.call('slipRequests.exportSlips', { year: 2026 });
    expect(parseSlips(exported.fileName, Buffer.from(exported.csv, 'utf8'))).toEqual([
      { slipNo: 'QZ2026-0001', unit: HUAXI, year: 2026, issuedOn: '2026-02-12' },
      { slipNo: 'QZ2026-0002', unit: HUAXI, year: 2026, issuedOn: '2026-02-12' },
      { slipNo: 'QZ2026-0003', unit: DEYANG, year: 2026, issuedOn: '2026-02-12' },
    ]);
    const plan = await office.call('slipRequests.plan', { year: 2026 });
    expect(plan.requests.map((r) => [r.unit, r.slips])).toEqual([[HUAXI, ['QZ2026-0001', 'QZ2026-0002']], [DEYANG, ['QZ2026-0003']]]);
  });

  it('issues 华西 its 登记表’s 40 plus 2 spares as a range, and 德阳 its 申领计划表 per grade', async () => {
    office.at('2026-03-03T09:30:00+08:00');
    office.as(SUPERVISOR);
    const huaxi = await office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-clean.xlsx'), ranges: [{ first: '51202500000101', last: '51202500000142' }], contact: '吴人事', phone: '028-85551234' });
    expect(huaxi).toMatchObject({ kind: '空白证书发放', base: 40, spares: 2, count: 42, ranges: [{ first: '51202500000101', last: '51202500000142' }] });
    const deyang = await office.call('stock.issue', { unit: DEYANG, certificateType: WORKER, year: 2026, basis: 'plan', grades: { 初级: 1, 中级: 11, 高级: 14, 技师: 4 }, contact: '郑科长', phone: '0838-2221234' });
    expect(deyang).toMatchObject({ base: 30, spares: 0, count: 30, ranges: [], grades: { 初级: 1, 中级: 11, 高级: 14, 技师: 4 } });
  });

  it('seals both units’ visits, the senior one on a numbered slip, and shows what each still holds', async () => {
    const senior = await sealVisit(office, { unit: HUAXI, certificateType: SENIOR, slipNo: 'QZ2026-0001', slipCount: 40, roster: 'rosters/senior-clean.xlsx' });
    expect(senior.detail.visit.slipFindings).toEqual([]);
    expect(senior.sealed.sealedCount).toBe(40);
    const worker = await sealVisit(office, { unit: DEYANG, certificateType: WORKER, slipNo: '', slipCount: 26, roster: 'rosters/worker-grade.csv' });
    expect(worker.sealed.sealedCount).toBe(26);

    const held = await office.call('stock.balance', { year: 2026, unit: HUAXI, certificateType: SENIOR });
    expect(held.lines).toEqual([expect.objectContaining({ unit: HUAXI, issued: 42, sealed: 40, spoiled: 0, held: 2, flags: [] })]);
  });

  it('takes back spoiled certificates once each, refusing numbers sealed, returned, or never the unit’s', async () => {
    office.as(CLERK);
    const first = await office.call('stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000141'] });
    expect(first.certNos).toEqual(['51202500000141']);
    expect(first.movement).toMatchObject({ kind: '废证退回', count: 1, clerk: '赵丽' });

    const refused = (certNos: string[]) => office.call('stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos });
    await expect(refused(['51202500000120'])).rejects.toThrow(/证书编号 51202500000120 已于 2026-03-03 09:30 签章给 .+，不是废证。本次废证未登记。$/);
    await expect(refused(['51202500000141'])).rejects.toThrow('废证 51202500000141 已于 2026-03-03 由“四川华西集团有限公司”退回登记过');
    await expect(refused(['51202500000250'])).rejects.toThrow('证书编号 51202500000250 不在发给“四川华西集团有限公司”的号段 51202500000101–51202500000142 之内，从未发给本单位');
    await expect(refused(['51202500000142', '５１２０２５０００００１４２'])).rejects.toThrow('废证编号 51202500000142 在本次录入中重复');
    await expect(office.call('stock.spoiled', { unit: '成都市人力资源和社会保障局', certificateType: SENIOR, year: 2026, certNos: ['51202500000142'] })).rejects.toThrow('从未向“成都市人力资源和社会保障局”发放过');

    const balance = await office.call('stock.balance', { year: 2026, unit: HUAXI });
    expect(balance.lines[0]).toMatchObject({ spoiled: 1, held: 1 });
  });

  it('exchanges spoiled certificates for new blanks only once the spares are used up', async () => {
    await expect(office.by(SUPERVISOR, 'stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'exchange', count: 1 }))
      .rejects.toThrow('已退回废证 1 本，未超过已领的备用证书 2 本：应先用备用证书重制');

    // 德阳's four misprinted numbers (CERTNO_FORMAT at the counter) come back: 3 高级工 and 1 中级工.
    const returned = await office.by(CLERK, 'stock.spoiled', { unit: DEYANG, certificateType: WORKER, year: 2026, certNos: ['G2522300005', 'C2522060011', 'Z2522060013', 'Z2521220022'] });
    expect(returned.certNos).toHaveLength(4);
    await expect(office.by(CLERK, 'stock.spoiled', { unit: DEYANG, certificateType: WORKER, year: 2026, certNos: ['J2522990001'] }))
      .rejects.toThrow('尚持有 0 本，不能退回 1 本废证');
    const exchange = await office.by(SUPERVISOR, 'stock.issue', { unit: DEYANG, certificateType: WORKER, year: 2026, basis: 'exchange', grades: { 高级: 3, 中级: 1 } });
    expect(exchange).toMatchObject({ basis: 'exchange', count: 4, spares: 0 });
    await expect(office.by(SUPERVISOR, 'stock.issue', { unit: DEYANG, certificateType: WORKER, year: 2026, basis: 'exchange', grades: { 高级: 1 } }))
      .rejects.toThrow('还可换领 0 本');
  });

  it('balances exactly: issued = sealed + spoiled returned + still held, and the office’s shelf', async () => {
    const balance = await office.call('stock.balance', { year: 2026 });
    expect(balance.lines).toEqual([
      { unit: HUAXI, certificateType: SENIOR, year: 2026, issued: 42, spares: 2, exchanged: 0, sealed: 40, spoiled: 1, held: 1, ranges: [{ first: '51202500000101', last: '51202500000142' }], flags: [] },
      { unit: DEYANG, certificateType: WORKER, year: 2026, issued: 34, spares: 0, exchanged: 4, sealed: 26, spoiled: 4, held: 4, ranges: [], flags: [] },
    ]);
    for (const line of balance.lines) expect(line.issued).toBe(line.sealed + line.spoiled + line.held);
    expect(balance.office).toEqual([
      { certificateType: SENIOR, year: 2026, received: 200, issued: 42, onHand: 158, rangesOnHand: [{ first: '51202500000143', last: '51202500000300' }] },
      { certificateType: WORKER, year: 2026, received: 100, issued: 34, onHand: 66, rangesOnHand: [] },
    ]);
  });

  it('keeps every movement in the register’s chain, intact, while the printed sheet lists only seal usage', async () => {
    const movements = await office.call('stock.movements', { year: 2026 });
    expect(movements.map((m) => m.kind).reverse()).toEqual(['空白证书入库', '空白证书入库', '凭条请领', '凭条请领', '凭条编号', '逾期请领准入', '凭条编号', '空白证书发放', '空白证书发放', '废证退回', '废证退回', '空白证书发放']);
    expect(await office.call('register.verify', {})).toEqual({ intact: true, count: 14 });
    const register = await office.call('register.list', { offset: 0, limit: 100 });
    expect(register.entries.map((e) => e.kind)).toEqual(['签章', '签章']);
    const sheet = await office.call('print.form', { form: 'register-sheet', scope: { date: '2026-03-03' } });
    expect(sheet.entryCount).toBe(2);
  });
});
