import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchUnits } from '../../core/contract';
import { dispatch } from '../../services/dispatch';
import { openServices } from '../../services/open';
import { clientOf, FIXTURES_DIR, freshServices, REPO_DIR, signInForTests, tempDir, upload } from '../support/services';

const COUNTER_DAY = '2026-11-24T09:30:00+08:00';

/** `seal-counter training-db PATH`: the history a new clerk practises on, as the CLI writes it. */
function trainingDb(): { path: string; visits: { earlierDays: number[]; today: { confirmedWarning: number; replacement: number }; open: number } } {
  const path = join(tempDir(), 'training.sqlite');
  const run = spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), 'training-db', path], { encoding: 'utf8', env: { ...process.env, SEAL_COUNTER_CLOCK: COUNTER_DAY } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return { path, ...(JSON.parse(run.stdout) as { visits: ReturnType<typeof trainingDb>['visits'] }) };
}

describe('what the counter looks up for the clerk', () => {
  const training = trainingDb();
  const services = openServices(training.path, () => new Date(COUNTER_DAY));
  signInForTests(services);
  const call = clientOf((name, request) => dispatch(services, name, request));
  afterAll(() => services.close());

  it('training-db writes two closed earlier days, two sealings since the last batch and an open visit, and marks itself', async () => {
    const { visits } = training;
    expect(visits.earlierDays).toHaveLength(2);
    const sealed = await call('visits.list', { status: 'sealed' });
    expect(sealed.map((v) => v.id).sort()).toEqual([...visits.earlierDays, visits.today.confirmedWarning, visits.today.replacement].sort());
    const batches = await call('batches.list', {});
    expect(batches).toHaveLength(2);
    const todays = (await call('register.list', { offset: 0, limit: 100 })).entries.filter((e) => e.seq > Math.max(...batches.map((b) => b.lastSeq)));
    expect(todays.map((e) => e.visitId).sort()).toEqual([visits.today.confirmedWarning, visits.today.replacement].sort());
    expect(todays.every((e) => e.at.startsWith('2026-11-24'))).toBe(true);
    expect(todays.find((e) => e.visitId === visits.today.confirmedWarning)!.remarks).toContain('的警告经确认');
    const open = await call('visits.get', { visitId: visits.open });
    expect(open.visit.status).toBe('open');
    expect(open.rows.length).toBeGreaterThan(0);
    expect(await call('register.verify', {})).toMatchObject({ intact: true });
    expect(await call('training.status', {})).toEqual({ training: true });
    const settings = await call('settings.get', {});
    await expect(call('settings.save', { ...settings, hub: { url: 'http://127.0.0.1:8787', provincePublicKey: `${'A'.repeat(43)}=` } })).rejects.toThrow('培训数据不能设置集中服务器');
  });

  it('finds a certificate by number, ID number or name, with its status, visit, unit and clerk', async () => {
    const replacement = (await call('register.list', { visitId: training.visits.today.replacement, offset: 0, limit: 10 })).entries[0]!;
    const reissued = services.ctx.db.prepare('SELECT cert_no, replaces_cert_no, id_number, name FROM certificates WHERE reissue = 1').get() as { cert_no: string; replaces_cert_no: string; id_number: string; name: string };
    const byNo = await call('certificates.find', { query: reissued.cert_no });
    expect(byNo.certificates).toEqual([expect.objectContaining({ certNo: reissued.cert_no, status: '补发', relatedCertNo: reissued.replaces_cert_no, visitId: training.visits.today.replacement, unit: replacement.unit, clerk: '培训学员' })]);
    const original = await call('certificates.find', { query: ` ${reissued.replaces_cert_no.toLowerCase()} ` });
    expect(original.certificates).toEqual([expect.objectContaining({ status: '已作废', relatedCertNo: reissued.cert_no, visitId: training.visits.earlierDays[0] })]);
    const byId = await call('certificates.find', { query: reissued.id_number });
    expect(byId.certificates.map((c) => c.status).sort()).toEqual(['已作废', '补发']);
    expect((await call('certificates.find', { query: reissued.name })).certificates.length).toBeGreaterThanOrEqual(2);
    const never = await call('certificates.find', { query: '51202501999999' });
    expect(never).toEqual({ certificates: [], message: expect.stringContaining('本窗口没有签章过“51202501999999”') });
  });

  it('tells a scanned slip from a scanned certificate number and from anything else', async () => {
    expect(await call('visits.scan', { code: 'qz2026-0007' })).toEqual({ kind: 'slip', slipNo: 'QZ2026-0007', unit: '四川华西集团有限公司', year: 2026, certificateType: '高级专业技术职务资格证书', openVisitId: null });
    const open = await call('visits.get', { visitId: training.visits.open });
    expect(await call('visits.scan', { code: open.visit.slipNo })).toMatchObject({ kind: 'slip', openVisitId: training.visits.open });
    const certNo = services.ctx.db.prepare('SELECT cert_no FROM certificates LIMIT 1').pluck().get() as string;
    expect(await call('visits.scan', { code: certNo })).toEqual({ kind: 'certificate', certNo });
    expect(await call('visits.scan', { code: 'ABC-123' })).toEqual({ kind: 'unknown', message: expect.stringContaining('既不是已发放的签章凭条') });
  });

  it('offers the agents a unit sent before, latest first, and the signers valid today', async () => {
    const hints = await call('visits.hints', { unit: '成都市人力资源和社会保障局' });
    expect(hints.agents).toEqual([{ name: '王经办', phone: '028-86000000' }]);
    // signers.csv has four signers authorised on 2026-11-24: none is prefilled.
    expect(hints.signers.sort()).toEqual(['李嘉斌', '董毅旭', '谢天涛', '陈红阳'].sort());
    expect(hints.signer).toBeNull();
    expect((await call('visits.hints', { unit: '没来过的单位' })).agents).toEqual([]);
  });

  it('checks the slip of a visit being filled in, judging only what is filled in', async () => {
    const draft = { unit: '', certificateType: '高级专业技术职务资格证书' as const, slipNo: 'QZ2026-0017', slipSigner: '' };
    expect(await call('visits.checkDraft', draft)).toEqual({ needsSlip: true, slipFindings: [] });
    expect((await call('visits.checkDraft', { ...draft, unit: '成都市人力资源和社会保障局' })).slipFindings.map((f) => f.code)).toEqual(['SLIP_WRONG_UNIT']);
    expect((await call('visits.checkDraft', { ...draft, slipNo: 'QZ2026-0999' })).slipFindings.map((f) => f.code)).toEqual(['SLIP_UNKNOWN']);
    expect((await call('visits.checkDraft', { ...draft, slipNo: 'QZ2025-0017', unit: '四川华西集团有限公司' })).slipFindings.map((f) => f.code)).toEqual(['SLIP_WRONG_YEAR']);
    const used = await call('visits.get', { visitId: training.visits.earlierDays[0]! });
    expect((await call('visits.checkDraft', { ...draft, slipNo: used.visit.slipNo, unit: used.visit.unit })).slipFindings.map((f) => f.code)).toEqual(['SLIP_USED']);
    expect((await call('visits.checkDraft', { ...draft, slipSigner: '张凯伟' })).slipFindings.map((f) => f.code)).toEqual(['SLIP_SIGNER_UNAUTHORIZED']);
    expect(await call('visits.checkDraft', { ...draft, certificateType: '专业技术资格证书' })).toEqual({ needsSlip: false, slipFindings: [] });
  });
});

