import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRestoreGap, makeBackup, restoreBackup } from '../../services/backup/backup';
import { batchPayload } from '../../services/register/batches';
import { dispatch } from '../../services/dispatch';
import { createHubClient } from '../../services/sync/hubClient';
import { SyncAgent } from '../../services/sync/sync';
import { exportPublicKey } from '../../services/register/workstationKey';
import { hubRows, runCli, startHub, type HubProcess } from '../support/hub';
import { openAt } from '../support/backup';
import { clientOf, fixtureBytes, FIXTURES_DIR, freshServices, tempDir as workstationDir, upload } from '../support/services';

/**
 * A workstation and a real hub process on loopback, through the workstation's outbox: whatever
 * happens on the way, afterwards both hold the same batches and entries, none lost or doubled.
 */

const ROSTER_HEADER = '序号,证书编号,姓名,性别,身份证号码,资格名称';
const people = fixtureBytes('approved/exam-intermediate-accountant-2025.csv').toString('utf8')
  .replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((line) => line.split(','));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const running: HubProcess[] = [];
afterAll(async () => { for (const hub of running) await hub.kill(); });

/** The workstations' fixed clock (tests/support.ts freshServices); the hub must agree within five minutes. */
const CLOCK = '2026-11-24T09:30:00+08:00';

async function hubAt(dataDir: string, port: number): Promise<HubProcess> {
  const hub = await startHub(dataDir, { SEAL_COUNTER_CLOCK: CLOCK }, `127.0.0.1:${port}`);
  running.push(hub);
  return hub;
}

/** A hub data folder, initialised, with its province public key. */
async function newHubData(): Promise<{ dataDir: string; provinceKey: string }> {
  const dataDir = workstationDir('seal-hub-');
  const run = await runCli(['hub-province-key', '--data', dataDir]);
  expect(run.code, run.stderr).toBe(0);
  return { dataDir, provinceKey: run.stdout.trim() };
}

let certificateCounter = 0;

/** A workstation with the exam list, whose every sealing uses the next people of the list. */
async function newWorkstation(hubUrl: string, provinceKey: string, dataDir: string, options: { enrol?: boolean } = {}) {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
  const settings = await call('settings.get', {});
  await call('settings.save', { ...settings, hub: { url: hubUrl, provincePublicKey: provinceKey } });
  if (options.enrol !== false) {
    const keyFile = join(workstationDir(), 'key.json');
    writeFileSync(keyFile, JSON.stringify(exportPublicKey(services.ctx.workstation, settings.officeName, services.ctx.clock.timestamp())));
    const run = await runCli(['hub-enroll', '--data', dataDir, keyFile]);
    expect(run.code, run.stderr).toBe(0);
  }
  /** Seals one visit of `rows` people (three register entries) and closes the day. */
  const sealDay = async (rows: number, certNos?: string[]) => {
    const lines = Array.from({ length: rows }, (_, i) => {
      const p = people[certificateCounter++ % people.length]!;
      return `${i + 1},${certNos?.[i] ?? `S${String(certificateCounter).padStart(6, '0')}`},${p[2]},${p[3]},${p[4]},${p[8]}`;
    });
    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    await call('visits.importRoster', { visitId: visit.id, fileName: 'r.csv', dataBase64: Buffer.from(`${ROSTER_HEADER}\n${lines.join('\n')}\n`).toString('base64') });
    await call('visits.seal', { visitId: visit.id });
    return (await call('batches.closeDay', {})).created!;
  };
  const entries = () => services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get() as number;
  return { services, call, sealDay, entries };
}

/** What the hub holds from one workstation, counted in its own database. */
function held(dataDir: string, workstationId: string) {
  return {
    batches: hubRows(dataDir, 'SELECT count(*) FROM batches WHERE workstation_id = ?', workstationId),
    entries: hubRows(dataDir, 'SELECT count(*) FROM entries WHERE workstation_id = ?', workstationId),
  };
}

