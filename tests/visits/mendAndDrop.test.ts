import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovedPerson } from '../../core/contract';
import { dispatch } from '../../services/dispatch';
import { clientOf, freshServices, SENIOR14_SETTINGS, upload } from '../support/services';

/**
 * Before sealing, a visit typed wrong can be mended (each change kept with who, when and why, and
 * written into the register entry's remarks) or dropped as 作废 (kept, with who and why; its slip is
 * not consumed). After sealing, only a 更正 entry changes anything.
 */
describe('mending and dropping a visit before it is sealed', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  let people: ApprovedPerson[] = [];
  let next = 0;
  const UNIT = '四川华西集团有限公司';

  beforeAll(async () => {
    await call('settings.save', SENIOR14_SETTINGS);
    for (const kind of ['slips', 'signers', 'holidays'] as const) await call('reference.import', { kind, ...upload(`${kind}.csv`) });
    await call('lists.import', upload('approved/senior-engineers-2025.xlsx'));
    people = (await call('lists.rows', { offset: 0, limit: 1000 })).rows.filter((p) => p.langRequirement === '合格' || p.langRequirement === '免试');
  });
  afterAll(() => services.close());

  const roster = (count: number) => {
    const lines = people.slice(next, (next += count)).map((p, i) => `${i + 1},512025010${String(70000 + next * 10 + i).padStart(5, '0')},${p.name},${p.gender},${p.idNumber},${p.qualification}`);
    return { fileName: 'roster.csv', dataBase64: Buffer.from(['序号,证书编号,姓名,性别,身份证号码,资格名称', ...lines].join('\n')).toString('base64') };
  };
  const newVisit = (slipNo: string, slipCount: number, agentName = '赵经办', unit = UNIT) =>
    call('visits.create', { unit, agentName, agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo, slipCount, slipSigner: '谢天涛' });

  it('mends the count, the agent and the signer with a reason, keeps the history and writes it into the register entry', async () => {
    const visit = await newVisit('QZ2026-0006', 4, '赵经办');
    let detail = await call('visits.importRoster', { visitId: visit.id, ...roster(3) });
    expect(detail.visit.slipFindings).toEqual([expect.objectContaining({ code: 'SLIP_COUNT_MISMATCH', severity: 'warning' })]);
    await expect(call('visits.mend', { visitId: visit.id, changes: { slipCount: 4 }, reason: '核对凭条' })).rejects.toThrow('没有需要修改的');
    await expect(call('visits.mend', { visitId: visit.id, changes: { slipCount: 3 }, reason: '' })).rejects.toThrow('请填写理由');
    detail = await call('visits.mend', { visitId: visit.id, changes: { slipCount: 3, agentName: '钱经办', agentPhone: '13900000000' }, reason: '凭条数量录入有误' });
    expect(detail.visit).toMatchObject({ slipCount: 3, agentName: '钱经办', agentPhone: '13900000000', slipFindings: [] });
    expect(detail.amendments).toEqual([{
      at: '2026-11-24T09:30:00+08:00', clerk: '王芳', reason: '凭条数量录入有误',
      changes: [{ field: 'slipCount', before: '4', after: '3' }, { field: 'agentName', before: '赵经办', after: '钱经办' }, { field: 'agentPhone', before: '13800000000', after: '13900000000' }],
    }]);
    const sealed = await call('visits.seal', { visitId: visit.id });
    expect(sealed.entries[0]).toMatchObject({ agentName: '钱经办', count: 3 });
    expect(sealed.entries[0]!.remarks).toContain('办证信息修改：凭条上的证书数由“4”改为“3”，经办人姓名由“赵经办”改为“钱经办”，经办人电话由“13800000000”改为“13900000000”，理由：凭条数量录入有误');
    await expect(call('visits.mend', { visitId: visit.id, changes: { slipCount: 2 }, reason: '再改' })).rejects.toThrow('签章完毕');
    expect((await call('visits.get', { visitId: visit.id })).amendments).toHaveLength(1);
  });

  it('mends a wrong slip number, and the slip is checked again', async () => {
    const visit = await newVisit('QZ2026-0017', 2);
    expect(visit.slipFindings.map((f) => f.code)).toEqual(['SLIP_WRONG_UNIT']);
    const detail = await call('visits.mend', { visitId: visit.id, changes: { slipNo: ' qz2026-0007 ' }, reason: '凭条编号看错' });
    expect(detail.visit.slipNo).toBe('QZ2026-0007');
    expect(detail.visit.slipFindings).toEqual([]);
    expect(detail.amendments[0]!.changes).toEqual([{ field: 'slipNo', before: 'QZ2026-0017', after: 'QZ2026-0007' }]);
  });

  it('drops a visit with 作废: kept with who and why, nothing can be done to it, and its slip serves another visit', async () => {
    const visit = await newVisit('QZ2026-0008', 2);
    await call('visits.importRoster', { visitId: visit.id, ...roster(2) });
    await expect(call('visits.void', { visitId: visit.id, reason: '' })).rejects.toThrow('请填写理由');
    const dropped = await call('visits.void', { visitId: visit.id, reason: '用章单位带错名册，改日再来' });
    expect(dropped.visit).toMatchObject({ status: 'voided', voided: { at: '2026-11-24T09:30:00+08:00', by: '王芳', reason: '用章单位带错名册，改日再来' } });
    expect(dropped.rows).toHaveLength(2);
    await expect(call('visits.seal', { visitId: visit.id })).rejects.toThrow('作废');
    await expect(call('visits.importRoster', { visitId: visit.id, ...roster(2) })).rejects.toThrow('作废');
    await expect(call('visits.void', { visitId: visit.id, reason: '再作废一次' })).rejects.toThrow('作废');
    expect((await call('visits.list', { status: 'voided' })).map((v) => v.id)).toEqual([visit.id]);
    expect((await call('visits.list', { status: 'open' })).map((v) => v.id)).not.toContain(visit.id);

    const again = await newVisit('QZ2026-0008', 2);
    expect(again.slipFindings).toEqual([]);
    await call('visits.importRoster', { visitId: again.id, ...roster(2) });
    expect((await call('visits.seal', { visitId: again.id })).sealedCount).toBe(2);
  });

  it('refuses more rows to seal than the slip allows, and asks a reason for fewer', async () => {
    const visit = await newVisit('QZ2026-0014', 2, '孙经办', '成都市人力资源和社会保障局');
    let detail = await call('visits.importRoster', { visitId: visit.id, ...roster(3) });
    expect(detail.visit.slipFindings).toEqual([{ code: 'SLIP_COUNT_MISMATCH', severity: 'error', message: expect.stringContaining('多于凭条准许的数量') }]);
    await expect(call('visits.acknowledgeSlipCount', { visitId: visit.id, reason: '看过了' })).rejects.toThrow('无需确认');
    detail = await call('visits.mend', { visitId: visit.id, changes: { slipCount: 5 }, reason: '凭条上写的是 5 本' });
    expect(detail.visit.slipFindings).toEqual([{ code: 'SLIP_COUNT_MISMATCH', severity: 'warning', message: expect.stringContaining('少 2 本') }]);
    await expect(call('visits.seal', { visitId: visit.id })).rejects.toThrow('须确认退回用章单位的证书');
    detail = await call('visits.acknowledgeSlipCount', { visitId: visit.id, reason: '2 本核验不符退回单位' });
    expect(detail.visit.slipCountReason).toBe('2 本核验不符退回单位');
    // A new count makes the old reason moot: it must be given again for the new one.
    detail = await call('visits.mend', { visitId: visit.id, changes: { slipCount: 4 }, reason: '凭条复核为 4 本' });
    expect(detail.visit.slipCountReason).toBeNull();
    await call('visits.acknowledgeSlipCount', { visitId: visit.id, reason: '1 本核验不符退回单位' });
    const sealed = await call('visits.seal', { visitId: visit.id });
    expect(sealed.entries[0]!.remarks).toContain('凭条 4 本，签章 3 本，理由：1 本核验不符退回单位');
  });

  it('keeps a roster that cannot be read on the visit, with its sentence, until another file is read', async () => {
    const visit = await newVisit('QZ2026-0010', 2);
    await call('visits.importRoster', { visitId: visit.id, ...roster(2) });
    let detail = await call('visits.importRoster', { visitId: visit.id, fileName: '名册.xlsx', dataBase64: Buffer.from('not a workbook').toString('base64') });
    expect(detail.visit.rosterError).toEqual({ fileName: '名册.xlsx', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    expect(detail.rows).toHaveLength(2);
    expect((await call('visits.get', { visitId: visit.id })).visit.rosterError?.fileName).toBe('名册.xlsx');
    detail = await call('visits.importRoster', { visitId: visit.id, ...roster(2) });
    expect(detail.visit.rosterError).toBeNull();
  });
});
