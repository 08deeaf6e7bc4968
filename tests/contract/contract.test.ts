import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { CallName, CallResult } from '../../core/contract';
import { startHttpHost, type HttpHost } from '../../server/httpHost';
import { dispatch } from '../../services/dispatch';
import { clientOf, freshServices, tempDir, upload, type Transport } from '../support';

/**
 * The same contract calls, run once against the in-process handlers and once through the
 * loopback HTTP host, must behave the same: that is what keeps the two hosts thin.
 */
type Setup = { transport: Transport; close: () => Promise<void> };

const transports: Record<string, (handlers: Parameters<typeof dispatch>[0]) => Promise<Setup>> = {
  'in-process handlers': async (handlers) => ({ transport: (name, request) => dispatch(handlers, name, request), close: async () => {} }),
  'loopback HTTP host': async (handlers) => {
    const host = await startHttpHost({ handlers, staticDir: tempDir() });
    return { transport: httpTransport(host), close: () => host.close() };
  },
};

function httpTransport(host: HttpHost, token = host.token): Transport {
  return async (name, request) => {
    const response = await fetch(`${host.url}api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Seal-Token': token }, body: JSON.stringify(request) });
    return (await response.json()) as CallResult<CallName>;
  };
}

describe.each(Object.keys(transports))('the counter flow over %s', (transportName) => {
  const services = freshServices();
  let setup: Setup;
  let call: ReturnType<typeof clientOf>;
  const newVisit = (unit: string) => call('visits.create', { unit, agentName: '李明', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo: 'QZ2025-0017', slipSigner: '董毅旭', clerk: '王芳' });

  beforeAll(async () => {
    setup = await transports[transportName]!(services.handlers);
    call = clientOf(setup.transport);
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
    await expect(call('visits.create', { unit: '', agentName: '李明', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo: '', clerk: '王芳' })).rejects.toThrow('请填写用章单位');
  });

  it('seals the passing rows of a visit, one register entry per seal and document kind, chained', async () => {
    const visit = await newVisit('四川华西集团有限公司');
    const detail = await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/senior-clean.xlsx') });
    expect(detail.visit.counts).toEqual({ total: 40, pass: 40, warning: 0, error: 0, sealable: 40 });
    const sealed = await call('visits.seal', { visitId: visit.id });
    expect(sealed.sealedCount).toBe(40);
    expect(sealed.entries).toEqual([expect.objectContaining({ seq: 1, sealName: '高级职务资格证书专用章', sealKind: '钢印', documentKind: '证书', count: 40, unit: '四川华西集团有限公司', slipNo: 'QZ2025-0017', approver: '董毅旭', clerk: '王芳' })]);
    expect(sealed.visit.status).toBe('sealed');
    await expect(call('visits.seal', { visitId: visit.id })).rejects.toThrow('签章完毕');
  });

  it('refuses to seal the same people again, with ALREADY_SEALED on every row', async () => {
    const visit = await newVisit('四川华西集团有限公司');
    const detail = await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/senior-clean.xlsx') });
    expect(detail.rows.every((r) => r.findings.some((f) => f.code === 'ALREADY_SEALED'))).toBe(true);
    expect(detail.rows[0]!.findings[0]!.message).toContain('四川华西集团有限公司');
    await expect(call('visits.seal', { visitId: visit.id })).rejects.toThrow('ALREADY_SEALED');
  });

  it('seals only what may be sealed from the error roster, once warnings are acknowledged', async () => {
    const visit = await newVisit('成都市人力资源和社会保障局');
    let detail = await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/senior-errors.xlsx') });
    const passing = detail.rows.filter((r) => r.verdict === 'pass').length;
    await expect(call('visits.acknowledge', { visitId: visit.id, rowNo: 1, reason: '看过了' })).rejects.toThrow('有错误');
    for (const row of detail.rows.filter((r) => r.verdict === 'warning')) {
      detail = await call('visits.acknowledge', { visitId: visit.id, rowNo: row.rowNo, reason: '已核验外语合格证复印件' });
    }
    expect(detail.visit.counts.sealable).toBe(passing + detail.visit.counts.warning);
    const sealed = await call('visits.seal', { visitId: visit.id });
    expect(sealed.sealedCount).toBe(detail.visit.counts.sealable);
    expect(sealed.entries[0]!.seq).toBe(2);
  });

  it('lists the register newest first, filtered by unit and date, and finds the chain intact', async () => {
    const all = await call('register.list', { offset: 0, limit: 50 });
    expect(all.entries.map((e) => e.seq)).toEqual([2, 1]);
    const huaxi = await call('register.list', { unit: '华西', offset: 0, limit: 50 });
    expect(huaxi.entries.map((e) => e.seq)).toEqual([1]);
    expect((await call('register.list', { from: '2026-11-25', offset: 0, limit: 50 })).total).toBe(0);
    expect(await call('register.verify', {})).toEqual({ intact: true, count: 2 });
  });

  it('prints the register sheet of a visit and of a day as a PDF file', async () => {
    const byVisit = await call('print.registerSheet', { visitId: 1 });
    expect(Buffer.from(byVisit.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(byVisit.path).length).toBeGreaterThan(1000);
    const byDay = await call('print.registerSheet', { date: '2026-11-24' });
    expect(byDay.entryCount).toBe(2);
  });
});

describe('the loopback HTTP host guards its door', () => {
  const services = freshServices();
  let host: HttpHost;
  beforeAll(async () => { host = await startHttpHost({ handlers: services.handlers, staticDir: tempDir() }); });
  afterAll(async () => { await host.close(); services.close(); });

  it('listens on 127.0.0.1 only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses a call without the per-launch token', async () => {
    const result = await httpTransport(host, 'wrong-token')('app.info', {});
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('令牌') } });
  });

  it('refuses a request whose Host header names another site (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/app.info', method: 'POST', headers: { Host: 'attacker.example', 'X-Seal-Token': host.token } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('answers an unknown call with a clear error', async () => {
    const result = await httpTransport(host)('no.such.call' as CallName, {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringContaining('未知的调用') } });
  });
});
