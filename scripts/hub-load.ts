/**
 * The hub load test (issue 17): a province's day, compressed. Two hundred enrolled workstations
 * each push a year of counter days (about 150 batches of 20–200 entries) in parallel bounded
 * loops to two hub nodes behind nginx, on one PostgreSQL; one node is SIGKILLed half way and
 * started again; duplicates and out-of-order deliveries are mixed in, and about 5% of requests
 * are forged or replayed. Afterwards every workstation's chain at the hub must equal its own,
 * nothing lost or doubled, and every forgery refused, counted on both sides; otherwise the exit
 * code is 1. Traffic only on 127.0.0.1 (the workstations spread over 127.0.x.y).
 *
 *   node --import tsx scripts/hub-load.ts                       the full run, JSON on stdout
 *   node --import tsx scripts/hub-load.ts --workstations 12 --days 6    a short one (the tests)
 *   … --mode store                                             the same batches straight into the store (the bench baseline)
 *
 * `npm run bench` runs it as the figure hub-load (scripts/bench/hubLoad.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ANSWER_SIGNATURE_HEADER } from '../core/hub/answer';
import { HUB_PATHS } from '../core/hub/protocol';
import { signRequest } from '../core/hub/signedRequest';
import type { BatchPayload } from '../core/register/batch';
import { generateEd25519KeyPair } from '../core/register/signing';
import { receiveBatch } from '../hub/batches';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../hub/postgres/embedded';
import { runNginx, type RunningProxy } from '../hub/proxy';
import { locateHub, openHub, operatorOf, type Hub } from '../hub/store';
import { activeWorkstation, enrolWorkstation } from '../hub/workstations';
import { createHubClient, type HubClient, type PushResult } from '../services/sync/hubClient';
import { transportFor } from '../services/sync/transport';
import { seededRandom, SimulatedWorkstation } from './hub-load/simulated';

export interface LoadOptions {
  workstations: number;
  days: number;
  minEntries: number;
  maxEntries: number;
  /** Requests in flight at once, over all workstations. */
  concurrency: number;
  /** Share of counter days that also send a forged or replayed request. */
  forgedShare: number;
  killNode: boolean;
  mode: 'proxy' | 'store';
  seed: number;
  log: (line: string) => void;
}

export interface LoadReport {
  mode: LoadOptions['mode'];
  workstations: number;
  days: number;
  batches: number;
  entries: number;
  pushSeconds: number;
  batchesPerSecond: number;
  entriesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  requests: number;
  retries: number;
  duplicatesSent: number;
  outOfOrderSent: number;
  forged: { sent: number; refusedAtClient: number; refusedAtHub: number; byKind: Record<string, number> };
  nodeKilled: { atBatch: number; downMs: number } | null;
  peakRssMb: Record<string, number>;
  databaseMb: number;
  problems: string[];
}

const REPO_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO_DIR, 'cli', 'main.ts');
const PROXY_ADDRESS = '127.0.0.2';
const FORGERY_REASONS = ['content', 'bad-signature', 'replay'] as const;

/** A port nothing listens on now, for a node that must come back on the same one. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((closed) => probe.close(closed));
  return port;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** At most `limit` of the wrapped calls at once. */
function semaphore(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    while (active >= limit) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

interface NodeProcess {
  label: string;
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
}

/** A hub node, started as an operator would, as its own node process (so SIGKILL hits the node itself). */
async function startNode(label: string, dataDir: string, port: number): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'hub', '--data', dataDir, '--listen', `127.0.0.1:${port}`, '--trust-proxy', PROXY_ADDRESS], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err = (err + chunk).slice(-4000); });
  let early = (_code: number | null) => {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${label} did not start: ${err}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('监听地址')) { clearTimeout(timer); resolve(); }
    });
    early = (code) => { clearTimeout(timer); reject(new Error(`node ${label} exited with ${code}: ${err}`)); };
    child.once('exit', early);
  });
  child.off('exit', early);
  return { label, port, child, exited };
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