describe('the outbox', () => {
  it('keeps batches while the hub is down, and delivers them once it starts', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const port = await freePort();
    const ws = await newWorkstation(`http://127.0.0.1:${port}`, provinceKey, dataDir);
    await ws.sealDay(2);
    await ws.sealDay(3);
    const down = await ws.call('sync.now', {});
    expect(down).toMatchObject({ configured: true, online: false, waiting: 2, lastError: expect.stringContaining('无法连接集中服务器') });

    await hubAt(dataDir, port);
    const up = await ws.call('sync.now', {});
    expect(up).toMatchObject({ online: true, waiting: 0, problem: null });
    expect(held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 2, entries: ws.entries() });
    expect((await ws.call('batches.list', {})).every((b) => b.acknowledgedAt !== null)).toBe(true);
    ws.services.close();
  });

  it('survives the hub killed in the middle of pushes: nothing lost, nothing doubled', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const port = await freePort();
    const ws = await newWorkstation(`http://127.0.0.1:${port}`, provinceKey, dataDir);
    for (let round = 0; round < 4; round++) {
      const hub = await hubAt(dataDir, port);
      await ws.sealDay(40);
      await ws.sealDay(40);
      const pushing = ws.call('sync.now', {});
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 30)));
      await hub.kill();
      await pushing;
    }
    await hubAt(dataDir, port);
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 0 });
    expect(held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 8, entries: ws.entries() });
    expect(hubRows(dataDir, 'SELECT count(*) - count(DISTINCT seq) FROM entries')).toBe(0);
    ws.services.close();
  }, 60_000);

  it('delivers the same batch three times and out of order, and the hub keeps one of each', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const ws = await newWorkstation(hub.url, provinceKey, dataDir);
    await ws.sealDay(1);
    await ws.sealDay(1);
    const client = createHubClient({ baseUrl: hub.url, workstationId: ws.services.ctx.workstation.id, sign: ws.services.ctx.workstation.sign, now: () => new Date(CLOCK) });
    // Batch 2 first: the hub asks for batch 1.
    expect(await client.pushBatch(batchPayload(ws.services.ctx.db, 2)!)).toMatchObject({ kind: 'gap', expectedBatchNo: 1, expectedFirstSeq: 1 });
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 0 });
    // The outbox forgets the acknowledgements (as after restoring a backup) and sends both again, twice.
    for (let again = 0; again < 2; again++) {
      ws.services.ctx.db.exec('DELETE FROM batch_deliveries');
      expect(await ws.call('sync.now', {})).toMatchObject({ waiting: 0, problem: null });
    }
    expect(held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 2, entries: ws.entries() });
    ws.services.close();
  });
});

describe('what the hub refuses', () => {
  it('a batch with one byte of an entry changed: refused, nothing stored, and the clerk is told', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const ws = await newWorkstation(hub.url, provinceKey, dataDir);
    await ws.sealDay(1);
    const db = new Database(ws.services.ctx.dbPath);
    db.exec("DROP TRIGGER register_entries_no_update; UPDATE register_entries SET canonical = CAST(replace(CAST(canonical AS TEXT), '四川', '四州') AS BLOB) WHERE seq = 2");
    db.close();
    const status = await ws.call('sync.now', {});
    expect(status).toMatchObject({ online: true, waiting: 1, problem: expect.stringContaining('拒收第 1 批') });
    expect(held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 0, entries: 0 });
    expect(hubRows(dataDir, 'SELECT count(*) FROM refusals')).toBeGreaterThan(0);
    ws.services.close();
  });

  it('a workstation that was never enrolled', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const ws = await newWorkstation(hub.url, provinceKey, dataDir, { enrol: false });
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 1, problem: expect.stringContaining('登记') });
    expect(hubRows(dataDir, 'SELECT count(*) FROM batches')).toBe(0);
    ws.services.close();
  });

  it('a replayed request, even one signed by an enrolled workstation', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const ws = await newWorkstation(hub.url, provinceKey, dataDir);
    await ws.sealDay(1);
    const sameNonce = createHubClient({ baseUrl: hub.url, workstationId: ws.services.ctx.workstation.id, sign: ws.services.ctx.workstation.sign, now: () => new Date(CLOCK), nonce: () => 'a'.repeat(32) });
    expect(await sameNonce.state()).toMatchObject({ kind: 'state', lastBatchNo: 0 });
    expect(await sameNonce.state()).toMatchObject({ kind: 'refused', reason: 'replay' });
    ws.services.close();
  });
});

