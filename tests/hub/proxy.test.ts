import { cpSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_PATHS } from '../../core/hub/protocol';
import { runNginx, type RunningProxy } from '../../hub/proxy';
import { transportFor } from '../../services/sync/transport';
import { enrol, hubFolder, hubQuery, runHubInProcess, startHub, tempDir, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';
import { makeTestCertificate } from '../support/tls';

/**
 * The deployment the README describes: nginx from Debian in front of two hub nodes on one
 * database, TLS at the proxy, each node believing the forwarded client address only from the
 * proxy. On loopback the proxy connects from 127.0.0.2 (proxy_bind) and the clients from other
 * 127.x addresses, so the hub can tell who is who.
 */
const PROXY = '127.0.0.2';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('two hub nodes behind nginx', () => {
  let dataDir: string;
  const nodes: HubProcess[] = [];
  let proxy: RunningProxy;
  let certificatePem: string;
  const ws = new TestWorkstation('德阳市人力资源和社会保障局');

  beforeAll(async () => {
    dataDir = await hubFolder('proxy');
    const second = join(tempDir(), 'node-2');
    mkdirSync(second);
    for (const file of ['hub.json', 'hub-key.json']) cpSync(join(dataDir, file), join(second, file));
    const ports = [await freePort(), await freePort()];
    nodes.push(...await Promise.all([dataDir, second].map((dir, i) => startHub(dir, {}, `127.0.0.1:${ports[i]}`, ['--trust-proxy', PROXY]))));
    const certificate = makeTestCertificate(tempDir('seal-tls-'));
    certificatePem = certificate.pem;
    proxy = await runNginx({ listen: `127.0.0.1:${await freePort()}`, nodes: ports.map((p) => `127.0.0.1:${p}`), bindAddress: PROXY, tls: certificate, prefix: tempDir('seal-nginx-') });
    await enrol(dataDir, ws);
  }, 60_000);
  afterAll(async () => {
    await proxy.stop();
    await Promise.all(nodes.map((node) => node.stop()));
  });

  const viaProxy = (who: TestWorkstation, from: string) => who.client(proxy.url, { answerPublicKey: nodes[0]!.answerPublicKey, tlsCertificate: certificatePem, localAddress: from });
  const refusalsFrom = (address: string) => hubQuery<{ reason: string; count: number }>(dataDir, 'SELECT reason, count FROM refusal_counts WHERE remote_address = $1', address);

  it('serves workstations over TLS at the proxy, with answers signed by the nodes', async () => {
    expect(proxy.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = viaProxy(ws, '127.0.0.3');
    for (let i = 0; i < 6; i++) expect((await client.pushBatch(ws.addEntries(2).closeBatch())).kind).toBe('accepted');
    expect(await client.state()).toMatchObject({ kind: 'state', lastBatchNo: 6 });
  });

  it('records the client\'s own address for a request through the proxy, whatever X-Forwarded-For the client wrote', async () => {
    const stranger = new TestWorkstation('陌生工作站');
    const transport = transportFor({ tlsCertificate: certificatePem, localAddress: '127.0.0.4' });
    const forgedHeader = stranger.client(proxy.url, {
      answerPublicKey: nodes[0]!.answerPublicKey,
      fetchImpl: (url, init) => transport(url, { ...init, headers: { ...init.headers, 'X-Forwarded-For': '6.6.6.6' } }),
    });
    expect(await forgedHeader.state()).toMatchObject({ kind: 'refused', reason: 'unenrolled' });
    await expect.poll(() => refusalsFrom('127.0.0.4')).toEqual([{ reason: 'unenrolled', count: 1 }]);
  });

  it('does not believe X-Forwarded-For from anyone but the proxy', async () => {
    const direct = await fetch(`${nodes[1]!.url}${HUB_PATHS.state}`, { headers: { 'X-Forwarded-For': '6.6.6.6' } });
    expect(direct.status).toBe(401);
    await expect.poll(async () => (await hubQuery<{ remote_address: string }>(dataDir, "SELECT remote_address FROM refusal_counts WHERE reason = 'bad-signature'")).map((r) => r.remote_address)).toEqual(['127.0.0.1']);
    expect(await refusalsFrom('6.6.6.6')).toEqual([]);
  });

  it('goes on through the other node when one is killed', async () => {
    await nodes[0]!.kill();
    const client = viaProxy(ws, '127.0.0.3');
    for (let i = 0; i < 4; i++) {
      const payload = ws.addEntries(1).closeBatch();
      let answer = await client.pushBatch(payload);
      // nginx may try the dead node first for one request; the workstation simply sends again.
      if (answer.kind === 'offline') answer = await client.pushBatch(payload);
      expect(answer.kind).toBe('accepted');
    }
    expect(await client.state()).toMatchObject({ kind: 'state', lastBatchNo: 10 });
  });

  it('prints the configuration it runs for an operator (hub-proxy-config)', async () => {
    const run = await runHubInProcess(['hub-proxy-config', '--node', '10.0.0.11:8787', '--node', '10.0.0.12:8787', '--listen', '0.0.0.0:443', '--tls-cert', '/etc/ssl/hub.pem', '--tls-key', '/etc/ssl/hub.key', '--bind', '10.0.0.10']);
    expect(run.code).toBe(0);
    for (const line of ['server 10.0.0.11:8787', 'server 10.0.0.12:8787', 'listen 0.0.0.0:443 ssl;', 'ssl_certificate /etc/ssl/hub.pem;', 'proxy_bind 10.0.0.10;', 'proxy_set_header X-Forwarded-For $remote_addr;', 'proxy_request_buffering off;']) {
      expect(run.stdout).toContain(line);
    }
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
