import { describe, expect, it } from 'vitest';
import { offCounterReason } from '../../core/verify/calendar';
import { parseHolidays, parseSigners, parseSlips } from '../../core/settings/referenceData';
import { checkSlip } from '../../core/verify/slips';
import { fixtureBytes } from '../support/services';

interface SlipCase { case: number; date: string; unit: string; slip: string; countOnSlip: number; rowsToSeal: number; signer: string; codes: string[] }

describe('stamp slips (签章凭条)', () => {
  const slips = parseSlips('slips.csv', fixtureBytes('slips.csv'));
  const signers = parseSigners('signers.csv', fixtureBytes('signers.csv'));

  it('reads the slip issuance list and the authorised signers', () => {
    expect(slips).toHaveLength(60);
    expect(slips[0]).toEqual({ slipNo: 'QZ2025-0001', unit: '绵阳市人力资源和社会保障局', year: 2025, issuedOn: '2025-01-02' });
    expect(signers.find((s) => s.name === '张凯伟')).toMatchObject({ from: '2018-07-01', to: '2025-06-30' });
  });

  it('gives every slip case of slip-cases.json its expected findings, a slip being used only by a clean visit', () => {
    const cases = (JSON.parse(fixtureBytes('slip-cases.json').toString('utf8')) as { cases: SlipCase[] }).cases;
    const used = new Map<string, string>();
    const bySlipNo = new Map(slips.map((s) => [s.slipNo, s]));
    const actual = cases.map((c) => {
      const findings = checkSlip(
        { date: c.date, unit: c.unit, slipNo: c.slip, countOnSlip: c.countOnSlip, rowsToSeal: c.rowsToSeal, signer: c.signer },
        { issued: (no) => bySlipNo.get(no), usedAt: (no) => used.get(no), signers },
      );
      if (findings.length === 0) used.set(c.slip, c.date);
      return { case: c.case, codes: findings.map((f) => f.code) };
    });
    expect(actual).toEqual(cases.map((c) => ({ case: c.case, codes: c.codes })));
  });

  it('says when a slip was used and who signed outside their authority', () => {
    const findings = checkSlip(
      { date: '2025-10-28', unit: '四川华西集团有限公司', slipNo: 'QZ2025-0018', countOnSlip: 40, rowsToSeal: 40, signer: '张凯伟' },
      { issued: (no) => slips.find((s) => s.slipNo === no), usedAt: () => '2025-10-01 10:00', signers },
    );
    expect(findings.map((f) => f.message).join(' ')).toMatch(/已于 2025-10-01 10:00 使用过.*2018-07-01 至 2025-06-30/);
  });
});

describe('the counter calendar', () => {
  const calendar = new Map(parseHolidays('holidays.csv', fixtureBytes('holidays.csv')).map((d) => [d.date, d]));

  it('is open Tuesday to Thursday on working days', () => {
    expect(offCounterReason('2025-09-09', calendar)).toBeNull();
    expect(offCounterReason('2025-09-11', calendar)).toBeNull();
  });

  it('is closed on other weekdays, on holidays and on a 调休 weekend working day', () => {
    expect(offCounterReason('2025-09-08', calendar)).toMatch(/星期一/);
    expect(offCounterReason('2025-10-01', calendar)).toMatch(/国庆节/);
    expect(offCounterReason('2025-01-26', calendar)).toMatch(/星期日/);
  });
});