describe('a data file restored from an older backup', () => {
  it('reports what the hub holds beyond it instead of pushing a second, different batch under the same number', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const ws = await newWorkstation(hub.url, provinceKey, dataDir);
    await ws.sealDay(1);
    const older = await makeBackup(ws.services.ctx);
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 0, problem: null });
    expect(held(dataDir, ws.services.ctx.workstation.id)).toMatchObject({ batches: 2 });
    const dbPath = ws.services.ctx.dbPath;
    ws.services.close();

    const restored = restoreBackup(older.path, dbPath);
    expect(restored.behind).toMatchObject({ restoredBatchNo: 1, hubBatchNo: 2 });
    expect(describeRestoreGap(restored.behind!)).toMatch(/第 2–2 批.*集中服务器已收到至第 2 批，须从集中服务器取回/);
    const again = openAt(dbPath, new Date(CLOCK));
    const call = clientOf((name, request) => dispatch(again, name, request));
    // The restored register seals and closes a day of its own: a batch 2 that the hub's batch 2 is not.
    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    const p = people[certificateCounter++ % people.length]!;
    await call('visits.importRoster', { visitId: visit.id, fileName: 'r.csv', dataBase64: Buffer.from(`${ROSTER_HEADER}\n1,R000001,${p[2]},${p[3]},${p[4]},${p[8]}\n`).toString('base64') });
    await call('visits.seal', { visitId: visit.id });
    expect((await call('batches.closeDay', {})).created).toMatchObject({ batchNo: 2 });
    const status = await call('sync.now', {});
    // Batch 1 (never acknowledged in the backup) and the new batch 2 wait; neither is pushed.
    expect(status).toMatchObject({ online: true, waiting: 2, problem: expect.stringContaining('集中服务器收到的本工作站第 2 批与本机的第 2 批不同') });
    expect(hubRows(dataDir, 'SELECT count(*) FROM equivocations')).toBe(0);
    again.close();
  });
});

describe('publications and conflicts', () => {
  it('applies an approved list only when the province key verifies it, and keeps what it had otherwise', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const publish = await runCli(['hub-publish', '--data', dataDir, '--list', join(FIXTURES_DIR, 'approved', 'exam-economist-2025.gbk.csv')]);
    expect(publish.code, publish.stderr).toBe(0);
    const ws = await newWorkstation(hub.url, provinceKey, dataDir);
    const listsBefore = await ws.call('lists.list', {});

    // The hub's answer altered on the way: one character of a name in the published list.
    const tampering = new SyncAgent(ws.services.ctx, {
      client: ({ url }) => createHubClient({
        baseUrl: url, workstationId: ws.services.ctx.workstation.id, sign: ws.services.ctx.workstation.sign, now: () => new Date(CLOCK),
        fetchImpl: async (input, init) => {
          const response = await fetch(input, init);
          const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
          if (!url.endsWith('/v1/publications')) return response;
          const text = (await response.text()).replace(/"name":"(.)/, '"name":"王');
          return new Response(text, { status: response.status, headers: response.headers });
        },
      }),
    });
    expect(await tampering.syncNow()).toMatchObject({ online: true, problem: expect.stringContaining('签名无效') });
    expect(await ws.call('lists.list', {})).toEqual(listsBefore);

    expect(await ws.call('sync.now', {})).toMatchObject({ problem: null, publicationNote: expect.stringContaining('已采用') });
    expect((await ws.call('lists.list', {})).length).toBe(listsBefore.length + 1);
    ws.services.close();
  });

  it('reports the same certificate number sealed at two workstations to both', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const one = await newWorkstation(hub.url, provinceKey, dataDir);
    const two = await newWorkstation(hub.url, provinceKey, dataDir);
    await one.sealDay(1, ['DUP-0001']);
    await two.sealDay(1, ['DUP-0001']);
    await one.call('sync.now', {});
    await two.call('sync.now', {});
    expect(await one.call('sync.now', {})).toMatchObject({ conflicts: 1 });
    for (const ws of [one, two]) {
      expect(await ws.call('sync.conflicts', {})).toEqual([expect.objectContaining({ kind: 'cert-no', certNo: 'DUP-0001', sightings: expect.arrayContaining([
        expect.objectContaining({ workstationId: one.services.ctx.workstation.id }), expect.objectContaining({ workstationId: two.services.ctx.workstation.id }),
      ]) })]);
      ws.services.close();
    }
  });
});
