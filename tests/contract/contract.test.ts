import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { CallName } from '../../core/contract';
import { startHttpHost, type HttpHost } from '../../server/httpHost';
import { dispatch } from '../../services/dispatch';
import { launchedClient, loopbackClient } from '../support/loopback';
import { clientOf, freshServices, SENIOR14_SETTINGS, tempDir, upload, type Transport } from '../support/services';

/**
 * The same contract calls, run once against the in-process handlers and once through the
 * loopback HTTP host, must behave the same: that is what keeps the two hosts thin.
 */
type Setup = { transport: Transport; close: () => Promise<void> };

const transports: Record<string, (backend: Parameters<typeof dispatch>[0]) => Promise<Setup>> = {
  'in-process handlers': (backend) => Promise.resolve({ transport: (name, request) => dispatch(backend, name, request), close: () => Promise.resolve() }),
  'loopback HTTP host': async (backend) => {
    const host = await startHttpHost({ backend, staticDir: tempDir() });
    const client = await launchedClient(host);
    return { transport: (name, request) => client.call(name, request), close: () => host.close() };
  },
};

describe.each(Object.keys(transports))('the counter flow over %s', (transportName) => {
  const services = freshServices();
  let setup: Setup;
  let call: ReturnType<typeof clientOf>;
  const newVisit = (unit: string, slipNo: string, slipCount: number) =>
    call('visits.create', { unit, agentName: '李明', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo, slipCount, slipSigner: '谢天涛' });

  beforeAll(async () => {
    setup = await transports[transportName]!(services);
    call = clientOf(setup.transport);
    await call('settings.save', SENIOR14_SETTINGS);
    expect(await call('reference.import', { kind: 'slips', ...upload('slips.csv') })).toEqual({ kind: 'slips', count: 60 });
    await call('reference.import', { kind: 'signers', ...upload('signers.csv') });
    await call('reference.import', { kind: 'holidays', ...upload('holidays.csv') });
    expect(await call('reference.summary', {})).toEqual({ slips: 60, signers: 6, holidays: expect.any(Number), units: 0 });
  });
  afterAll(async () => {
    await setup.close();
    services.close();
  });

  it('imports an approved list and shows its 批准文号, title and row count', async () => {
    const preview = await call('lists.preview', upload('approved/senior-engineers-2025.xlsx'));
    expect(preview).toMatchObject({ approvalDoc: '川职改〔2025〕12号', title: '2025年度四川省高级工程师评审通过人员名单', rowCount: 300, headerLine: 3, rejected: [], alreadyImported: false });
    const list = await call('lists.import', upload('approved/senior-engineers-2025.xlsx'));
    expect(list).toMatchObject({ approvalDoc: '川职改〔2025〕12号', certificateType: '高级专业技术职务资格证书', rowCount: 300 });
    expect(await call('lists.list', {})).toHaveLength(1);
  });

  it('refuses to import the same 批准文号 twice', async () => {
    await expect(call('lists.import', upload('approved/senior-engineers-2025.xlsx'))).rejects.toThrow('已经导入过');
  });

  it('finds a person by name or by ID number', async () => {
    const byId = await call('lists.rows', { query: '510703197903024724', offset: 0, limit: 10 });
    expect(byId.rows.map((r) => r.name)).toEqual(['赵梅琴']);
    const byName = await call('lists.rows', { query: '赵梅琴', offset: 0, limit: 10 });
    expect(byName.rows.map((r) => r.idNumber)).toContain('510703197903024724');
  });

  it('rejects an invalid request with a Chinese message', async () => {
    await expect(call('visits.create', { unit: '', agentName: '李明', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo: '' })).rejects.toThrow('请填写用章单位');
  });

  it('seals the passing rows of a visit, one register entry per seal and document kind, chained', async () => {
    const visit = await newVisit('四川华西集团有限公司', 'QZ2026-0006', 40);
    expect(visit.slipFindings).toEqual([]);
    expect(visit.dayWarning).toBeNull();
    const detail = await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/senior-clean.xlsx') });
    expect(detail.visit.counts).toEqual({ total: 40, pass: 40, warning: 0, error: 0, sealable: 40 });
    const sealed = await call('visits.seal', { visitId: visit.id });
    expect(sealed.sealedCount).toBe(40);
    expect(sealed.entries).toEqual([expect.objectContaining({ seq: 1, sealName: '高级职务资格证书专用章', sealKind: '钢印', documentKind: '证书', count: 40, unit: '四川华西集团有限公司', slipNo: 'QZ2026-0006', approver: '谢天涛' })]);
    expect(sealed.visit.status).toBe('sealed');
    await expect(call('visits.seal', { visitId: visit.id })).rejects.toThrow('签章完毕');
  });

  it('refuses to seal the same people again, with ALREADY_SEALED on every row', async () => {
    const visit = await newVisit('四川华西集团有限公司', 'QZ2026-0007', 40);
    const detail = await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/senior-clean.xlsx') });
    expect(detail.rows.every((r) => r.findings.some((f) => f.code === 'ALREADY_SEALED'))).toBe(true);
    expect(detail.rows[0]!.findings[0]!.message).toContain('四川华西集团有限公司');
    await expect(call('visits.seal', { visitId: visit.id })).rejects.toThrow('ALREADY_SEALED');
  });

  it('seals only what may be sealed from the error roster, once warnings are acknowledged', async () => {
    const visit = await newVisit('成都市人力资源和社会保障局', 'QZ2026-0014', 23);
    let detail = await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/senior-errors.xlsx') });
    const passing = detail.rows.filter((r) => r.verdict === 'pass').length;
    const line = (rowNo: number) => detail.rows.find((r) => r.rowNo === rowNo)!.line;
    await expect(call('visits.acknowledge', { visitId: visit.id, lines: [line(1)], reason: '看过了' })).rejects.toThrow('有错误');
    await expect(call('visits.acknowledge', { visitId: visit.id, lines: [line(6)], reason: '看过了' })).rejects.toThrow('外语合格证复印件');
    detail = await call('visits.setDocuments', { visitId: visit.id, documents: ['外语合格证复印件'] });
    const unitMismatches = detail.rows.filter((r) => r.findings.some((f) => f.code === 'UNIT_MISMATCH'));
    expect(unitMismatches.every((r) => r.blockedBy === '警告须经确认并填写理由')).toBe(true);
    detail = await call('visits.acknowledge', { visitId: visit.id, lines: unitMismatches.map((r) => r.line), reason: '人员已调动，有调令' });
    expect(detail.visit.counts.sealable).toBe(passing + detail.visit.counts.warning);
    expect(detail.visit.slipFindings).toEqual([]);
    const sealed = await call('visits.seal', { visitId: visit.id });
    expect(sealed.sealedCount).toBe(23);
    expect(sealed.entries[0]).toMatchObject({ seq: 2, count: 23, remarks: expect.stringMatching(/已查验：外语合格证复印件.*序号 31、42 的警告经确认，理由：人员已调动，有调令/) });
  });

  it('checks the stamp slip when the visit starts and again at sealing, and a slip serves once', async () => {
    const unknown = await newVisit('成都市人力资源和社会保障局', 'QZ2025-0999', 1);
    expect(unknown.slipFindings.map((f) => f.code)).toEqual(['SLIP_UNKNOWN']);
    const reused = await newVisit('成都市人力资源和社会保障局', 'QZ2026-0014', 1);
    expect(reused.slipFindings).toEqual([{ code: 'SLIP_USED', severity: 'error', message: expect.stringContaining('已于 2026-11-24') }]);
    const miscounted = await newVisit('四川华西集团有限公司', 'QZ2026-0008', 5);
    const detail = await call('visits.importRoster', { visitId: miscounted.id, fileName: 'one.csv', dataBase64: Buffer.from('序号,证书编号,姓名,性别,身份证号码,资格名称\n1,51202501009999,赵梅琴,女,510703197903024724,正高级工程师\n').toString('base64') });
    expect(detail.visit.slipFindings.map((f) => f.code)).toEqual(['SLIP_COUNT_MISMATCH']);
    await expect(call('visits.seal', { visitId: miscounted.id })).rejects.toThrow('凭条上填写的证书数为 5 本');
  });

  it('warns on a day the senior counter is closed and seals only once the clerk gives a reason', async () => {
    services.setNow(new Date('2026-11-23T10:00:00+08:00'));
    try {
      const visit = await call('visits.create', { unit: '四川华西集团有限公司', agentName: '李明', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo: 'QZ2026-0008', slipCount: 1, slipSigner: '谢天涛' });
      expect(visit.dayWarning).toMatch(/星期一/);
      await call('visits.importRoster', { visitId: visit.id, fileName: 'one.csv', dataBase64: Buffer.from('序号,证书编号,姓名,性别,身份证号码,资格名称\n1,51202501009999,赵梅琴,女,510703197903024724,正高级工程师\n').toString('base64') });
      await expect(call('visits.seal', { visitId: visit.id })).rejects.toThrow('请先确认并填写理由');
      const acknowledged = await call('visits.acknowledgeDay', { visitId: visit.id, reason: '处长批准加急办理' });
      expect(acknowledged.visit.dayAcknowledgement).toBe('处长批准加急办理');
      const sealed = await call('visits.seal', { visitId: visit.id });
      expect(sealed.entries[0]!.remarks).toContain('非办证日办理，理由：处长批准加急办理');
    } finally {
      services.setNow(new Date('2026-11-24T09:30:00+08:00'));
    }
  });

  it('lists the register newest first, filtered by unit and date, and finds the chain intact', async () => {
    const all = await call('register.list', { offset: 0, limit: 50 });
    expect(all.entries.map((e) => e.seq)).toEqual([3, 2, 1]);
    const huaxi = await call('register.list', { unit: '华西', offset: 0, limit: 50 });
    expect(huaxi.entries.map((e) => e.seq)).toEqual([3, 1]);
    expect((await call('register.list', { from: '2026-11-24', to: '2026-11-24', offset: 0, limit: 50 })).entries.map((e) => e.seq)).toEqual([2, 1]);
    expect((await call('register.list', { visitId: 1, offset: 0, limit: 50 })).entries.map((e) => e.seq)).toEqual([1]);
    expect(await call('register.verify', {})).toEqual({ intact: true, count: 3 });
  });

  it('prints the register sheet of a visit and of a day as a PDF file', async () => {
    const byVisit = await call('print.form', { form: 'register-sheet', scope: { visitId: 1 } });
    expect(Buffer.from(byVisit.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(byVisit.path).length).toBeGreaterThan(1000);
    const byDay = await call('print.form', { form: 'register-sheet', scope: { date: '2026-11-24' } });
    expect(byDay.entryCount).toBe(2);
  });

  it('shows what a new version of an imported list changes, and applies it only when confirmed', async () => {
    const csv = (rows: string[]) => ({ fileName: 'v2.csv', dataBase64: Buffer.from(['序号,姓名,性别,身份证号码,工作单位,资格名称,批准文号', ...rows].join('\n')).toString('base64') });
    await call('lists.import', csv(['1,张三,男,510121196707144636,甲公司,经济师,川人社办发〔2099〕1号', '2,李四,女,510703197903024724,乙公司,经济师,川人社办发〔2099〕1号']));
    const second = csv(['1,张三,男,510121196707144636,丙公司,经济师,川人社办发〔2099〕1号', '3,王五,男,51010819870911595X,丁公司,经济师,川人社办发〔2099〕1号']);
    const preview = await call('lists.preview', second);
    expect(preview.diff).toMatchObject({ added: 1, removed: 1, changed: 1 });
    expect(preview.diff!.samples).toContainEqual({ change: 'changed', idNumber: '510121196707144636', name: '张三', detail: '工作单位由“甲公司”改为“丙公司”' });
    await expect(call('lists.import', second)).rejects.toThrow('差异');
    expect(await call('lists.import', { ...second, replaceExisting: true })).toMatchObject({ rowCount: 2 });
    expect((await call('lists.rows', { query: '王五', offset: 0, limit: 5 })).total).toBe(1);
    expect((await call('lists.rows', { query: '李四', offset: 0, limit: 5 })).total).toBe(0);
  });

  it('exports the office settings as one JSON file and imports it back', async () => {
    const exported = await call('settings.export', {});
    const changed = { ...JSON.parse(exported.json), officeName: '某市人力资源和社会保障局' };
    expect(await call('settings.import', { json: JSON.stringify(changed) })).toMatchObject({ officeName: '某市人力资源和社会保障局' });
    await expect(call('settings.import', { json: '{"officeName": 1}' })).rejects.toThrow('未做任何更改');
    expect((await call('app.info', {})).officeName).toBe('某市人力资源和社会保障局');
  });
});

describe('the loopback HTTP host guards its door', () => {
  const services = freshServices();
  let host: HttpHost;
  beforeAll(async () => { host = await startHttpHost({ backend: services, staticDir: tempDir() }); });
  afterAll(async () => { await host.close(); services.close(); });

  it('listens on 127.0.0.1 only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses a call without the session cookie', async () => {
    const result = await loopbackClient(host.url, `${host.cookieName}=made-up`).call('lists.list', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'signed-out', message: '请先登录。' } });
  });

  it('refuses a request whose Host header names another site (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/app.info', method: 'POST', headers: { Host: 'attacker.example', 'Content-Type': 'application/json', 'X-Seal-Counter': '1' } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('answers an unknown call with a clear error', async () => {
    const result = await (await launchedClient(host)).call('no.such.call' as CallName, {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringContaining('未知的调用') } });
  });
});
