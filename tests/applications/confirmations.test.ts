import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR, tempDir } from '../support/services';
import { applicationsCounter, CLERK, GAO, reviewed, SUPERVISOR } from './support';

/**
 * Out-of-province confirmation (省外证书确认, DOMAIN.md §12, Hubei 2013 三): recorded, decided by a
 * supervisor with the date, the numbered 认定书 printed keeping the title's original date and
 * sealed as a register entry; refusals on the four grounds; false materials barring the person.
 */
const LI = { name: '李晓琳', gender: '女', idNumber: '420106198807123027', workUnit: '四川省经济信息中心', phone: '13900000002', unitManagement: '省直' } as const;
const WANG = { name: '王建国', gender: '男', idNumber: '110105197901011239', workUnit: '四川天府会计师事务所', phone: '13900000003', unitManagement: '省直' } as const;
const CHEN = { name: '陈志强', gender: '男', idNumber: '500103199002024510', workUnit: '四川省建筑科学研究院', phone: '13900000004', unitManagement: '省直' } as const;
const LIN = { name: '林佳', gender: '女', idNumber: '440305198708085561', workUnit: '绵阳市中心医院', phone: '13900000005', unitManagement: '市州' } as const;

describe('confirming a title obtained in another province', () => {
  const counter = applicationsCounter();
  const { call } = counter;
  const shots = join(REPO_DIR, 'test-results', 'applications');

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await counter.prepare();
  });
  afterAll(() => counter.services.close());

  it('grants a senior title reviewed elsewhere: the supervisor decides with the date, the 认定书 is numbered and keeps the original date', async () => {
    const check = await call('confirmations.check', reviewed(GAO));
    expect(check).toEqual({ findings: [], answer: null, competentBody: '省职改办', recognitionKind: '高级职称认定书' });
    counter.as(CLERK);
    const filed = await call('confirmations.add', reviewed(GAO));
    expect(filed).toMatchObject({ appNo: '确认2026-0001', status: '待审核', clerk: CLERK.displayName, decision: null, sealing: null });
    await expect(call('confirmations.decide', { appNo: filed.appNo, decision: '确认', decidedOn: '2026-11-24' })).rejects.toThrow('此操作需要审核人权限，当前账户是窗口经办人。');
    counter.as(SUPERVISOR);
    await expect(call('confirmations.decide', { appNo: filed.appNo, decision: '确认', decidedOn: '2026-11-25' })).rejects.toThrow('决定日期 2026-11-25 晚于今天（2026-11-24）。');
    const decided = await call('confirmations.decide', { appNo: filed.appNo, decision: '确认', decidedOn: '2026-11-24', note: '经2026年第11次审核会议' });
    expect(decided).toMatchObject({
      status: '已确认',
      decision: { decision: '确认', reason: null, decidedOn: '2026-11-24', by: { account: SUPERVISOR.username, name: SUPERVISOR.displayName }, recognition: { kind: '高级职称认定书', number: '高级职称认定〔2026〕001号' }, bar: null },
    });
    await expect(call('confirmations.decide', { appNo: filed.appNo, decision: '不予确认', reason: '其他不符合确认情形', decidedOn: '2026-11-24' })).rejects.toThrow('确认申请 确认2026-0001 的状态是“已确认”，不能再作决定。');
    counter.asAdmin();
  });

  it('prints the 认定书 as a PDF: its number, the person, the title and its original date', async () => {
    const printed = await call('confirmations.print', { appNo: '确认2026-0001' });
    expect(printed.fileName).toBe('高级职称认定书-高级职称认定〔2026〕001号-高明远.pdf');
    const pdfPath = join(tempDir(), 'recognition.pdf');
    writeFileSync(pdfPath, Buffer.from(printed.pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const expected of ['编号：高级职称认定〔2026〕001号', '高级职称认定书', '高明远，男，身份证号码61010319850315201X', '该同志于2019年6月20日经陕西省职称改革办公室（陕西省）评审通过并核准（陕职改〔2019〕15号）',
      '其任职资格时间按原任职资格时间计算，自2019年6月20日起', '原证书编号SX2019060123', '四川省人力资源和社会保障厅（盖章）2026年11月24日']) {
      expect(text).toContain(expected);
    }
    expect(execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' })).toMatch(/NotoSansSC/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdfPath, join(shots, 'recognition')], { stdio: 'ignore' });
  });

  it('records the sealing of the 认定书 with the office’s seal as a register entry like any other, once', async () => {
    const sealed = await call('confirmations.seal', { appNo: '确认2026-0001', agentName: '高明远', agentPhone: '13900000001' });
    expect(sealed.sealing).toEqual({ entrySeq: expect.any(Number), at: '2026-11-24T09:30:00+08:00' });
    // Listed on the register page as seal usage, though no visit brought it, and counted in its total.
    const page = await call('register.list', { offset: 0, limit: 1 });
    const sealUses = counter.services.ctx.db.prepare("SELECT count(*) FROM register_entries WHERE visit_id > 0 OR kind = '签章'").pluck().get();
    expect(page.total).toBe(sealUses);
    expect(counter.services.ctx.db.prepare("SELECT count(*) FROM register_entries WHERE visit_id = 0 AND kind <> '签章'").pluck().get()).toBeGreaterThan(0);
    const entry = page.entries[0]!;
    expect(entry).toMatchObject({
      seq: sealed.sealing!.entrySeq, kind: '签章', sealName: '职称改革工作领导小组办公室印章', sealKind: '红印', documentKind: '认定书', count: 1,
      unit: GAO.workUnit, agentName: '高明远', purpose: '高级职称认定书 高级职称认定〔2026〕001号 签章（高明远，确认申请 确认2026-0001）', approver: SUPERVISOR.displayName,
    });
    const record = counter.services.ctx.db.prepare('SELECT record FROM entry_records WHERE entry_seq = ?').pluck().get(entry.seq) as string;
    expect(JSON.parse(record)).toMatchObject({ kind: 'application', event: 'recognition-sealed', number: '高级职称认定〔2026〕001号', originalDate: '2019-06-20', idNumber: GAO.idNumber });
    await expect(call('confirmations.seal', { appNo: '确认2026-0001', agentName: '高明远', agentPhone: '13900000001' })).rejects.toThrow(/已于 2026-11-24 09:30 盖章（第 \d+ 号登记），不能重复盖章。/);
    // The day's 印章使用登记表 shows the sealing, and none of the application entries (no seal was used for them).
    const sheet = await call('print.form', { form: 'register-sheet', scope: { date: '2026-11-24' } });
    expect(sheet.entryCount).toBe(1);
    const pdfPath = join(tempDir(), 'sheet.pdf');
    writeFileSync(pdfPath, Buffer.from(sheet.pdfBase64, 'base64'));
    expect(execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' })).toContain('认定书');
  });

  it('refuses on one of the four grounds the notice lists, and on no other', async () => {
    const filed = await call('confirmations.add', reviewed(LI, { qualification: '经济师', major: '人力资源管理', level: '中级', issuedBy: '湖北省人力资源和社会保障厅', obtainedIn: '湖北省', approvalDoc: '鄂职改办〔2020〕33号' }));
    expect(filed).toMatchObject({ status: '待审核', competentBody: '省直中评委会办公室（主管部门职改办）' });
    await expect(call('confirmations.decide', { appNo: filed.appNo, decision: '不予确认', decidedOn: '2026-11-24' })).rejects.toThrow('不予确认须选择理由（四种情形之一）。');
    await expect(call('confirmations.decide', { appNo: filed.appNo, decision: '确认', reason: '不再从事专业技术工作', decidedOn: '2026-11-24' })).rejects.toThrow('予以确认时不应选择不予确认的理由。');
    await expect(call('confirmations.decide', { appNo: filed.appNo, decision: '不予确认', reason: '不再从事专业技术工作', falseMaterials: true, decidedOn: '2026-11-24' })).rejects.toThrow('“提交虚假材料”只能与理由“材料不完整或不真实”一同选择。');
    const refused = await call('confirmations.decide', { appNo: filed.appNo, decision: '不予确认', reason: '不再从事专业技术工作', decidedOn: '2026-11-24' });
    expect(refused).toMatchObject({ status: '不予确认', decision: { reason: '不再从事专业技术工作', reasonText: '来本省后不再从事专业技术工作', recognition: null, bar: null } });
    await expect(call('confirmations.print', { appNo: filed.appNo })).rejects.toThrow('确认申请 确认2026-0002 的状态是“不予确认”，没有认定书可打印或盖章。');
  });

  it('bars a person who gave false materials for 3 years from the next year, which a later application finds', async () => {
    const filed = await call('confirmations.add', reviewed(CHEN, { qualification: '高级工程师', major: '建筑结构' }));
    const refused = await call('confirmations.decide', { appNo: filed.appNo, decision: '不予确认', reason: '材料不完整或不真实', falseMaterials: true, note: '评审表系伪造', decidedOn: '2026-11-24' });
    expect(refused.decision).toMatchObject({ falseMaterials: true, bar: { from: '2027-01-01', until: '2029-12-31' } });
    counter.setNow(new Date('2028-03-01T10:00:00+08:00'));
    try {
      const again = await call('confirmations.check', reviewed(CHEN, { qualification: '正高级工程师', level: '正高级' }));
      expect(again.findings).toEqual([{
        code: 'PERSON_BARRED', severity: 'error',
        message: '陈志强（500103199002024510）在确认申请 确认2026-0003 中提交虚假材料（2026-11-24 不予确认），2027-01-01 至 2029-12-31 不得申报专业技术资格，本次确认申请不予受理。',
      }]);
      await expect(call('confirmations.add', reviewed(CHEN, { qualification: '正高级工程师', level: '正高级' }))).rejects.toThrow(/^确认申请未受理：陈志强（500103199002024510）在确认申请 确认2026-0003 中提交虚假材料/);
    } finally {
      counter.setNow(new Date('2026-11-24T09:30:00+08:00'));
    }
  });

  it('answers a national-exam certificate “无需确认” at once, with nothing to decide', async () => {
    const exam = await call('confirmations.add', reviewed(WANG, { qualification: '注册会计师', major: '会计', level: '中级', route: '全国统一考试', issuedBy: '财政部注册会计师考试委员会', obtainedIn: '北京市' }));
    expect(exam).toMatchObject({ status: '无需确认', decision: null });
    await expect(call('confirmations.decide', { appNo: exam.appNo, decision: '确认', decidedOn: '2026-11-24' })).rejects.toThrow('的状态是“无需确认”，不能再作决定。');
    const entry = counter.latestEntries()[0]!;
    expect(entry).toMatchObject({ kind: '确认申请', remarks: '全国统一考试取得的资格证书无需确认，当场答复。' });
  });

  it('refuses an application outside this office’s competence, one short of the conditions, and one short of materials', async () => {
    const city = await call('confirmations.check', reviewed(LIN, { qualification: '主治医师', major: '内科', level: '中级', obtainedIn: '广东省', issuedBy: '广东省卫生健康委员会' }));
    expect(city.findings).toEqual([expect.objectContaining({ code: 'NOT_COMPETENT', message: '所在单位属市州管理的中级职称由市州职改办确认，不属本窗口的确认权限，请告知申请人向其申请。' })]);
    const unmet = await call('confirmations.check', { ...reviewed(GAO, { qualification: '正高级工程师', level: '正高级' }), conditions: { approvedUnderNationalPolicy: false, fileMovedIn: false, employmentProof: null }, arrival: '单位调入' });
    expect(unmet.findings.map((f) => f.code)).toEqual(['CONDITION_UNMET', 'CONDITION_UNMET', 'CONDITION_UNMET', 'MATERIALS_MISSING']);
    expect(unmet.findings[3]!.message).toBe('确认须提交的材料未齐：缺少“调令或部队安置证明复印件”。');
    // The title already confirmed cannot be applied for again.
    expect((await call('confirmations.check', reviewed(GAO))).findings.map((f) => f.code)).toEqual(['ALREADY_CONFIRMED']);
  });

  it('keeps every application and decision in the register, intact', async () => {
    expect(await call('register.verify', {})).toMatchObject({ intact: true });
    const kinds = counter.latestEntries(100).map((e) => e.kind).reverse();
    expect(kinds).toEqual(['确认申请', '确认决定', '签章', '确认申请', '确认决定', '确认申请', '确认决定', '确认申请']);
  });
});
