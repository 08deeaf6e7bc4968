import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { clientOf, freshServices, upload } from '../support/services';

/**
 * visits.seal answers with the sealed visit built from what it has just written, not read back;
 * it must be the visit visits.get gives from then on, counts included.
 */
describe('the visit visits.seal answers with', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  afterAll(() => services.close());

  it('is the sealed visit as visits.get reads it back', async () => {
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    const csv = [
      '序号,证书编号,姓名,性别,身份证号码,工作单位,资格名称',
      '1,C0001,向莉芳,女,510107199206205820,四川省建筑设计研究院有限公司,中级会计师',
      // Moved to another unit: a warning the clerk acknowledges.
      '2,C0002,宋璐丽,女,511902198206083788,成都市第一人民医院,中级会计师',
      // Not on the list: an error, left unsealed.
      '3,C0003,王芳,女,510107199206205820,四川省建筑设计研究院有限公司,中级会计师',
      '4,C0004,李四,男,11010519491231002X,某单位,中级会计师',
    ].join('\n');
    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    const imported = await call('visits.importRoster', { visitId: visit.id, fileName: 'roster.csv', dataBase64: Buffer.from(csv).toString('base64') });
    const warned = imported.rows.filter((r) => r.verdict === 'warning').map((r) => r.line);
    expect(warned.length).toBeGreaterThan(0);
    await call('visits.acknowledge', { visitId: visit.id, lines: warned, reason: '已调动，核对调动证明' });
    const sealed = await call('visits.seal', { visitId: visit.id });
    const readBack = await call('visits.get', { visitId: visit.id });
    expect(sealed.visit).toEqual(readBack.visit);
    expect(sealed.visit.counts.error).toBeGreaterThan(0);
    expect(sealed.visit.counts.sealable).toBe(sealed.sealedCount);
  });
});
