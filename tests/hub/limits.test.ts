import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_PATHS } from '../../core/hub/protocol';
import { enrol, hubFolder, hubQuery, hubRows, refusalCount, startHub, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * Limits before work: what a stranger or a broken client can make a hub node do is bounded —
 * bodies by their declared size, requests and connections per address, slow clients by time,
 * and the refusal log by counting instead of writing a row per refusal.
 */
describe('a hub node under abuse', () => {
  // Small limits, so that the test reaches them quickly.
  const limits = ['--rate-limit', '5', '--rate-burst', '20', '--connections-per-address', '8', '--headers-timeout', '1', '--max-body-mb', '1'];
  const ws = new TestWorkstation('广安市人力资源和社会保障局');
  let hub: HubProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await hubFolder('limits');
    hub = await startHub(dataDir, {}, '127.0.0.1:0', limits);
    await enrol(dataDir, ws);
  }, 60_000);
  afterAll(async () => {
    expect(await hub.stop()).toBe(0);
  });

  /** Waits until the node's rate limit has refilled for the next test. */
  const rested = () => new Promise((done) => setTimeout(done, 4_000));

  it('turns a body larger than allowed away from its declared length, before reading it, even from an enrolled workstation', async () => {
    const url = new URL(HUB_PATHS.batches, hub.url);
    const headers = { ...ws.sign('POST', HUB_PATHS.batches, Buffer.from('{}')), 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024 + 1) };
    const answer = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      // Only a few bytes of the announced megabyte are ever sent.
      req.write('{"batch":');
    });
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ status: 'too-large', message: expect.stringContaining('1 MB') });
  });

  it('refuses a GET that carries a body', async () => {
    const answer = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const req = request(new URL(HUB_PATHS.state, hub.url), { method: 'GET', headers: { ...ws.sign('GET', HUB_PATHS.state, new Uint8Array(0)), 'Content-Length': '5' } }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end('hello');
    });
    expect(answer).toMatchObject({ status: 400, json: { status: 'bad-request', message: expect.stringContaining('GET 请求不应带有请求体') } });
  });

  it('answers an address that asks too often with 429 and when to come back, and counts the flood in a few rows', async () => {
    await rested();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await fetch(`${hub.url}${HUB_PATHS.health}`)).status);
    // The burst goes through; after it, about five a second.
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const limited = statuses.filter((s) => s === 429).length;
    expect(limited).toBeGreaterThan(25);
    const response = await fetch(`${hub.url}${HUB_PATHS.health}`);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toMatchObject({ status: 'rate-limited', message: expect.stringContaining('请求过于频繁') });
    await expect.poll(() => refusalCount(dataDir, 'rate-limited'), { timeout: 5_000 }).toBe(limited + 1);
    // Counted per minute and address, not a row each.
    expect(await hubRows(dataDir, "SELECT count(*) FROM refusal_counts WHERE reason = 'rate-limited'")).toBeLessThanOrEqual(2);
  });

  it('counts a flood of forged requests without a row per request', async () => {
    await rested();
    const impostor = new TestWorkstation('冒充者', ws.keys);
    const forged = { ...impostor.sign('GET', HUB_PATHS.conflicts, new Uint8Array(0)), 'X-Seal-Signature': 'A'.repeat(86) + '==' };
    for (let i = 0; i < 15; i++) expect((await fetch(`${hub.url}${HUB_PATHS.state}`, { headers: forged })).status).toBe(401);
    await expect.poll(() => refusalCount(dataDir, 'bad-signature', ws.id), { timeout: 5_000 }).toBe(15);
    expect(await hubRows(dataDir, "SELECT count(*) FROM refusal_counts WHERE reason = 'bad-signature'")).toBeLessThanOrEqual(2);
    // hub-status reports them with the office.
    expect((await hubQuery<{ last_message: string }>(dataDir, "SELECT last_message FROM refusal_counts WHERE reason = 'bad-signature'"))[0]!.last_message).toMatch(/签名无效/);
  });

  it('closes connections an address opens beyond its share', async () => {
    await rested();
    const sockets: Socket[] = [];
    const { port } = new URL(hub.url);
    const closed: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      const index = i;
      closed[index] = false;
      socket.on('close', () => { closed[index] = true; });
      socket.on('error', () => {});
      sockets.push(socket);
      await new Promise((done) => socket.once('connect', done));
    }
    await new Promise((done) => setTimeout(done, 300));
    // Eight stay open; the four beyond the share are closed at once.
    expect(closed.filter(Boolean).length).toBe(4);
    for (const socket of sockets) socket.destroy();
    await expect.poll(() => refusalCount(dataDir, 'too-many-connections'), { timeout: 5_000 }).toBe(4);
  });

  it('closes a connection whose headers do not arrive in time (a slow client holds nothing for long)', async () => {
    const { port } = new URL(hub.url);
    const socket = connect(Number(port), '127.0.0.1');
    const started = Date.now();
    await new Promise((done) => socket.once('connect', done));
    socket.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n');
    const dropped = await new Promise<string>((resolve) => {
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
      socket.once('close', () => resolve(text));
      // Trickles one header byte a while, never finishing.
      const drip = setInterval(() => { if (!socket.destroyed) socket.write('X'); }, 200);
      socket.once('close', () => clearInterval(drip));
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(dropped).toMatch(/^HTTP\/1\.1 408|^$/);
  });
});

describe('the refusal log over time', () => {
  it('deletes counts older than the retention period', async () => {
    const dataDir = await hubFolder('retention');
    const ws = new TestWorkstation('遂宁市人力资源和社会保障局');
    await enrol(dataDir, ws);
    // Minutes counted a year ago and yesterday, as a node would have written them.
    for (const daysAgo of [365, 1]) {
      await hubQuery(dataDir, `INSERT INTO refusal_counts (minute, remote_address, reason, workstation_id, count, first_at, last_request, last_message)
        VALUES (now() - make_interval(days => $1), '10.0.0.9', 'bad-signature', '', 3, '', 'GET /v1/state', '')`, daysAgo);
    }
    const hub = await startHub(dataDir, {}, '127.0.0.1:0', ['--refusal-retention-days', '30']);
    try {
      await expect.poll(() => hubRows(dataDir, "SELECT count(*) FROM refusal_counts WHERE remote_address = '10.0.0.9'"), { timeout: 10_000 }).toBe(1);
    } finally {
      await hub.stop();
    }
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
