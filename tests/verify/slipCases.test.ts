import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovedPerson } from '../../core/contract';
import { dispatch } from '../../services/dispatch';
import { clientOf, fixtureBytes, freshServices, upload } from '../support/services';

interface SlipCase { case: number; date: string; unit: string; slip: string; countOnSlip: number; rowsToSeal: number; signer: string; codes: string[] }

/**
 * slip-cases.json through the counter: reference lists imported as an administrator would, then
 * one senior visit per case on its date, with a roster of exactly `rowsToSeal` approved people.
 * A clean case is sealed, which consumes its slip. Fewer rows than the slip names (case 6) is a
 * warning: sealing waits for the clerk's reason, then goes ahead and the register keeps the reason.
 */
describe('stamp-slip cases through the counter flow', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  const cases = (JSON.parse(fixtureBytes('slip-cases.json').toString('utf8')) as { cases: SlipCase[] }).cases;
  let people: ApprovedPerson[] = [];
  let nextPerson = 0;

  beforeAll(async () => {
    await call('reference.import', { kind: 'slips', ...upload('slips.csv') });
    await call('reference.import', { kind: 'signers', ...upload('signers.csv') });
    await call('reference.import', { kind: 'holidays', ...upload('holidays.csv') });
    await call('lists.import', upload('approved/senior-engineers-2025.xlsx'));
    people = (await call('lists.rows', { offset: 0, limit: 1000 })).rows;
  });
  afterAll(() => services.close());

  function rosterOf(count: number) {
    const chosen = people.slice(nextPerson, nextPerson + count);
    const lines = chosen.map((p, i) => `${i + 1},5120250100${String(nextPerson + i).padStart(4, '0')},${p.name},${p.gender},${p.idNumber},${p.qualification}`);
    return { chosen, fileName: 'roster.csv', dataBase64: Buffer.from(['序号,证书编号,姓名,性别,身份证号码,资格名称', ...lines].join('\n')).toString('base64') };
  }

  it('gives every case its expected slip findings, in order', async () => {
    const actual: { case: number; codes: string[] }[] = [];
    for (const c of cases) {
      services.setNow(new Date(`${c.date}T10:00:00+08:00`));
      const visit = await call('visits.create', { unit: c.unit, agentName: '经办人', agentPhone: '028-86000000', certificateType: '高级专业技术职务资格证书', slipNo: c.slip, slipCount: c.countOnSlip, slipSigner: c.signer });
      const { chosen, ...roster } = rosterOf(c.rowsToSeal);
      await call('visits.importRoster', { visitId: visit.id, ...roster });
      // Some approved people were approved 先评后考: the unit shows their language certificates.
      const detail = await call('visits.setDocuments', { visitId: visit.id, documents: ['外语合格证复印件'] });
      expect(detail.visit.counts.sealable).toBe(c.rowsToSeal);
      expect(detail.visit.dayWarning).toBeNull();
      const codes = detail.visit.slipFindings.map((f) => f.code);
      actual.push({ case: c.case, codes });
      if (codes.length > 0) await expect(call('visits.seal', { visitId: visit.id }), `case ${c.case}`).rejects.toThrow('签章凭条未通过核验');
      const warningsOnly = codes.length > 0 && detail.visit.slipFindings.every((f) => f.severity === 'warning');
      if (c.countOnSlip > c.rowsToSeal) expect(warningsOnly, `case ${c.case}: fewer rows than the slip is a warning`).toBe(true);
      else expect(detail.visit.slipFindings.every((f) => f.severity === 'error'), `case ${c.case}`).toBe(true);
      if (warningsOnly) {
        const confirmed = await call('visits.acknowledgeSlipCount', { visitId: visit.id, reason: '2 本核验不符退回单位' });
        expect(confirmed.visit.slipFindings).toEqual([]);
        expect(confirmed.visit.slipCountReason).toBe('2 本核验不符退回单位');
      }
      if (codes.length === 0 || warningsOnly) {
        const sealed = await call('visits.seal', { visitId: visit.id });
        expect(sealed.sealedCount).toBe(c.rowsToSeal);
        if (warningsOnly) expect(sealed.entries[0]!.remarks).toContain(`凭条 ${c.countOnSlip} 本，签章 ${c.rowsToSeal} 本，理由：2 本核验不符退回单位`);
        nextPerson += chosen.length;
      }
    }
    expect(actual).toEqual(cases.map((c) => ({ case: c.case, codes: c.codes })));
  });
});
