import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_PATHS } from '../../core/hub/protocol';
import type { PushResult } from '../../services/sync/hubClient';
import { enrol, hubFolder, hubRows, startHub, tempDir, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * Several hub nodes on one database, as a province runs them behind its proxy: a workstation's
 * pushes may reach any node, at the same moment, twice, out of order. The database decides:
 * each batch is accepted once and in order, a nonce spent at one node is spent at all.
 */
describe('two hub nodes on one database', () => {
  let one: HubProcess;
  let two: HubProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await hubFolder('nodes');
    // The second node's folder: the same hub.json (database) and hub-key.json (answer key), no province key.
    const second = join(tempDir(), 'node-2');
    mkdirSync(second);
    for (const file of ['hub.json', 'hub-key.json']) cpSync(join(dataDir, file), join(second, file));
    // Every test client comes from 127.0.0.1: the per-address limit is raised out of the way.
    const unlimited = ['--rate-limit', '10000', '--rate-burst', '10000'];
    [one, two] = await Promise.all([startHub(dataDir, {}, '127.0.0.1:0', unlimited), startHub(second, {}, '127.0.0.1:0', unlimited)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([one.stop(), two.stop()]);
  });

  it('accepts a workstation\'s batches once and in order when both nodes receive the same and the next batch at the same moment', async () => {
    const stations = Array.from({ length: 6 }, (_, i) => new TestWorkstation(`第 ${i + 1} 考区人力资源和社会保障局`));
    for (const ws of stations) await enrol(dataDir, ws);
    const tally: Record<string, number> = {};
    await Promise.all(stations.map(async (ws) => {
      const [a, b] = [ws.client(one), ws.client(two)];
      for (let round = 0; round < 8; round++) {
        const first = ws.addEntries(3 + round).closeBatch();
        const next = ws.addEntries(2).closeBatch();
        // The same batch to both nodes, and its successor to each, all at once.
        const answers: PushResult[] = await Promise.all([a.pushBatch(first), b.pushBatch(first), a.pushBatch(next), b.pushBatch(next)]);
        for (const answer of answers) tally[answer.kind] = (tally[answer.kind] ?? 0) + 1;
        // Whatever lost the race (a gap answered before its predecessor was in) is sent again, as the outbox would.
        for (const payload of [first, next]) {
          const again = await a.pushBatch(payload);
          expect(['accepted', 'duplicate']).toContain(again.kind);
        }
      }
    }));
    // Nothing but the four answers a sound hub can give, and never a failure.
    expect(Object.keys(tally).sort()).toEqual(expect.arrayContaining(['accepted', 'duplicate']));
    expect(Object.keys(tally).every((kind) => ['accepted', 'duplicate', 'gap'].includes(kind))).toBe(true);
    expect(tally.accepted).toBeLessThanOrEqual(6 * 16);
    for (const ws of stations) {
      const expected = ws.batches.length;
      expect(await hubRows(dataDir, 'SELECT count(*) FROM batches WHERE workstation_id = $1', ws.id)).toBe(expected);
      // Contiguous from 1, each batch's first entry right after the previous batch's last.
      expect(await hubRows(dataDir, `SELECT count(*) FROM batches b JOIN batches p ON p.workstation_id = b.workstation_id AND p.batch_no = b.batch_no - 1
        WHERE b.workstation_id = $1 AND (b.first_seq <> p.last_seq + 1 OR b.prev_hash <> p.last_hash)`, ws.id)).toBe(0);
      const entries = ws.batches.reduce((n, p) => n + p.entries.length, 0);
      expect(await hubRows(dataDir, 'SELECT count(DISTINCT seq) FROM entries WHERE workstation_id = $1', ws.id)).toBe(entries);
      expect(await hubRows(dataDir, 'SELECT max(seq) FROM entries WHERE workstation_id = $1', ws.id)).toBe(entries);
      expect(await ws.client(two).state()).toMatchObject({ kind: 'state', lastBatchNo: expected, lastHash: ws.batches.at(-1)!.batch.lastHash });
    }
    console.log(`two nodes racing: ${JSON.stringify(tally)}`);
  });

  it('shares nonces: a request one node accepted is a replay at the other', async () => {
    const ws = new TestWorkstation('攀枝花市人力资源和社会保障局');
    await enrol(dataDir, ws);
    const headers = ws.sign('GET', HUB_PATHS.state, new Uint8Array(0));
    expect((await fetch(`${one.url}${HUB_PATHS.state}`, { headers })).status).toBe(200);
    const replayed = await fetch(`${two.url}${HUB_PATHS.state}`, { headers });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ reason: 'replay' });

    // A push too, sent to both nodes at once with one nonce: one stores it, the other refuses.
    const body = Buffer.from(JSON.stringify(ws.addEntries(2).closeBatch()));
    const push = { ...ws.sign('POST', HUB_PATHS.batches, body), 'Content-Type': 'application/json' };
    const statuses = (await Promise.all([one, two].map((node) => fetch(`${node.url}${HUB_PATHS.batches}`, { method: 'POST', headers: push, body })))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
    expect(await hubRows(dataDir, 'SELECT count(*) FROM batches WHERE workstation_id = $1', ws.id)).toBe(1);
  });

  it('answers with the same answer key at every node, which the workstation pinned once', async () => {
    const ws = new TestWorkstation('雅安市人力资源和社会保障局');
    await enrol(dataDir, ws);
    expect(two.answerPublicKey).toEqual(one.answerPublicKey);
    // A client pinned to node one's key believes node two.
    expect((await ws.client(two.url, { answerPublicKey: one.answerPublicKey }).state()).kind).toBe('state');
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
