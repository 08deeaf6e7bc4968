import Database from 'better-sqlite3';
import { writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRestoreGap, makeBackup, restoreBackup } from '../../services/backup/backup';
import { batchPayload } from '../../services/register/batches';
import { dispatch } from '../../services/dispatch';
import { createHubClient } from '../../services/sync/hubClient';
import { SyncAgent, nextDelay } from '../../services/sync/sync';
import { exportPublicKey } from '../../services/register/workstationKey';
import { openAt } from '../support/backup';
import { ANSWER_SIGNATURE_HEADER, signAnswer } from '../../core/hub/answer';
import { HUB_PATHS } from '../../core/hub/protocol';
import { signRequest } from '../../core/hub/signedRequest';
import { generateEd25519KeyPair } from '../../core/register/signing';
import { makeTestCertificate } from '../support/tls';
import { answerKeyOf, hubFolder, hubRows, refusalCount, runHubInProcess, startHub, type HubProcess } from '../support/hub';
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

/** A hub data folder, initialised on its own database, with its province public key. */
async function newHubData(): Promise<{ dataDir: string; provinceKey: string }> {
  const dataDir = await hubFolder('sync');
  const run = await runHubInProcess(['hub-province-key', '--data', dataDir]);
  expect(run.code, run.stderr).toBe(0);
  return { dataDir, provinceKey: run.stdout.trim() };
}

let certificateCounter = 0;

/** A workstation with the exam list, whose every sealing uses the next people of the list. */
async function newWorkstation(hubUrl: string, provinceKey: string, dataDir: string, options: { enrol?: boolean; tlsCertificate?: string } = {}) {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
  const settings = await call('settings.get', {});
  await call('settings.save', { ...settings, hub: { url: hubUrl, provincePublicKey: provinceKey, ...(options.tlsCertificate ? { tlsCertificate: options.tlsCertificate } : {}) } });
  if (options.enrol !== false) {
    const keyFile = join(workstationDir(), 'key.json');
    writeFileSync(keyFile, JSON.stringify(exportPublicKey(services.ctx.workstation, settings.officeName, services.ctx.clock.timestamp())));
    const run = await runHubInProcess(['hub-enroll', '--data', dataDir, keyFile]);
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
async function held(dataDir: string, workstationId: string) {
  return {
    batches: await hubRows(dataDir, 'SELECT count(*) FROM batches WHERE workstation_id = $1', workstationId),
    entries: await hubRows(dataDir, 'SELECT count(*) FROM entries WHERE workstation_id = $1', workstationId),
  };
}

/** A hub on a new database and one enrolled workstation that names it in its settings. */
async function hubWithWorkstation() {
  const { dataDir, provinceKey } = await newHubData();
  const hub = await hubAt(dataDir, await freePort());
  return { dataDir, provinceKey, hub, ws: await newWorkstation(hub.url, provinceKey, dataDir) };
}

/** The client the agent would make, for tests that send requests of their own. */
function clientOfWorkstation(ws: Awaited<ReturnType<typeof newWorkstation>>, hub: HubProcess, extra: { nonce?: () => string } = {}) {
  return createHubClient({ baseUrl: hub.url, answerPublicKey: hub.answerPublicKey, workstationId: ws.services.ctx.workstation.id, sign: ws.services.ctx.workstation.sign, now: () => new Date(CLOCK), ...extra });
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
    expect(await held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 2, entries: ws.entries() });
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
    expect(await held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 8, entries: ws.entries() });
    expect(await hubRows(dataDir, 'SELECT count(*) - count(DISTINCT (workstation_id, seq)) FROM entries')).toBe(0);
    ws.services.close();
  }, 60_000);

  it('delivers the same batch three times and out of order, and the hub keeps one of each', async () => {
    const { dataDir, hub, ws } = await hubWithWorkstation();
    await ws.sealDay(1);
    await ws.sealDay(1);
    const client = clientOfWorkstation(ws, hub);
    // Batch 2 first: the hub asks for batch 1.
    expect(await client.pushBatch(batchPayload(ws.services.ctx.db, 2)!)).toMatchObject({ kind: 'gap', expectedBatchNo: 1, expectedFirstSeq: 1 });
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 0 });
    // The outbox forgets the acknowledgements (as after restoring a backup) and sends both again, twice.
    for (let again = 0; again < 2; again++) {
      ws.services.ctx.db.exec('DELETE FROM batch_deliveries');
      expect(await ws.call('sync.now', {})).toMatchObject({ waiting: 0, problem: null });
    }
    expect(await held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 2, entries: ws.entries() });
    ws.services.close();
  });
});

