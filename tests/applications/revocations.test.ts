import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLICATION_FORMAT, signPublication, type RevocationsPublication, type SignedPublication } from '../../core/hub/publication';
import { HUB_PATHS } from '../../core/hub/protocol';
import { generateEd25519KeyPair } from '../../core/register/signing';
import { runCli } from '../support/hub';
import { tempDir } from '../support/services';
import { applicationsCounter, CLERK, lostCertificate, SONG, XIANG, ZHAO } from './support';

/**
 * Revocations (取消资格, DOMAIN.md §14): imported or recorded, then a roster row for a revoked
 * qualification is QUAL_REVOKED and an application from a barred person says until when; the
 * province's signed list is verified and applied by the sync like the approved lists.
 */
const LIST = [
  '2026年取消资格人员名单',
  '序号,姓名,身份证号码,资格名称,文号,取消日期,限制截止,原因',
  '1,向莉芳,510107199206205820,中级会计师,川人社发〔2026〕88号,2026-10-01,,报考条件弄虚作假',
  '2,梁浩明,510108199201083779,中级会计师,川人社发〔2026〕88号,2026-10-01,2028-09-30,替考',
].join('\r\n');

const upload = (fileName: string, text: string) => ({ fileName, dataBase64: Buffer.from(`\uFEFF${text}\r\n`, 'utf8').toString('base64') });

describe('revoked qualifications at the counter', () => {
  const counter = applicationsCounter();
  const { call } = counter;

  beforeAll(async () => {
    await counter.prepare();
  });
  afterAll(() => counter.services.close());

  it('imports the list all or nothing, naming the line that cannot be read, and does not record a revocation twice', async () => {
    const bad = LIST.replace('510108199201083779', '510108199201083770');
    await expect(call('revocations.import', upload('取消资格.csv', bad))).rejects.toThrow('取消资格名单“取消资格.csv”有 1 行无法导入，整份名单未导入。第 4 行：身份证号码“510108199201083770”校验位不正确');
    expect((await call('revocations.list', {})).items).toEqual([]);
    counter.as(CLERK);
    await expect(call('revocations.import', upload('取消资格.csv', LIST))).rejects.toThrow(/此操作需要审核人权限/);
    counter.asAdmin();
    expect(await call('revocations.import', upload('取消资格.csv', LIST))).toEqual({ added: 2, alreadyRecorded: 0, total: 2 });
    expect(await call('revocations.import', upload('取消资格.csv', LIST))).toEqual({ added: 0, alreadyRecorded: 2, total: 2 });
    const list = (await call('revocations.list', {})).items;
    // Anhui 2013: 5 years without the exam or a review, where the list gives no date of its own.
    expect(list.map((r) => [r.name, r.barUntil, r.source, r.lifted])).toEqual([['向莉芳', '2031-09-30', '本窗口', false], ['梁浩明', '2028-09-30', '本窗口', false]]);
    const entry = (await call('register.list', { offset: 0, limit: 1 })).entries[0]!;
    expect(entry).toMatchObject({ kind: '取消资格', count: 2, purpose: '导入取消资格名单“取消资格.csv”：2 人' });
  });

  it('gives QUAL_REVOKED to a roster row for the revoked qualification, and it blocks sealing', async () => {
    const detail = await counter.visitWith([{ certNo: 'C0001', person: XIANG }, { certNo: 'C0002', person: SONG }]);
    expect(detail.rows[0]!.findings).toEqual([{ code: 'QUAL_REVOKED', severity: 'error', message: '向莉芳（510107199206205820）的“中级会计师”资格已于 2026-10-01 依 川人社发〔2026〕88号 取消，不能签章。' }]);
    expect(detail.rows[1]!.verdict).toBe('pass');
    const sealed = await call('visits.seal', { visitId: detail.visit.id });
    expect(sealed.sealedCount).toBe(1);
  });

  it('refuses to replace a revoked certificate, and says until when a barred person may not apply', async () => {
    const replacement = await call('replacements.check', lostCertificate(XIANG, 'P0001', '2026-10-10'));
    expect(replacement.findings.map((f) => f.code)).toEqual(['ORIGINAL_NOT_IN_LEDGER', 'QUAL_REVOKED']);
    await call('revocations.add', { idNumber: ZHAO.idNumber, name: ZHAO.name, qualification: '初级会计师', document: '皖人社秘〔2013〕176号', revokedOn: '2025-03-01', barUntil: '2030-02-28', reason: '弄虚作假' });
    const confirmation = await call('confirmations.check', {
      person: { ...ZHAO, unitManagement: '省直' },
      title: { qualification: '经济师', level: '中级', route: '评审', obtainedOn: '2021-01-10', obtainedIn: '安徽省' },
      conditions: { approvedUnderNationalPolicy: true, fileMovedIn: true, employmentProof: '社保缴交凭证' },
      arrival: '个人调入',
      materials: ['确认申请表（一式两份）', '资格证书原件', '评审表原件', '任职资格文件复印件', '劳动合同或社保缴交凭证原件', '职称申报系统电子数据', '身份证复印件', '近期免冠彩色照片'],
    });
    expect(confirmation.findings).toEqual([{ code: 'PERSON_BARRED', severity: 'error', message: '赵雨浩（510106198803021033）的“初级会计师”资格已依 皖人社秘〔2013〕176号 取消，2025-03-01 至 2030-02-28 不得申报专业技术资格，本次确认申请不予受理。' }]);
  });

  it('reports QUAL_REVOKED through seal-counter verify-roster --json', async () => {
    const roster = join(tempDir(), 'roster.csv');
    writeFileSync(roster, ['序号,证书编号,姓名,性别,身份证号码,资格名称', `1,C0101,${XIANG.name},女,${XIANG.idNumber},中级会计师`, `2,C0102,${ZHAO.name},男,${ZHAO.idNumber},中级会计师`].join('\n'));
    const run = await runCli(['verify-roster', roster, '--db', counter.services.dbPath, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ rows: [{ row: 1, codes: ['QUAL_REVOKED'] }, { row: 2, codes: [] }] });
  });
});

