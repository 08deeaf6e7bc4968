import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLICATION_FORMAT, signPublication } from '../../core/hub/publication';
import { generateEd25519KeyPair } from '../../core/register/signing';
import { exportPublicKey } from '../../services/register/workstationKey';
import { hubFolder, hubQuery, runCli, runHubInProcess, startHub, type HubProcess } from '../support/hub';
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
    const entry = counter.latestEntries()[0]!;
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

describe('revocations published by the province through the hub', () => {
  const counter = applicationsCounter();
  const { call } = counter;
  let hub: HubProcess;
  let dataDir: string;
  const listFile = (name: string, lines: string[]) => {
    const path = join(tempDir(), name);
    writeFileSync(path, `\uFEFF${['序号,姓名,身份证号码,资格名称,文号,取消日期,限制截止,原因', ...lines].join('\r\n')}\r\n`);
    return path;
  };
  const publish = async (...args: string[]) => {
    const run = await runHubInProcess(['hub-publish', '--data', dataDir, ...args]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  /** The sync runs in the background, where nobody need be signed in. */
  const syncNow = async () => {
    counter.services.ctx.session.signOut();
    try {
      return await counter.services.sync.syncNow();
    } finally {
      counter.asAdmin();
    }
  };

  beforeAll(async () => {
    await counter.prepare();
    dataDir = await hubFolder('revocations');
    const provinceKey = (await runHubInProcess(['hub-province-key', '--data', dataDir])).stdout.trim();
    hub = await startHub(dataDir, { SEAL_COUNTER_CLOCK: '2026-11-24T09:30:00+08:00' });
    const settings = await call('settings.get', {});
    await call('settings.save', { ...settings, hub: { url: hub.url, provincePublicKey: provinceKey } });
    const keyFile = join(tempDir(), 'key.json');
    writeFileSync(keyFile, JSON.stringify(exportPublicKey(counter.services.ctx.workstation, settings.officeName, counter.services.ctx.clock.timestamp())));
    const enrolled = await runHubInProcess(['hub-enroll', '--data', dataDir, keyFile]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    counter.services.close();
    await hub.stop();
  });

  it('verifies the province’s signature and applies the list, recorded in the register as the province’s', async () => {
    expect(await publish('--revocations', listFile('省取消资格.csv', [
      `1,${XIANG.name},${XIANG.idNumber},中级会计师,川人社发〔2026〕88号,2026-10-01,2031-09-30,报考条件弄虚作假`,
      `2,${SONG.name},${SONG.idNumber},中级会计师,川人社发〔2026〕90号,2026-10-15,,`,
    ]))).toContain('已发布取消资格名单第 1 版：共 2 人');
    const status = await syncNow();
    expect(status.problem).toBeNull();
    expect(status.publicationNote).toBe('已采用集中服务器发布的取消资格名单（第 1 版）。');
    const list = (await call('revocations.list', {})).items;
    expect(list.map((r) => [r.name, r.source, r.lifted])).toEqual([['向莉芳', '省级中心第 1 版', false], ['宋璐丽', '省级中心第 1 版', false]]);
    expect(counter.latestEntries()[0]).toMatchObject({ kind: '取消资格', clerk: '省级中心发布', count: 2 });
    const detail = await counter.visitWith([{ certNo: 'C0002', person: SONG }]);
    expect(detail.rows[0]!.findings.map((f) => f.code)).toEqual(['QUAL_REVOKED']);
  }, 120_000);

  it('lifts a revocation the province takes out of its list, and applies each version once', async () => {
    expect(await publish('--lift', SONG.idNumber)).toContain('已发布取消资格名单第 2 版：共 1 人');
    expect((await syncNow()).publicationNote).toBe('已采用集中服务器发布的取消资格名单（第 2 版）。');
    const entries = counter.services.ctx.db.prepare("SELECT count(*) FROM register_entries WHERE kind = '取消资格'").pluck().get();
    await syncNow();
    expect(counter.services.ctx.db.prepare("SELECT count(*) FROM register_entries WHERE kind = '取消资格'").pluck().get()).toBe(entries);
    const list = (await call('revocations.list', {})).items;
    expect(list.find((r) => r.name === '宋璐丽')).toMatchObject({ lifted: true });
    const detail = await counter.visitWith([{ certNo: 'C0003', person: SONG }]);
    expect(detail.rows[0]!.findings).toEqual([]);
  }, 120_000);

  it('refuses a list the province did not sign (a hub database altered), keeping the revocations it had', async () => {
    // What a hub node broken into could serve: its answers signed, but the list not by the province.
    const forged = signPublication({ format: PUBLICATION_FORMAT, kind: 'revocations', version: 3, publishedAt: '2026-11-24T09:00:00+08:00', payload: { revocations: [] } }, generateEd25519KeyPair().privateKey);
    await hubQuery(dataDir, 'INSERT INTO publications (kind, version, published_at, signed_json) VALUES ($1, $2, $3, $4)', 'revocations', 3, forged.publishedAt, JSON.stringify(forged));
    const status = await syncNow();
    expect(status.problem).toBe('集中服务器发来的取消资格名单（第 3 版）签名无效，未采用，仍使用原有的取消资格名单。');
    expect((await call('revocations.list', {})).items.filter((r) => !r.lifted).map((r) => r.name)).toEqual(['向莉芳']);
    expect(await call('register.verify', {})).toMatchObject({ intact: true });
  }, 120_000);
});