describe('what the hub refuses', () => {
  it('a batch with one byte of an entry changed: refused, nothing stored, and the clerk is told', async () => {
    const { dataDir, ws } = await hubWithWorkstation();
    await ws.sealDay(1);
    const db = new Database(ws.services.ctx.dbPath);
    db.exec("DROP TRIGGER register_entries_no_update; UPDATE register_entries SET canonical = CAST(replace(CAST(canonical AS TEXT), '四川', '四州') AS BLOB) WHERE seq = 2");
    db.close();
    const status = await ws.call('sync.now', {});
    expect(status).toMatchObject({ online: true, waiting: 1, problem: expect.stringContaining('拒收第 1 批') });
    expect(await held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 0, entries: 0 });
    await expect.poll(() => refusalCount(dataDir, 'content', ws.services.ctx.workstation.id)).toBe(1);
    ws.services.close();
  });

  it('a workstation that was never enrolled', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const ws = await newWorkstation(hub.url, provinceKey, dataDir, { enrol: false });
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 1, problem: expect.stringContaining('登记') });
    expect(await hubRows(dataDir, 'SELECT count(*) FROM batches')).toBe(0);
    ws.services.close();
  });

  it('a replayed request, even one signed by an enrolled workstation', async () => {
    const { hub, ws } = await hubWithWorkstation();
    await ws.sealDay(1);
    const sameNonce = clientOfWorkstation(ws, hub, { nonce: () => 'a'.repeat(32) });
    expect(await sameNonce.state()).toMatchObject({ kind: 'state', lastBatchNo: 0 });
    expect(await sameNonce.state()).toMatchObject({ kind: 'refused', reason: 'replay' });
    ws.services.close();
  });
});

describe('a data file restored from an older backup', () => {
  it('reports what the hub holds beyond it instead of pushing a second, different batch under the same number', async () => {
    const { dataDir, ws } = await hubWithWorkstation();
    await ws.sealDay(1);
    const older = await makeBackup(ws.services.ctx);
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 0, problem: null });
    expect(await held(dataDir, ws.services.ctx.workstation.id)).toMatchObject({ batches: 2 });
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
    expect(await hubRows(dataDir, 'SELECT count(*) FROM equivocations')).toBe(0);
    again.close();
  });
});

