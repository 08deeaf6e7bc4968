import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFor, upload } from '../support/services';
import { ADMIN, CHENGDU, CLERK, HUAXI, prepareCounter, SENIOR, stockOffice, SUPERVISOR } from './support';

/**
 * DOMAIN.md §6: where blanks are handed out as number ranges, a roster number outside every range
 * issued to the visiting unit for that type and year is CERTNO_FORMAT, and the message names the
 * unit's ranges.
 */
describe('the roster checked against the unit’s number ranges', () => {
  const office = stockOffice('2026-03-03T09:30:00+08:00');
  afterAll(() => office.services.close());
  const visitOf = async (unit: string, slipNo: string, roster: string) => {
    const visit = await office.by(CLERK, 'visits.create', { unit, agentName: '周经办', agentPhone: '028-86123456', certificateType: SENIOR, slipNo, slipCount: 40, slipSigner: '谢天涛' });
    return office.by(CLERK, 'visits.importRoster', { visitId: visit.id, ...upload(roster) });
  };
  const codesOf = (rows: { rowNo: number; findings: { code: string }[] }[]) => rows.filter((r) => r.findings.some((f) => f.code === 'CERTNO_FORMAT')).map((r) => r.rowNo);

  beforeAll(async () => {
    await prepareCounter(office);
    await office.by(ADMIN, 'reference.import', { kind: 'slips', ...upload('slips.csv') });
  });

  it('checks nothing extra while the type’s blanks of the year are not handed out by number', async () => {
    const detail = await visitOf(HUAXI, 'QZ2026-0006', 'rosters/senior-clean.xlsx');
    expect(detail.visit.counts).toMatchObject({ total: 40, pass: 40 });
  });

  it('finds the numbers outside the unit’s range once the stock is pre-numbered, and names the range', async () => {
    office.as(SUPERVISOR);
    await office.call('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000200' }] });
    // The count follows the 登记表: 28 numbers do not make its 40 blanks.
    await expect(office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-clean.xlsx'), spares: 0, sparesReason: '按单位实际需要', ranges: [{ first: '51202500000101', last: '51202500000128' }] }))
      .rejects.toThrow('共 28 个号，与本次发放的 40 本不符');
    await office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: textRoster(30), spares: 0, sparesReason: '其余 10 本下次领', ranges: [{ first: '51202500000101', last: '51202500000130' }] });
    const detail = await visitOf(HUAXI, 'QZ2026-0007', 'rosters/senior-clean.xlsx');
    expect(codesOf(detail.rows)).toEqual([31, 32, 33, 34, 35, 36, 37, 38, 39, 40]);
    expect(detail.rows.find((r) => r.rowNo === 31)!.findings).toEqual([{ code: 'CERTNO_FORMAT', severity: 'error', message: '证书编号“51202500000131”不在发给“四川华西集团有限公司”的2026年度号段 51202500000101–51202500000130 之内。' }]);
  });

  it('tells a unit that holds no range of that type that its numbers are outside every range', async () => {
    const detail = await visitOf(CHENGDU, 'QZ2026-0014', 'rosters/senior-errors.xlsx');
    // Every row whose ID can be checked: a row with an unusable ID has that one finding only.
    const clean = expectedFor('senior-errors').rows.filter((r) => r.verdict === 'pass').map((r) => r.row);
    expect(clean.length).toBeGreaterThan(10);
    for (const rowNo of clean) {
      const row = detail.rows.find((r) => r.rowNo === rowNo)!;
      expect(row.findings).toEqual([{ code: 'CERTNO_FORMAT', severity: 'error', message: `证书编号“${row.certNo}”不在号段之内：2026年度该类证书按号段发放，“成都市人力资源和社会保障局”没有领取过号段。` }]);
    }
  });
});

/** A 登记表 of `rows` people (only its row count matters to an issue). */
function textRoster(rows: number): { fileName: string; dataBase64: string } {
  const lines = ['序号,证书编号,姓名,身份证号码,资格名称', ...Array.from({ length: rows }, (_, i) => `${i + 1},5120250000${String(101 + i).padStart(4, '0')},某${i},510104199001011234,高级工程师`)];
  return { fileName: '登记表.csv', dataBase64: Buffer.from(lines.join('\n'), 'utf8').toString('base64') };
}
