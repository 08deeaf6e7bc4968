import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_PATHS } from '../../core/hub/protocol';
import { generateEd25519KeyPair } from '../../core/register/signing';
import { createHubClient } from '../../services/sync/hubClient';
import { enrol, hubFolder, hubQuery, refusalCount, runCli, startHub, tempDir, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * Workstations prove who they are with their own key, not a password: every request is signed,
 * and the hub refuses (401) an unknown or revoked key, a bad signature, a stale time and a replay,
 * writing every refusal down.
 */
describe('the hub authenticating workstations', () => {
  let hub: HubProcess;
  let dataDir: string;
  const enrolled = new TestWorkstation('乐山市人力资源和社会保障局');

  beforeAll(async () => {
    dataDir = await hubFolder('auth');
    hub = await startHub(dataDir);
    await enrol(dataDir, enrolled);
  }, 60_000);
  afterAll(async () => {
    expect(await hub.stop()).toBe(0);
  });

  const refusalsFor = (id: string, reason: string) => refusalCount(dataDir, reason, id);

  it('answers the health check without a signature', async () => {
    const response = await fetch(`${hub.url}/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, hub: 'seal-counter-hub' });
    expect(await enrolled.client(hub).health()).toEqual({ kind: 'ok' });
  });

  it('refuses a workstation whose key was never enrolled', async () => {
    const stranger = new TestWorkstation('陌生工作站');
    const result = await stranger.client(hub).state();
    expect(result).toMatchObject({ kind: 'refused', reason: 'unenrolled' });
    expect(result.kind === 'refused' && result.message).toMatch(/未在集中服务器登记/);
    await expect.poll(() => refusalsFor(stranger.id, 'unenrolled')).toBe(1);
    expect(hub.stderr()).toMatch(new RegExp(`拒绝 GET /v1/state.*${stranger.id}.*unenrolled`));
  });

  it('refuses a workstation once it is revoked, and takes it back only when reinstated explicitly', async () => {
    const ws = new TestWorkstation('雅安市人力资源和社会保障局');
    await enrol(dataDir, ws);
    const client = ws.client(hub);
    expect((await client.state()).kind).toBe('state');

    const revoked = await runCli(['hub-revoke', '--data', dataDir, ws.id, '--operator', '省厅管理员甲']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`已注销工作站 ${ws.id}`);
    expect(revoked.stdout).toMatch(/公钥指纹 [0-9A-F]{4}( [0-9A-F]{4}){7}/);
    expect(revoked.stdout).toContain('操作人 省厅管理员甲');
    expect(await client.state()).toMatchObject({ kind: 'refused', reason: 'unenrolled' });
    expect(await client.pushBatch(ws.addEntries(1).closeBatch())).toMatchObject({ kind: 'refused', reason: 'unenrolled' });

    const keyFile = ws.writeKeyFile(tempDir('seal-key-'));
    const again = await runCli(['hub-enroll', '--data', dataDir, keyFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/已于 .* 注销.*--reinstate/);
    expect(await client.state()).toMatchObject({ kind: 'refused', reason: 'unenrolled' });

    expect((await runCli(['hub-enroll', '--data', dataDir, keyFile, '--reinstate'])).code).toBe(0);
    expect((await client.state()).kind).toBe('state');
  });

  it('refuses the same signed request played a second time', async () => {
    const headers = enrolled.sign('GET', HUB_PATHS.state, new Uint8Array(0));
    const first = await fetch(`${hub.url}${HUB_PATHS.state}`, { headers });
    expect(first.status).toBe(200);
    const replayed = await fetch(`${hub.url}${HUB_PATHS.state}`, { headers });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ status: 'refused', reason: 'replay' });
    await expect.poll(() => refusalsFor(enrolled.id, 'replay')).toBe(1);

    // A replayed push changes nothing either.
    const body = Buffer.from(JSON.stringify(new TestWorkstation('x', enrolled.keys).addEntries(1).closeBatch()));
    const pushHeaders = { ...enrolled.sign('POST', HUB_PATHS.batches, body), 'Content-Type': 'application/json' };
    expect((await fetch(`${hub.url}${HUB_PATHS.batches}`, { method: 'POST', headers: pushHeaders, body })).status).toBe(200);
    const again = await fetch(`${hub.url}${HUB_PATHS.batches}`, { method: 'POST', headers: pushHeaders, body });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ reason: 'replay' });
  });

  it('refuses a request whose time is more than five minutes from the hub clock, either way', async () => {
    const tenMinutes = 10 * 60 * 1000;
    const late = await enrolled.client(hub, { now: () => new Date(Date.now() - tenMinutes) }).state();
    expect(late).toMatchObject({ kind: 'refused', reason: 'stale' });
    expect(late.kind === 'refused' && late.message).toMatch(/5 分钟/);
    const early = await enrolled.client(hub, { now: () => new Date(Date.now() + tenMinutes) }).conflicts();
    expect(early).toMatchObject({ kind: 'refused', reason: 'stale' });
    // Four minutes off is within tolerance.
    expect((await enrolled.client(hub, { now: () => new Date(Date.now() - 4 * 60 * 1000) }).state()).kind).toBe('state');
    await expect.poll(() => refusalsFor(enrolled.id, 'stale')).toBe(2);
  });

  it('refuses a signature made with another key, a body changed after signing, and a request with no signature', async () => {
    const impostor = createHubClient({ baseUrl: hub.url, answerPublicKey: hub.answerPublicKey, workstationId: enrolled.id, privateKey: generateEd25519KeyPair().privateKey, now: () => new Date() });
    expect(await impostor.state()).toMatchObject({ kind: 'refused', reason: 'bad-signature' });

    const signedBody = Buffer.from('{"batch":1}');
    const headers = { ...enrolled.sign('POST', HUB_PATHS.batches, signedBody), 'Content-Type': 'application/json' };
    const changed = await fetch(`${hub.url}${HUB_PATHS.batches}`, { method: 'POST', headers, body: '{"batch":2}' });
    expect(changed.status).toBe(401);
    expect(await changed.json()).toMatchObject({ reason: 'bad-signature' });

    const otherPath = await fetch(`${hub.url}${HUB_PATHS.conflicts}`, { headers: enrolled.sign('GET', HUB_PATHS.state, new Uint8Array(0)) });
    expect(await otherPath.json()).toMatchObject({ reason: 'bad-signature' });

    const unsigned = await fetch(`${hub.url}${HUB_PATHS.state}`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ status: 'refused', reason: 'bad-signature' });

    await expect.poll(() => refusalsFor(enrolled.id, 'bad-signature')).toBe(3);
    const logged = await hubQuery<{ remote_address: string; first_at: string }>(dataDir, "SELECT remote_address, first_at FROM refusal_counts WHERE reason = 'bad-signature'");
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((r) => r.remote_address === '127.0.0.1' && r.first_at.length > 0)).toBe(true);
  });

  it('answers unknown paths and wrong methods with a clear message, not a refusal', async () => {
    const unknown = await fetch(`${hub.url}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 'not-found' });
    const wrongMethod = await fetch(`${hub.url}${HUB_PATHS.batches}`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe('the workstation client when the hub cannot be reached', () => {
  const ws = new TestWorkstation('阿坝州人力资源和社会保障局');

  it('reports offline, without throwing, when nothing listens at the address', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const client = ws.client(`http://127.0.0.1:${closed}`);
    const pushed = await client.pushBatch(ws.addEntries(1).closeBatch());
    expect(pushed).toMatchObject({ kind: 'offline' });
    expect(pushed.kind === 'offline' && pushed.message).toMatch(/无法连接集中服务器/);
    expect(await client.health()).toMatchObject({ kind: 'offline' });
  });

  it('reports offline when the hub accepts the connection but does not answer in time', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const started = Date.now();
      const result = await ws.client(`http://127.0.0.1:${port}`, { timeoutMs: 300 }).state();
      expect(result).toMatchObject({ kind: 'offline' });
      expect(result.kind === 'offline' && result.message).toMatch(/没有答复/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('believes nothing the hub did not sign: a proxy\'s error page is "offline", an unsigned "accepted" a forgery', async () => {
    // A proxy whose nodes are down says 502 itself: taken for offline, so nothing is acknowledged.
    const proxyError = () => Promise.resolve(new Response('<html>代理错误</html>', { status: 502 }));
    expect(await ws.client('https://hub.invalid', { fetchImpl: proxyError, answerPublicKey: ws.keys.publicKey }).state()).toMatchObject({ kind: 'offline', message: expect.stringContaining('HTTP 502') });
    const unsignedAccepted = () => Promise.resolve(new Response(JSON.stringify({ status: 'accepted', batchNo: 1, nextBatchNo: 2, nextSeq: 2 }), { status: 200 }));
    expect(await ws.client('https://hub.invalid', { fetchImpl: unsignedAccepted, answerPublicKey: ws.keys.publicKey }).pushBatch(ws.addEntries(1).closeBatch())).toMatchObject({ kind: 'forged' });
  });
});

describe('the hub clock fixed by SEAL_COUNTER_CLOCK (end-to-end tests)', () => {
  it('judges request times against the fixed clock, not the machine\'s', async () => {
    const dataDir = await hubFolder('clock');
    const fixed = '2026-11-24T09:30:00+08:00';
    const hub = await startHub(dataDir, { SEAL_COUNTER_CLOCK: fixed });
    try {
      const ws = new TestWorkstation('资阳市人力资源和社会保障局');
      await enrol(dataDir, ws);
      expect((await ws.client(hub, { now: () => new Date(fixed) }).state()).kind).toBe('state');
      expect(await ws.client(hub, { now: () => new Date(Date.parse(fixed) + 6 * 60 * 1000) }).state()).toMatchObject({ kind: 'refused', reason: 'stale' });
      await expect.poll(async () => (await hubQuery<{ first_at: string }>(dataDir, 'SELECT first_at FROM refusal_counts'))[0]?.first_at).toBe('2026-11-24T09:30:00+08:00');
    } finally {
      await hub.stop();
    }
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