describe('publications and conflicts', () => {
  it('applies an approved list only when the province key verifies it, even from a hub node that signs its answers, and keeps what it had otherwise', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const hub = await hubAt(dataDir, await freePort());
    const publish = await runHubInProcess(['hub-publish', '--data', dataDir, '--list', join(FIXTURES_DIR, 'approved', 'exam-economist-2025.gbk.csv')]);
    expect(publish.code, publish.stderr).toBe(0);
    const ws = await newWorkstation(hub.url, provinceKey, dataDir);
    const listsBefore = await ws.call('lists.list', {});

    // A hub node broken into: it holds the answer key and signs what it alters (one character of
    // a name in the published list), but it has no province key.
    const answerKey = (JSON.parse(readFileSync(join(dataDir, 'hub-key.json'), 'utf8')) as { privateKey: string }).privateKey;
    const tampering = new SyncAgent(ws.services.ctx, {
      client: (settings, answerPublicKey) => createHubClient({
        baseUrl: settings.url, answerPublicKey, workstationId: ws.services.ctx.workstation.id, sign: ws.services.ctx.workstation.sign, now: () => new Date(CLOCK),
        fetchImpl: async (input, init) => {
          const response = await fetch(input, init);
          if (input.pathname !== HUB_PATHS.publications) return response;
          const text = (await response.text()).replace(/"name":"(.)/, '"name":"王');
          const headers = new Headers(response.headers);
          headers.set(ANSWER_SIGNATURE_HEADER, signAnswer(new Uint8Array(Buffer.from(answerKey, 'base64')), { method: 'GET', pathWithQuery: `${input.pathname}${input.search}`, nonce: init.headers['X-Seal-Nonce']! }, response.status, Buffer.from(text)));
          return new Response(text, { status: response.status, headers });
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

describe('answers the workstation believes', () => {
  it('pins the hub\'s answer key the first time, because the province key it already holds vouches for it', async () => {
    const { dataDir, ws } = await hubWithWorkstation();
    expect((await ws.call('settings.get', {})).hub?.answerPublicKey).toBeUndefined();
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ online: true, waiting: 0, problem: null });
    expect((await ws.call('settings.get', {})).hub?.answerPublicKey).toBe(Buffer.from(answerKeyOf(dataDir)).toString('base64'));
    ws.services.close();
  });

  it('refuses a forged "accepted" and a genuine answer replayed for another push: the batch stays in the outbox and the clerk is told', async () => {
    const { dataDir, hub, ws } = await hubWithWorkstation();
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ waiting: 0 });
    await ws.sealDay(1);

    // A man in the middle answers the push himself and never forwards it.
    const forger = generateEd25519KeyPair();
    let captured: { body: string; signature: string } | null = null;
    const manInTheMiddle = (how: 'own key' | 'replay') => new SyncAgent(ws.services.ctx, {
      client: (settings, answerPublicKey) => createHubClient({
        baseUrl: settings.url, answerPublicKey, workstationId: ws.services.ctx.workstation.id, sign: ws.services.ctx.workstation.sign, now: () => new Date(CLOCK),
        fetchImpl: async (input, init) => {
          if (input.pathname !== HUB_PATHS.batches) return fetch(input, init);
          const body = captured?.body ?? JSON.stringify({ status: 'accepted', batchNo: 2, nextBatchNo: 3, nextSeq: 7 });
          const signature = how === 'replay' ? captured!.signature
            : signAnswer(forger.privateKey, { method: 'POST', pathWithQuery: HUB_PATHS.batches, nonce: init.headers['X-Seal-Nonce']! }, 200, Buffer.from(body));
          return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json', [ANSWER_SIGNATURE_HEADER]: signature } });
        },
      }),
    });
    const forged = await manInTheMiddle('own key').syncNow();
    expect(forged).toMatchObject({ waiting: 1, online: false, problem: expect.stringContaining('第 2 批仍在待上报中') });
    expect(forged.problem).toMatch(/没有集中服务器有效签名/);
    expect(await held(dataDir, ws.services.ctx.workstation.id)).toMatchObject({ batches: 1 });

    // A genuine acknowledgement, signed by the hub for an earlier request, played back.
    const genuine = await fetch(new URL(HUB_PATHS.batches, hub.url), { method: 'POST', headers: { ...new TestWorkstationSigner(ws).sign(HUB_PATHS.batches, Buffer.from(JSON.stringify(batchPayload(ws.services.ctx.db, 1)))), 'Content-Type': 'application/json' }, body: JSON.stringify(batchPayload(ws.services.ctx.db, 1)) });
    captured = { body: await genuine.text(), signature: genuine.headers.get(ANSWER_SIGNATURE_HEADER)! };
    expect(JSON.parse(captured.body)).toMatchObject({ status: 'duplicate' });
    expect(await manInTheMiddle('replay').syncNow()).toMatchObject({ waiting: 1, problem: expect.stringContaining('没有集中服务器有效签名') });

    // The real hub, reached directly, takes it.
    expect(await ws.call('sync.now', {})).toMatchObject({ waiting: 0, online: true, problem: null });
    expect(await held(dataDir, ws.services.ctx.workstation.id)).toEqual({ batches: 2, entries: ws.entries() });
    ws.services.close();
  });

  it('sends nothing to a hub whose answer key the province did not sign', async () => {
    const ours = await newHubData();
    const theirs = await newHubData();
    const impostor = await hubAt(theirs.dataDir, await freePort());
    const ws = await newWorkstation(impostor.url, ours.provinceKey, theirs.dataDir);
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ waiting: 1, problem: expect.stringContaining('没有省厅的有效签名') });
    expect(await hubRows(theirs.dataDir, 'SELECT count(*) FROM batches')).toBe(0);
    expect((await ws.call('settings.get', {})).hub?.answerPublicKey).toBeUndefined();
    ws.services.close();
  });

  it('will not send names and ID numbers over plain http to another machine', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const ws = await newWorkstation('http://192.0.2.10:8787', provinceKey, dataDir);
    await ws.sealDay(1);
    expect(await ws.call('sync.now', {})).toMatchObject({ waiting: 1, problem: expect.stringContaining('https://') });
    ws.services.close();
  });

  it('talks TLS to a hub with a certificate of its own, trusting that certificate only when the settings name it', async () => {
    const { dataDir, provinceKey } = await newHubData();
    const certificate = makeTestCertificate(workstationDir('seal-tls-'));
    const port = await freePort();
    const hub = await startHub(dataDir, { SEAL_COUNTER_CLOCK: CLOCK }, `127.0.0.1:${port}`, ['--tls-cert', certificate.certFile, '--tls-key', certificate.keyFile]);
    running.push(hub);
    expect(hub.url).toBe(`https://127.0.0.1:${port}`);
    const trusting = await newWorkstation(hub.url, provinceKey, dataDir, { tlsCertificate: certificate.pem });
    await trusting.sealDay(2);
    expect(await trusting.call('sync.now', {})).toMatchObject({ online: true, waiting: 0, problem: null });
    expect(await held(dataDir, trusting.services.ctx.workstation.id)).toEqual({ batches: 1, entries: trusting.entries() });

    const other = await newWorkstation(hub.url, provinceKey, dataDir);
    await other.sealDay(1);
    expect(await other.call('sync.now', {})).toMatchObject({ online: false, waiting: 1, lastError: expect.stringContaining('证书不受信任') });
    trusting.services.close();
    other.services.close();
  });
});

describe('retrying', () => {
  it('spreads the waits, so that hundreds of workstations do not come back in step', () => {
    // A retry waits between half and all of its back-off; a poll within 20 % of a minute.
    expect(nextDelay('retry', 40_000, 0)).toBe(20_000);
    expect(nextDelay('retry', 40_000, 0.999)).toBeCloseTo(39_980, -2);
    expect(nextDelay('poll', 0, 0)).toBe(48_000);
    expect(nextDelay('poll', 0, 0.999)).toBeCloseTo(71_976, -2);
    const waits = new Set(Array.from({ length: 200 }, () => nextDelay('retry', 5_000, Math.random())));
    expect(waits.size).toBeGreaterThan(100);
  });
});

/** Signs a hand-made request with a workstation's own key, as its client would. */
class TestWorkstationSigner {
  constructor(private readonly ws: Awaited<ReturnType<typeof newWorkstation>>) {}

  sign(path: string, body: Uint8Array): Record<string, string> {
    return signRequest({ workstationId: this.ws.services.ctx.workstation.id, signer: { sign: this.ws.services.ctx.workstation.sign }, method: 'POST', pathWithQuery: path, body, at: new Date(CLOCK) });
  }
}