/** Aborted by SIGINT/SIGTERM when run from the command line. */
let stopSignal: AbortSignal | null = null;

export async function runHubLoad(options: LoadOptions): Promise<LoadReport> {
  const random = seededRandom(options.seed);
  const base = mkdtempSync(join(tmpdir(), 'seal-hub-load-'));
  // The hub's own PostgreSQL runs as postgres when this runs as root: it must pass through.
  chmodSync(base, 0o711);
  const problems: string[] = [];
  let server: EmbeddedPostgres | null = null;
  const nodes = new Map<string, NodeProcess>();
  let proxy: RunningProxy | null = null;
  let storeHub: Hub | null = null;
  const peakRssMb: Record<string, number> = {};
  const sampler = setInterval(() => {
    for (const node of nodes.values()) peakRssMb[node.label] = Math.max(peakRssMb[node.label] ?? 0, rssMb(node.child.pid));
  }, 250);
  try {
    server = await startEmbeddedPostgres({ clusterDir: join(base, 'postgres'), passwordFile: join(base, 'postgres-password'), watch: 'stdin', ifRunning: 'own' });
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ ...server.connection, database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE hub');
    await admin.end();
    const databaseUrl = server.url('hub');

    // The hub, initialised and every workstation enrolled, as the administrator would.
    const nodeA = join(base, 'node-a');
    const stations = Array.from({ length: options.workstations }, (_, i) => new SimulatedWorkstation(i + 1, `第 ${i + 1} 号签章窗口`, random));
    const setup = await openHub(locateHub({ data: nodeA, 'database-url': databaseUrl }, {}, 'hub-load'), { role: 'admin', create: true, now: () => new Date() });
    const operator = operatorOf('负载测试');
    for (const ws of stations) await enrolWorkstation(setup, ws.keyFile(setup.timestamp()), { reinstate: false, operator });
    const answerPublicKey = new Uint8Array(Buffer.from(setup.hubKey.publicKey, 'base64'));
    if (options.mode === 'store') storeHub = setup;
    else await setup.close();

    let push: (ws: SimulatedWorkstation, payload: BatchPayload) => Promise<PushResult>;
    let killNode: ((killed: () => void) => Promise<{ downMs: number }>) | null = null;
    const clients = new Map<string, HubClient>();
    let proxyUrl = '';
    if (options.mode === 'proxy') {
      const nodeB = join(base, 'node-b');
      mkdirSync(nodeB);
      for (const file of ['hub.json', 'hub-key.json']) cpSync(join(nodeA, file), join(nodeB, file));
      const ports = { a: await freePort(), b: await freePort() };
      const [a, b] = await Promise.all([startNode('node-a', nodeA, ports.a), startNode('node-b', nodeB, ports.b)]);
      nodes.set('node-a', a);
      nodes.set('node-b', b);
      proxy = await runNginx({ listen: `127.0.0.1:${await freePort()}`, nodes: [`127.0.0.1:${ports.a}`, `127.0.0.1:${ports.b}`], bindAddress: PROXY_ADDRESS, prefix: join(base, 'nginx') });
      proxyUrl = proxy.url;
      for (const ws of stations) {
        clients.set(ws.id, createHubClient({
          baseUrl: proxyUrl, answerPublicKey, workstationId: ws.id, privateKey: ws.keys.privateKey, now: () => new Date(), timeoutMs: 120_000,
          localAddress: `127.0.${1 + Math.floor(ws.index / 250)}.${1 + (ws.index % 250)}`,
        }));
      }
      push = (ws, payload) => clients.get(ws.id)!.pushBatch(payload);
      killNode = async (killed) => {
        const victim = nodes.get('node-a')!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        killed();
        const down = performance.now();
        await sleep(1_000);
        nodes.set('node-a', await startNode('node-a', nodeA, ports.a));
        return { downMs: Math.round(performance.now() - down) };
      };
    } else {
      const hub = storeHub!;
      let nonce = 0;
      push = async (ws, payload) => {
        const sender = (await activeWorkstation(hub.db, ws.id))!;
        const outcome = await receiveBatch(hub, sender, Buffer.from(JSON.stringify(payload)), '127.0.0.1', { nonce: (++nonce).toString(16).padStart(32, '0'), timestampMs: Date.now() });
        if (typeof outcome === 'string') return { kind: 'refused', reason: outcome, message: outcome };
        const { status, ...rest } = outcome.answer;
        return { kind: status, ...rest } as PushResult;
      };
    }

    const limit = semaphore(options.concurrency);
    const latencies: number[] = [];
    let requests = 0;
    let retries = 0;
    let accepted = 0;
    let duplicatesSent = 0;
    let outOfOrderSent = 0;
    const forged = { sent: 0, refusedAtClient: 0, byKind: {} as Record<string, number> };
    const totalBatches = options.workstations * options.days;
    let nodeKilled: LoadReport['nodeKilled'] = null;
    /** The kill under way (a field, not a variable: it is set inside the loops' callbacks). */
    const pendingKill: { done: Promise<void> | null } = { done: null };
    let forgeriesPaused = false;

    const timed = async (ws: SimulatedWorkstation, payload: BatchPayload): Promise<PushResult> => limit(async () => {
      requests++;
      const started = performance.now();
      const result = await push(ws, payload);
      latencies.push(performance.now() - started);
      return result;
    });
    /** Pushes until the hub answers with something other than "try again". */
    const deliver = async (ws: SimulatedWorkstation, payload: BatchPayload): Promise<PushResult> => {
      for (let attempt = 0; ; attempt++) {
        if (stopSignal?.aborted) throw new Error('interrupted');
        const result = await timed(ws, payload);
        if (!['offline', 'unexpected', 'forged'].includes(result.kind)) return result;
        if (attempt > 200) throw new Error(`${ws.id} batch ${payload.batch.batchNo}: still ${result.kind} after 200 attempts: ${'message' in result ? result.message : ''}`);
        retries++;
        await sleep(100 + random() * 400);
      }
    };
    const expect = (ws: SimulatedWorkstation, what: string, result: PushResult, kinds: readonly string[]) => {
      if (!kinds.includes(result.kind)) problems.push(`${ws.id}: ${what} 得到 ${result.kind}${'message' in result ? `：${result.message}` : ''}`);
    };
    const afterAccepted = () => {
      accepted++;
      if (killNode && !pendingKill.done && accepted >= totalBatches * 0.4) {
        // Forgeries pause around the kill: a killed node loses the refusals it had counted in
        // memory in the last second, and the check below counts every forgery on both sides.
        forgeriesPaused = true;
        const kill = killNode;
        pendingKill.done = (async () => {
          // Longer than the refusal log's flush interval (1 s).
          await sleep(1_200);
          let atBatch = 0;
          const { downMs } = await kill(() => { atBatch = accepted; });
          nodeKilled = { atBatch, downMs };
          options.log(`已 SIGKILL 节点 node-a（已接收 ${atBatch} 批时），${downMs} ms 后重新启动。`);
          forgeriesPaused = false;
        })();
      }
    };

    /** One forged or replayed request in the name of `ws`; true when the hub refused it. */
    const forge = async (ws: SimulatedWorkstation, sent: BatchPayload): Promise<void> => {
      const kind = (['content', 'impostor', 'replay'] as const)[Math.floor(random() * 3)]!;
      forged.sent++;
      forged.byKind[kind] = (forged.byKind[kind] ?? 0) + 1;
      let refused: boolean;
      if (kind === 'content') {
        const tampered = structuredClone(sent);
        tampered.entries[0]!.unit += '（改）';
        const result = await deliver(ws, tampered);
        refused = result.kind === 'rejected' && result.reason === 'content';
      } else if (kind === 'impostor') {
        const impostor = options.mode === 'proxy'
          ? createHubClient({ baseUrl: proxyUrl, answerPublicKey, workstationId: ws.id, privateKey: generateEd25519KeyPair().privateKey, now: () => new Date(), localAddress: '127.0.200.1' })
          : null;
        const result = impostor ? await limit(() => impostor.state()) : { kind: 'refused' as const, reason: 'bad-signature' as const };
        refused = result.kind === 'refused' && 'reason' in result && result.reason === 'bad-signature';
      } else {
        // The same signed push twice, word for word: the second is a replay.
        if (options.mode !== 'proxy') {
          refused = true;
        } else {
          const body = Buffer.from(JSON.stringify(sent));
          const headers = { ...signRequest({ workstationId: ws.id, signer: { privateKey: ws.keys.privateKey }, method: 'POST', pathWithQuery: HUB_PATHS.batches, body, at: new Date() }), 'Content-Type': 'application/json' };
          const send = transportFor({ localAddress: `127.0.${1 + Math.floor(ws.index / 250)}.${1 + (ws.index % 250)}` });
          const url = new URL(HUB_PATHS.batches, proxyUrl);
          const first = await limit(() => send(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) }));
          if (first.status === 200) duplicatesSent++;
          const second = await limit(() => send(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) }));
          const answer = (await second.json()) as { reason?: string };
          refused = second.status === 401 && answer.reason === 'replay' && second.headers.get(ANSWER_SIGNATURE_HEADER) !== null;
        }
      }
      if (refused) forged.refusedAtClient++;
      else problems.push(`${ws.id}：伪造请求（${kind}）未被拒绝。`);
    };

    const started = performance.now();
    await Promise.all(stations.map(async (ws) => {
      for (let day = 1; day <= options.days; day++) {
        const size = () => options.minEntries + Math.floor(random() * (options.maxEntries - options.minEntries + 1));
        const payload = ws.closeDay(day, size());
        if (day < options.days && random() < 0.03) {
          // The next day arrives first: the hub asks for this one, then takes both in order.
          const next = ws.closeDay(++day, size());
          outOfOrderSent++;
          expect(ws, `第 ${next.batch.batchNo} 批（先到）`, await deliver(ws, next), ['gap']);
          expect(ws, `第 ${payload.batch.batchNo} 批`, await deliver(ws, payload), ['accepted', 'duplicate']);
          afterAccepted();
          expect(ws, `第 ${next.batch.batchNo} 批`, await deliver(ws, next), ['accepted', 'duplicate']);
          afterAccepted();
          continue;
        }
        expect(ws, `第 ${payload.batch.batchNo} 批`, await deliver(ws, payload), ['accepted', 'duplicate']);
        afterAccepted();
        if (random() < 0.03) {
          duplicatesSent++;
          expect(ws, `第 ${payload.batch.batchNo} 批（重发）`, await deliver(ws, payload), ['duplicate']);
        }
        if (!forgeriesPaused && random() < options.forgedShare) await forge(ws, payload);
      }
    }));
    await pendingKill.done;
    const pushSeconds = (performance.now() - started) / 1000;

    // Nodes stop cleanly (their last refusal counts written) before the database is read.
    for (const node of nodes.values()) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    nodes.clear();
    const check = new pg.Client({ connectionString: databaseUrl });
    await check.connect();
    const held = new Map((await check.query<{ id: string; batches: number; last_seq: number; last_hash: string }>(`SELECT workstation_id AS id, count(*)::int AS batches, max(last_seq) AS last_seq,
      (array_agg(last_hash ORDER BY batch_no DESC))[1] AS last_hash FROM batches GROUP BY workstation_id`)).rows.map((r) => [r.id, r]));
    const entries = new Map((await check.query<{ id: string; n: number; distinct_seq: number; top: number }>(`SELECT workstation_id AS id, count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, max(seq) AS top
      FROM entries GROUP BY workstation_id`)).rows.map((r) => [r.id, r]));
    for (const ws of stations) {
      const h = held.get(ws.id);
      const e = entries.get(ws.id);
      if (!h || h.batches !== ws.batchNo || h.last_seq !== ws.seq || h.last_hash !== ws.lastHash) problems.push(`${ws.id}：集中服务器的登记链（${h?.batches ?? 0} 批，至第 ${h?.last_seq ?? 0} 号）与工作站的（${ws.batchNo} 批，至第 ${ws.seq} 号）不一致。`);
      if (!e || e.n !== ws.entries || e.distinct_seq !== e.n || e.top !== ws.seq) problems.push(`${ws.id}：登记条数 ${e?.n ?? 0}（不同序号 ${e?.distinct_seq ?? 0}），工作站为 ${ws.entries}：有丢失或重复。`);
    }
    const refusedAtHub = options.mode === 'proxy'
      ? Number((await check.query<{ n: string }>('SELECT coalesce(sum(count), 0) AS n FROM refusal_counts WHERE reason = ANY($1)', [FORGERY_REASONS])).rows[0]!.n)
      : forged.sent;
    if (forged.refusedAtClient !== forged.sent) problems.push(`伪造请求 ${forged.sent} 个，工作站一侧只看到 ${forged.refusedAtClient} 个被拒绝。`);
    if (refusedAtHub !== forged.sent) problems.push(`伪造请求 ${forged.sent} 个，集中服务器记录的拒绝为 ${refusedAtHub} 个。`);
    const databaseMb = Math.round(Number((await check.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size')).rows[0]!.size) / 1048576);
    await check.end();

    const sorted = [...latencies].sort((x, y) => x - y);
    const totalEntries = stations.reduce((n, ws) => n + ws.entries, 0);
    const totalBatchCount = stations.reduce((n, ws) => n + ws.batchNo, 0);
    return {
      mode: options.mode,
      workstations: options.workstations,
      days: options.days,
      batches: totalBatchCount,
      entries: totalEntries,
      pushSeconds: Math.round(pushSeconds * 10) / 10,
      batchesPerSecond: Math.round(totalBatchCount / pushSeconds),
      entriesPerSecond: Math.round(totalEntries / pushSeconds),
      latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100) },
      requests,
      retries,
      duplicatesSent,
      outOfOrderSent,
      forged: { ...forged, refusedAtHub },
      nodeKilled,
      peakRssMb,
      databaseMb,
      problems,
    };
  } finally {
    clearInterval(sampler);
    for (const node of nodes.values()) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    await proxy?.stop();
    await storeHub?.close();
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workstations: { type: 'string', default: '200' },
      days: { type: 'string', default: '150' },
      'min-entries': { type: 'string', default: '20' },
      'max-entries': { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '32' },
      forged: { type: 'string', default: '0.05' },
      'no-kill': { type: 'boolean', default: false },
      mode: { type: 'string', default: 'proxy' },
      seed: { type: 'string', default: '17' },
    },
  });
  const report = await runHubLoad({
    workstations: Number(values.workstations), days: Number(values.days), minEntries: Number(values['min-entries']), maxEntries: Number(values['max-entries']),
    concurrency: Number(values.concurrency), forgedShare: Number(values.forged), killNode: !values['no-kill'], mode: values.mode === 'store' ? 'store' : 'proxy', seed: Number(values.seed),
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(report, null, 2));
  for (const problem of report.problems.slice(0, 20)) console.error(problem);
  return report.problems.length === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Ctrl+C or a test runner's SIGTERM: unwind, so that the nodes and nginx stop too (the
  // PostgreSQL stops by itself whatever happens, through its guardian).
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  stopSignal = controller.signal;
  main().then((code) => process.exit(code), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
