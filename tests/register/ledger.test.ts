import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { clientOf, freshServices, upload } from '../support/services';

/**
 * The certificate ledger across visits: what was sealed before is found again, a replacement
 * (补办) voids its original and is marked 补发, and an original can be voided only once.
 */
describe('the certificate ledger across visits', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  const HEADER = '序号,证书编号,姓名,性别,身份证号码,资格名称,备注';
  const XIANG = '向莉芳,女,510107199206205820,中级会计师';
  const SONG = '宋璐丽,女,511902198206083788,中级会计师';

  async function visitWith(...rows: string[]) {
    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    const csv = [HEADER, ...rows.map((row, i) => `${i + 1},${row}`)].join('\n');
    return call('visits.importRoster', { visitId: visit.id, fileName: 'roster.csv', dataBase64: Buffer.from(csv).toString('base64') });
  }
  const codes = (detail: Awaited<ReturnType<typeof visitWith>>) => detail.rows.map((r) => r.findings.map((f) => f.code));

  beforeAll(async () => {
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    const first = await visitWith(`C0001,${XIANG},`);
    await call('visits.seal', { visitId: first.visit.id });
  });
  afterAll(() => services.close());

  it('finds a certificate sealed before, saying when, for whom and which number', async () => {
    const again = await visitWith(`C0002,${XIANG},`);
    expect(codes(again)).toEqual([['ALREADY_SEALED']]);
    expect(again.rows[0]!.findings[0]!.message).toMatch(/2026-11-24 09:30.*四川省住房和城乡建设厅.*C0001/);
  });

  it('refuses a number already sealed for someone else', async () => {
    expect(codes(await visitWith(`C0001,${SONG},`))).toEqual([['CERTNO_USED']]);
  });

  it('seals a replacement, voiding the original, and refuses to void it twice', async () => {
    const replacement = await visitWith(`C0003,${XIANG},补办、原证书编号C0001作废`);
    // No replacement application was recorded for C0001 (issue 16): the clerk confirms it with a reason.
    expect(codes(replacement)).toEqual([['REISSUE_NO_APPLICATION']]);
    await call('visits.acknowledge', { visitId: replacement.visit.id, lines: [replacement.rows[0]!.line], reason: '原证书当场交回，补办申请由单位补交' });
    await call('visits.seal', { visitId: replacement.visit.id });
    const ledger = services.ctx.db.prepare('SELECT cert_no, reissue, replaces_cert_no FROM certificates ORDER BY id').all();
    expect(ledger).toEqual([{ cert_no: 'C0001', reissue: 0, replaces_cert_no: null }, { cert_no: 'C0003', reissue: 1, replaces_cert_no: 'C0001' }]);
    expect(codes(await visitWith(`C0004,${XIANG},补办、原证书编号C0001作废`))).toEqual([['REISSUE_ORIGINAL_VOIDED']]);
    expect(codes(await visitWith(`C0005,${XIANG},`))).toEqual([['ALREADY_SEALED']]);
  });

  it('refuses a replacement of a number never sealed here', async () => {
    expect(codes(await visitWith(`C0006,${SONG},补办、原证书编号C9999作废`))).toEqual([['REISSUE_ORIGINAL_UNKNOWN']]);
  });

  it('records the exam seals: steel and red on the certificates, red on the registration forms', async () => {
    const entries = (await call('register.list', { visitId: 1, offset: 0, limit: 10 })).entries;
    expect(entries.map((e) => `${e.sealName}${e.sealKind}/${e.documentKind}×${e.count}`).sort()).toEqual([
      '职称考试证书专用章红印/登记表×1', '职称考试证书专用章红印/证书×1', '职称考试证书专用章钢印/证书×1',
    ]);
  });
});
