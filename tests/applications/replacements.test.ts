import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAsAttacker, editRecord } from '../../scripts/tamper/attacker';
import { applicationsCounter, CLERK, damagedCertificate, LIANG, lostCertificate, LUO, PASSWORD, SONG, SUPERVISOR, XIANG, ZHAO } from './support';

/**
 * Replacements (补办 / 换发, DOMAIN.md §11) through the contract, as the screens make them: who
 * applied, with what proof, whether the loss notice is old enough, and the sealing of the
 * replacement that closes the application.
 */
describe('a replacement application at the counter', () => {
  const counter = applicationsCounter();
  const { call } = counter;

  beforeAll(async () => {
    await counter.prepare();
    // Four certificates this counter sealed: the originals that will be lost or damaged.
    await counter.seal([{ certNo: 'C0001', person: XIANG }, { certNo: 'C0002', person: SONG }, { certNo: 'C0003', person: ZHAO }]);
  });
  afterAll(() => counter.services.close());

  it('refuses a loss notice younger than the office’s waiting period, saying from when it will do, and takes it once it is old enough', async () => {
    const settings = await call('settings.get', {});
    // Hubei 2013: the loss notice must have been published at least 6 months earlier.
    await call('settings.save', { ...settings, applications: { ...settings.applications, lossNoticeWaitMonths: 6 } });
    const young = lostCertificate(XIANG, 'C0001', '2026-08-01');
    const check = await call('replacements.check', young);
    expect(check.findings).toEqual([{ code: 'NOTICE_TOO_YOUNG', severity: 'error', message: '遗失声明于 2026-08-01 刊登，须刊登满 6 个月（2027-02-01 起）方可受理补办，还需 69 天。' }]);
    await expect(call('replacements.add', young)).rejects.toThrow(/^申请未受理：遗失声明于 2026-08-01 刊登，须刊登满 6 个月/);
    expect((await call('replacements.list', {})).items).toEqual([]);

    counter.setNow(new Date('2027-02-01T10:00:00+08:00'));
    const added = await call('replacements.add', young);
    expect(added).toMatchObject({ appNo: '补换2027-0001', status: '待报送', windowed: true, originEntrySeq: 1, confirmation: null, clerk: '王芳' });
    expect(added.lossNotice).toMatchObject({ newspaper: '四川日报', issn: 'CN51-0001', publishedOn: '2026-08-01' });
    await call('settings.save', { ...settings, applications: { ...settings.applications, lossNoticeWaitMonths: 0 } });
  });

  it('blocks a notice that lacks a required field, one in a paper without a unified 刊号, and missing materials', async () => {
    const request = lostCertificate(SONG, 'C0002', '2026-12-01');
    const check = await call('replacements.check', {
      ...request,
      lossNotice: { ...request.lossNotice!, issn: '川内资字第12号', fieldsNamed: ['姓名', '证书名称', '证书编号'] },
      materials: ['本人书面申请', '遗失声明报纸原件'],
    });
    expect(check.findings.map((f) => f.code)).toEqual(['NOTICE_NOT_QUALIFIED', 'NOTICE_FIELDS_MISSING', 'MATERIALS_MISSING']);
    expect(check.findings[1]!.message).toBe('遗失声明须写明姓名、身份证号、证书名称、证书编号、专业、级别、取得时间；本声明缺少身份证号、专业、级别、取得时间，不予受理。');
    expect(check.findings[2]!.message).toBe('补办须提交的材料未齐：缺少“单位证明”、“登记表或任职资格文件复印件”、“本人近期免冠彩色照片”。');
  });

  it('takes a damaged certificate from a unit’s batch, and asks what is to be corrected when it was filled in wrong', async () => {
    const damaged = await call('replacements.add', damagedCertificate(SONG, 'C0002'));
    expect(damaged).toMatchObject({ replacementKind: '换发', channel: '单位汇总', submittedBy: '四川省住房和城乡建设厅', damage: { reason: '损坏', correction: '' }, lossNotice: null, status: '待报送' });
    const wrong = { ...damagedCertificate(ZHAO, 'C0003'), damage: { reason: '填错' as const, correction: '' } };
    expect((await call('replacements.check', wrong)).findings.map((f) => f.code)).toEqual(['CORRECTION_MISSING']);
    const corrected = await call('replacements.add', { ...wrong, damage: { reason: '填错', correction: '专业名称应为“财务会计”' } });
    expect(corrected.damage).toEqual({ reason: '填错', correction: '专业名称应为“财务会计”' });
  });

  it('blocks a second application for an original already being replaced, and one for someone else’s certificate', async () => {
    const again = await call('replacements.check', lostCertificate(XIANG, 'C0001', '2026-08-01'));
    expect(again.findings).toEqual([expect.objectContaining({ code: 'ORIGINAL_PENDING', message: '原证书 C0001 已有补办（换发）申请 补换2027-0001（2027-02-01 受理），尚未办结，不能重复申请。' })]);
    const other = await call('replacements.check', lostCertificate(LIANG, 'C0002', '2026-08-01'));
    expect(other.findings.map((f) => f.code)).toContain('ORIGINAL_OTHER_PERSON');
    expect(other.findings.find((f) => f.code === 'ORIGINAL_OTHER_PERSON')!.message).toBe('证书编号 C0002 在本窗口台账中是 宋璐丽（511902198206083788）的证书，不是 梁浩明（510108199201083779）的。');
  });

  it('takes an original sealed before the app existed only with a supervisor’s confirmation, given with their own password', async () => {
    // 梁浩明's certificate P-2019-0042 was sealed in 2019, on paper: this counter's ledger does not know it.
    const paper = lostCertificate(LIANG, 'P20190042', '2026-12-01');
    const check = await call('replacements.check', paper);
    expect(check.findings).toEqual([{ code: 'ORIGINAL_NOT_IN_LEDGER', severity: 'warning', message: '原证书 P20190042 不在本窗口的证书台账中（可能在本系统启用前签章）：须由审核人对照纸质登记表核实后确认，并说明依据。' }]);
    counter.as(CLERK);
    try {
      await expect(call('replacements.add', paper)).rejects.toThrow(/^须经审核人确认后才能受理：原证书 P20190042 不在本窗口的证书台账中/);
      await expect(call('replacements.add', { ...paper, approval: { reason: '已核对2019年纸质登记表第12页' } })).rejects.toThrow(/当前账户是窗口经办人，请审核人在此输入自己的用户名和密码/);
      await expect(call('replacements.add', { ...paper, approval: { reason: '已核对', username: SUPERVISOR.username, password: 'wrong-password' } })).rejects.toThrow('审核人的用户名或密码不正确，未受理。');
      const added = await call('replacements.add', { ...paper, approval: { reason: '已核对2019年纸质登记表第12页', username: SUPERVISOR.username, password: PASSWORD } });
      expect(added).toMatchObject({ originEntrySeq: null, clerk: CLERK.displayName, confirmation: { account: SUPERVISOR.username, name: SUPERVISOR.displayName, reason: '已核对2019年纸质登记表第12页', codes: ['ORIGINAL_NOT_IN_LEDGER'] } });
      const entry = counter.latestEntries()[0]!;
      expect(entry).toMatchObject({ kind: '补换申请', approver: SUPERVISOR.displayName, clerk: CLERK.displayName, count: 1, visitId: 0 });
      expect(entry.remarks).toMatch(/经审核人张审核确认，理由：已核对2019年纸质登记表第12页$/);
      // Only seal usage is corrected with 更正; an application is returned or taken again instead.
      counter.asAdmin();
      await expect(call('register.correct', { seq: entry.seq, reason: '写错了', changes: { count: 2 } })).rejects.toThrow(`第 ${entry.seq} 号是申请登记（补换申请），不是印章使用登记，不能在登记簿中更正；请在“补换与确认”中办理退回或重新受理。`);
    } finally {
      counter.asAdmin();
    }
  });

  it('links the sealed replacement to its application: the original voided, the new one 补发, the application closed with that entry', async () => {
    const sealed = await counter.seal([{ certNo: 'C1001', person: XIANG, remark: '补办、原证书编号C0001作废' }]);
    // The certificates are bound into the sealing's first 证书 entry.
    const certificateEntry = sealed.entries.find((e) => e.documentKind === '证书')!;
    const application = (await call('replacements.list', { query: 'C0001' })).items[0]!;
    expect(application).toMatchObject({ appNo: '补换2027-0001', status: '已办结', closed: { certNo: 'C1001', visitId: sealed.visit.id, entrySeq: expect.any(Number) } });
    const ledger = counter.services.ctx.db.prepare('SELECT cert_no, reissue, replaces_cert_no, entry_seq FROM certificates WHERE cert_no = ?').get('C1001');
    expect(ledger).toEqual({ cert_no: 'C1001', reissue: 1, replaces_cert_no: 'C0001', entry_seq: application.closed!.entrySeq });
    expect(application.closed!.entrySeq).toBe(certificateEntry.seq);
    expect((await call('replacements.lookupOriginal', { certNo: 'C0001' })).ledger).toMatchObject({ voided: true });
    // The original cannot be applied for again: it is voided.
    expect((await call('replacements.check', lostCertificate(XIANG, 'C0001', '2026-08-01'))).findings.map((f) => f.code)).toEqual(['ORIGINAL_VOIDED']);
  });

  it('seals the replacement of an original entered from the paper, which the ledger alone would call unknown', async () => {
    const detail = await counter.visitWith([{ certNo: 'C1002', person: LIANG, remark: '补办、原证书编号P20190042作废' }]);
    expect(detail.rows[0]!.findings).toEqual([]);
    await call('visits.seal', { visitId: detail.visit.id });
    expect((await call('replacements.list', { query: 'P20190042' })).items[0]).toMatchObject({ status: '已办结', closed: { certNo: 'C1002' } });
    const twice = await counter.visitWith([{ certNo: 'C1003', person: LIANG, remark: '补办、原证书编号P20190042作废' }]);
    expect(twice.rows[0]!.findings.map((f) => f.code)).toEqual(['REISSUE_ORIGINAL_VOIDED']);
  });

  it('warns of a replacement row with no application, which the clerk confirms with a reason before sealing', async () => {
    const detail = await counter.visitWith([{ certNo: 'C1004', person: ZHAO, remark: '补办、原证书编号C0003作废' }]);
    // 赵雨浩's application (换发 of C0003) stands: the row is linked to it and passes.
    expect(detail.rows[0]!.findings).toEqual([]);
    const unapplied = await counter.seal([{ certNo: 'C0005', person: LUO }]);
    expect(unapplied.sealedCount).toBe(1);
    const row = await counter.visitWith([{ certNo: 'C1005', person: LUO, remark: '补办、原证书编号C0005作废' }]);
    expect(row.rows[0]!.findings).toEqual([{ code: 'REISSUE_NO_APPLICATION', severity: 'warning', message: '备注称补办并作废原证书 C0005，但本窗口没有 罗梅 该证书的补办（换发）申请：请核实原证书确已遗失或损坏后填写理由确认。' }]);
    expect(row.rows[0]!.blockedBy).toBe('警告须经确认并填写理由');
    await call('visits.acknowledge', { visitId: row.visit.id, lines: [row.rows[0]!.line], reason: '原证书当场交回，单位补交申请' });
    const sealed = await call('visits.seal', { visitId: row.visit.id });
    expect(sealed.entries[0]!.remarks).toMatch(/序号 1 的警告经确认，理由：原证书当场交回，单位补交申请/);
  });

  it('lets a supervisor return an application, freeing the original for a new one', async () => {
    counter.as(CLERK);
    await expect(call('replacements.return', { appNo: '补换2027-0003', reason: '材料有涂改' })).rejects.toThrow(/此操作需要审核人权限/);
    counter.as(SUPERVISOR);
    const returned = await call('replacements.return', { appNo: '补换2027-0003', reason: '材料有涂改' });
    expect(returned).toMatchObject({ status: '已退回', returned: { reason: '材料有涂改', by: { account: SUPERVISOR.username } } });
    counter.asAdmin();
    expect((await call('replacements.check', { ...damagedCertificate(ZHAO, 'C0003'), damage: { reason: '填错', correction: '姓名' } })).findings).toEqual([]);
  });

  it('keeps every application and decision in the register, checked by 校验登记簿, which names a record changed behind the app', async () => {
    expect(await call('register.verify', {})).toEqual({ intact: true, count: expect.any(Number) });
    const kinds = counter.latestEntries(100).map((e) => e.kind);
    expect(kinds.filter((k) => k === '补换申请')).toHaveLength(4);
    expect(kinds).toContain('补换退回');
    const db = openAsAttacker(counter.services.dbPath);
    const record = db.prepare("SELECT id, entry_seq FROM entry_records WHERE kind = 'application' ORDER BY id LIMIT 1").get() as { id: number; entry_seq: number };
    // Someone moves the notice's date back so it looks old enough.
    editRecord(db, record.id, { lossNotice: { newspaper: '四川日报', issn: 'CN51-0001', publishedOn: '2026-01-01', fieldsNamed: [] } });
    db.close();
    const report = await call('register.verify', {});
    expect(report).toMatchObject({ intact: false, firstBreak: { seq: record.entry_seq, problem: 'ledger' } });
    await expect(call('replacements.add', damagedCertificate(ZHAO, 'C0003'))).rejects.toThrow(/登记簿在签章窗口之外被改动过，为保护登记簿，本次补换申请已拒绝/);
  });
});

describe('a supervisor’s password typed at the counter', () => {
  const counter = applicationsCounter();
  const { call } = counter;
  beforeAll(() => counter.prepare());
  afterAll(() => counter.services.close());

  it('is counted with the sign-in’s wrong passwords: a guessing clerk is made to wait, and nothing is recorded', async () => {
    const paper = lostCertificate(LIANG, 'P20190042', '2026-10-01');
    counter.as(CLERK);
    try {
      const guess = (password: string) => call('replacements.add', { ...paper, approval: { reason: '已核对纸质登记表', username: SUPERVISOR.username, password } });
      for (const password of ['guess-1', 'guess-2', 'guess-3']) await expect(guess(password)).rejects.toThrow('审核人的用户名或密码不正确，未受理。');
      // From the third wrong one on, even the right password waits: guessing cannot go on at full speed.
      await expect(guess(PASSWORD)).rejects.toThrow(/^密码错误次数过多，请 \d+ 秒后再试。$/);
      expect((await call('replacements.list', {})).items).toEqual([]);
    } finally {
      counter.asAdmin();
    }
  });
});