describe('units as reference data', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  beforeAll(async () => {
    expect(await call('reference.import', { kind: 'units', ...upload('units.csv') })).toEqual({ kind: 'units', count: 17 });
  });
  afterAll(() => services.close());

  it('keeps each unit with its pinyin initials, and the summary counts them', async () => {
    const units = await call('reference.units', {});
    expect(units).toHaveLength(17);
    expect(units).toContainEqual({ name: '成都市人力资源和社会保障局', category: '市州人社部门', initials: 'cdsrlzyhshbzj' });
    expect((await call('reference.summary', {})).units).toBe(17);
  });

  it('suggests by characters or by pinyin initials as people abbreviate them', async () => {
    const units = await call('reference.units', {});
    expect(matchUnits(units, 'cdrs').map((u) => u.name)).toEqual(['成都市人力资源和社会保障局']);
    expect(matchUnits(units, 'CDRS').map((u) => u.name)).toEqual(['成都市人力资源和社会保障局']);
    expect(matchUnits(units, 'myrs')[0]!.name).toBe('绵阳市人力资源和社会保障局');
    expect(matchUnits(units, '华西').map((u) => u.name)).toEqual(['四川华西集团有限公司']);
    // Fewer letters skipped between the initials ranks first.
    expect(matchUnits(units, 'jyt').map((u) => u.name)).toEqual(['四川省教育厅', '四川省交通运输厅']);
    expect(matchUnits(units, 'xyz')).toEqual([]);
    expect(matchUnits(units, '人力资源').length).toBe(10);
  });

  it('refuses a units file without the unit name, in Chinese', async () => {
    await expect(call('reference.import', { kind: 'units', fileName: 'u.csv', dataBase64: Buffer.from('名称,类别\n甲,乙\n').toString('base64') })).rejects.toThrow('缺少“单位名称”列');
  });
});

describe('training-db on the command line', () => {
  it('refuses to write over an existing file', () => {
    const path = join(tempDir(), 'exists.sqlite');
    openServices(path).close();
    const run = spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), 'training-db', path], { encoding: 'utf8', env: { ...process.env, SEAL_COUNTER_FIXTURES: FIXTURES_DIR } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('已存在');
  });
});