/** A stand-in for the hub's publications until the hub publishes revocations (hub/ is being rewritten). */
async function publicationsServer(served: () => SignedPublication[]): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const json = request.url === HUB_PATHS.publications ? { publications: served() } : request.url === HUB_PATHS.conflicts ? { conflicts: [] } : { status: 'not-found', message: '无此路径' };
    response.writeHead(request.url === HUB_PATHS.publications || request.url === HUB_PATHS.conflicts ? 200 : 404, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('revocations published by the province', () => {
  const counter = applicationsCounter();
  const { call } = counter;
  const province = generateEd25519KeyPair();
  let served: SignedPublication[] = [];
  let hub: { url: string; server: Server };

  const publication = (version: number, revocations: RevocationsPublication['payload']['revocations'], key = province.privateKey) =>
    signPublication({ format: PUBLICATION_FORMAT, kind: 'revocations', version, publishedAt: '2026-11-24T08:00:00+08:00', payload: { revocations } }, key);
  const XIANG_REVOKED = { idNumber: XIANG.idNumber, name: XIANG.name, qualification: '中级会计师', document: '川人社发〔2026〕88号', revokedOn: '2026-10-01', barUntil: '2031-09-30', reason: '报考条件弄虚作假' };
  const SONG_REVOKED = { idNumber: SONG.idNumber, name: SONG.name, qualification: '中级会计师', document: '川人社发〔2026〕90号', revokedOn: '2026-10-15', barUntil: null, reason: '' };

  beforeAll(async () => {
    await counter.prepare();
    hub = await publicationsServer(() => served);
    const settings = await call('settings.get', {});
    await call('settings.save', { ...settings, hub: { url: hub.url, provincePublicKey: Buffer.from(province.publicKey).toString('base64') } });
    // The sync runs in the background, where nobody need be signed in.
    counter.services.ctx.session.signOut();
  });
  afterAll(async () => {
    counter.services.close();
    await new Promise((resolve) => hub.server.close(resolve));
  });

  it('verifies the province’s signature and applies the list, recorded in the register as the province’s', async () => {
    served = [publication(1, [XIANG_REVOKED, SONG_REVOKED])];
    const status = await counter.services.sync.syncNow();
    expect(status.publicationNote).toBe('已采用集中服务器发布的取消资格名单（第 1 版）。');
    expect(status.problem).toBeNull();
    counter.asAdmin();
    const list = (await call('revocations.list', {})).items;
    expect(list.map((r) => [r.name, r.source, r.lifted])).toEqual([['向莉芳', '省级中心第 1 版', false], ['宋璐丽', '省级中心第 1 版', false]]);
    expect((await call('register.list', { offset: 0, limit: 1 })).entries[0]).toMatchObject({ kind: '取消资格', clerk: '省级中心发布', count: 2 });
    const detail = await counter.visitWith([{ certNo: 'C0002', person: SONG }]);
    expect(detail.rows[0]!.findings.map((f) => f.code)).toEqual(['QUAL_REVOKED']);
    counter.services.ctx.session.signOut();
  });

  it('lifts a revocation the province no longer publishes, and applies each version once', async () => {
    served = [publication(2, [XIANG_REVOKED])];
    expect((await counter.services.sync.syncNow()).publicationNote).toBe('已采用集中服务器发布的取消资格名单（第 2 版）。');
    const entries = counter.services.ctx.db.prepare("SELECT count(*) FROM register_entries WHERE kind = '取消资格'").pluck().get();
    await counter.services.sync.syncNow();
    expect(counter.services.ctx.db.prepare("SELECT count(*) FROM register_entries WHERE kind = '取消资格'").pluck().get()).toBe(entries);
    counter.asAdmin();
    const list = (await call('revocations.list', {})).items;
    expect(list.find((r) => r.name === '宋璐丽')).toMatchObject({ lifted: true });
    const detail = await counter.visitWith([{ certNo: 'C0003', person: SONG }]);
    expect(detail.rows[0]!.findings).toEqual([]);
    counter.services.ctx.session.signOut();
  });

  it('refuses a list whose signature is not the province’s, keeping the revocations it had', async () => {
    served = [publication(3, [], generateEd25519KeyPair().privateKey)];
    const status = await counter.services.sync.syncNow();
    expect(status.problem).toBe('集中服务器发来的取消资格名单（第 3 版）签名无效，未采用，仍使用原有的取消资格名单。');
    counter.asAdmin();
    expect((await call('revocations.list', {})).items.filter((r) => !r.lifted).map((r) => r.name)).toEqual(['向莉芳']);
    expect(await call('register.verify', {})).toMatchObject({ intact: true });
  });
});
