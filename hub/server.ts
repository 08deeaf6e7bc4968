import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ANSWER_SIGNATURE_HEADER, signAnswer } from '../core/hub/answer';
import { HUB_NAME, HUB_PATHS, type RefusalReason } from '../core/hub/protocol';
import {
  bodyMatchesClaim,
  MAX_CLOCK_SKEW_MS,
  REFUSAL_MESSAGES,
  readClaimedSignature,
  requestSignatureValid,
  SEAL_HEADERS,
  staleness,
} from '../core/hub/signedRequest';
import type { PublicationKind } from '../core/hub/publication';
import type { Ed25519KeyPair } from '../core/register/signing';
import { hubState, receiveBatch, spendNonce } from './batches';
import { checkPendingConflicts, conflictsFor, conflictsTag } from './conflicts';
import { clientAddress, ConnectionCounter, DEFAULT_LIMITS, normaliseAddress, RateLimiter, type HubLimits } from './limits';
import { latestPublicationsJson, publicationsTag, publicationVersions } from './publications';
import { RefusalLog } from './refusals';
import type { Hub } from './store';
import { activeWorkstation, type EnrolledWorkstation } from './workstations';

/**
 * The hub's HTTP(S) server. Workstations are not trusted because of where they connect from:
 * every call but /v1/health and /v1/hub-key must be signed with an enrolled workstation's key
 * (core/hub/signedRequest.ts); every answer is signed with the hub's answer key (core/hub/answer.ts);
 * every refusal is counted (hub/refusals.ts). Nothing that costs work is done before the limits
 * (hub/limits.ts) and the signature over the headers have been checked.
 */
export interface RunningHub {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface HubLog {
  info(line: string): void;
  warn(line: string): void;
}

export interface ServerOptions {
  host: string;
  port: number;
  /** PEM certificate chain and key: the node speaks HTTPS. Without them, TLS is the proxy's job. */
  tls?: { cert: Buffer; key: Buffer };
  /** Peers whose X-Forwarded-For is believed (the reverse proxy's addresses). */
  trustProxy?: readonly string[];
  limits?: Partial<HubLimits>;
  log?: HubLog;
}

const consoleLog: HubLog = { info: (line) => console.log(line), warn: (line) => console.error(line) };

class BodyTooLarge extends Error {}

interface Context {
  workstation: EnrolledWorkstation;
  body: Buffer;
  remoteAddress: string;
  nonce: { nonce: string; timestampMs: number };
  ifNoneMatch: string | undefined;
  query: URLSearchParams;
}

/** What a handler answers: a status, a JSON body (absent for 304) and headers such as ETag. */
interface Answer {
  status: number;
  json: string;
  headers?: Record<string, string>;
  refusal?: { reason: string; message: string };
}

interface Route {
  method: 'GET' | 'POST';
  handle: ((context: Context) => Promise<Answer>) | 'health' | 'hub-key';
}

// Nonces are kept until a request carrying them would be stale anyway, with a margin for a hub
// clock that moves a little backwards.
const NONCE_KEEP_MS = 2 * MAX_CLOCK_SKEW_MS;
const NONCE_PRUNE_EVERY_MS = 60_000;
const NONCE_PATTERN = /^[0-9a-f]{32}$/;

export async function startHubServer(hub: Hub, answerKey: Ed25519KeyPair, options: ServerOptions): Promise<RunningHub> {
  const log = options.log ?? consoleLog;
  const limits: HubLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const trusted = new Set((options.trustProxy ?? []).map(normaliseAddress));
  const rate = new RateLimiter(limits.ratePerSecond, limits.rateBurst);
  const connections = new ConnectionCounter();
  const refusals = new RefusalLog(hub.db, () => hub.now(), () => hub.timestamp(), (line) => log.warn(line), limits.refusalRetentionDays);
  const json = (value: unknown) => JSON.stringify(value);

  const routes = new Map<string, Route>([
    [HUB_PATHS.health, { method: 'GET', handle: 'health' }],
    [HUB_PATHS.hubKey, { method: 'GET', handle: 'hub-key' }],
    [HUB_PATHS.batches, {
      method: 'POST',
      handle: async ({ workstation, body, remoteAddress, nonce }) => {
        const outcome = await receiveBatch(hub, workstation, body, remoteAddress, nonce);
        if (outcome === 'replay' || outcome === 'unenrolled') return refusal(outcome, REFUSAL_MESSAGES[outcome]);
        if (outcome.answer.status === 'accepted') log.info(`${hub.timestamp()} 已接收 ${workstation.id}（${workstation.officeName}）第 ${outcome.answer.batchNo} 批。`);
        return { status: outcome.httpStatus, json: json(outcome.answer), ...(outcome.refusal ? { refusal: outcome.refusal } : {}) };
      },
    }],
    [HUB_PATHS.state, { method: 'GET', handle: async ({ workstation }) => ({ status: 200, json: json(await hubState(hub.db, workstation.id)) }) }],
    [HUB_PATHS.conflicts, {
      method: 'GET',
      handle: async ({ workstation, ifNoneMatch }) => {
        const tag = await conflictsTag(hub.db, workstation.id);
        if (ifNoneMatch === tag) return { status: 304, json: '', headers: { ETag: tag } };
        return { status: 200, json: json({ conflicts: await conflictsFor(hub.db, workstation.id) }), headers: { ETag: tag } };
      },
    }],
    [HUB_PATHS.publications, {
      method: 'GET',
      handle: async ({ query, ifNoneMatch }) => {
        const versions = await publicationVersions(hub.db);
        const tag = publicationsTag(versions);
        // ?approved-lists=3&slips=2: the versions the workstation holds; only newer ones are sent.
        const have: Partial<Record<PublicationKind, number>> = {};
        for (const kind of ['approved-lists', 'slips'] as const) {
          const held = Number(query.get(kind));
          if (Number.isInteger(held) && held > 0) have[kind] = held;
        }
        const newer = await latestPublicationsJson(hub.db, have);
        if (ifNoneMatch === tag || (newer.length === 0 && Object.keys(have).length > 0)) return { status: 304, json: '', headers: { ETag: tag } };
        return { status: 200, json: `{"publications":[${newer.join(',')}]}`, headers: { ETag: tag } };
      },
    }],
  ]);

  function refusal(reason: RefusalReason, message: string): Answer {
    return { status: 401, json: json({ status: 'refused', reason, message }), refusal: { reason, message } };
  }

  // Comparisons a node killed half way left undone: at start, then every minute.
  const sweepConflicts = () => checkPendingConflicts(hub.db, hub.timestamp()).catch((problem: unknown) => log.warn(`${hub.timestamp()} 冲突检查未完成：${(problem as Error).message}`));
  await sweepConflicts();
  const conflictSweep = setInterval(() => { void sweepConflicts(); }, 60_000);
  conflictSweep.unref();

  let lastNoncePrune = 0;
  async function pruneNonces(nowMs: number): Promise<void> {
    if (nowMs - lastNoncePrune < NONCE_PRUNE_EVERY_MS) return;
    lastNoncePrune = nowMs;
    await hub.db.query('DELETE FROM nonces WHERE timestamp_ms < $1', [nowMs - NONCE_KEEP_MS]);
  }

  /** Sends an answer signed for this request (its method, path with query and nonce). */
  function send(request: IncomingMessage, response: ServerResponse, answer: Answer): void {
    const nonceHeader = request.headers[SEAL_HEADERS.nonce];
    const nonce = typeof nonceHeader === 'string' && NONCE_PATTERN.test(nonceHeader) ? nonceHeader : '';
    const body = Buffer.from(answer.json, 'utf8');
    const signature = signAnswer(answerKey.privateKey, { method: request.method ?? '', pathWithQuery: request.url ?? '/', nonce }, answer.status, body);
    response.writeHead(answer.status, {
      ...(answer.status === 304 ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
      'Cache-Control': 'no-store',
      [ANSWER_SIGNATURE_HEADER]: signature,
      ...answer.headers,
    }).end(answer.status === 304 ? undefined : body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? '';
    const pathWithQuery = request.url ?? '/';
    const peer = normaliseAddress(request.socket.remoteAddress);
    const remoteAddress = clientAddress(peer, request.headers['x-forwarded-for'], trusted);
    const answer = (a: Answer) => send(request, response, a);
    const error = (status: number, kind: string, message: string, headers?: Record<string, string>) => answer({ status, json: json({ status: kind, message }), ...(headers ? { headers } : {}) });
    const refuse = async (claimedId: string, reason: string, message: string, status = 401, extra?: Partial<Answer>) => {
      await refusals.record({ remoteAddress, reason, workstationId: claimedId, method, path: pathWithQuery, message });
      // Whatever body is still coming is not read: the connection goes.
      response.setHeader('Connection', 'close');
      answer({ status, json: json(status === 401 ? { status: 'refused', reason, message } : { status: reason, message }), ...extra });
    };

    const retryAfter = rate.take(remoteAddress, Date.now());
    if (retryAfter > 0) {
      return refuse('', 'rate-limited', `请求过于频繁（每个地址每秒最多 ${limits.ratePerSecond} 次），请 ${retryAfter} 秒后重试。`, 429, { headers: { 'Retry-After': String(retryAfter) } });
    }
    let url: URL;
    try {
      url = new URL(pathWithQuery, 'http://hub.invalid');
    } catch {
      return error(404, 'not-found', '请求地址无效。');
    }
    const route = routes.get(url.pathname);
    if (!route) return error(404, 'not-found', `集中服务器没有“${url.pathname.slice(0, 200)}”这个接口。`);
    if (method !== route.method) return error(405, 'method-not-allowed', `接口 ${url.pathname} 只接受 ${route.method} 请求。`, { Allow: route.method });
    const declared = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length']);
    if (method === 'GET' && ((declared !== null && declared > 0) || request.headers['transfer-encoding'] !== undefined)) {
      response.setHeader('Connection', 'close');
      return error(400, 'bad-request', `GET 请求不应带有请求体（${url.pathname}）。`);
    }
    if (declared !== null && declared > limits.maxBodyBytes) return tooLarge(response, request);
    if (route.handle === 'health') return answer({ status: 200, json: json({ ok: true, hub: HUB_NAME }) });
    if (route.handle === 'hub-key') return answer({ status: 200, json: json({ hubKey: hub.hubKey }) });

    // Everything that needs no body comes first, so a stranger cannot make the hub read one.
    const claimed = readClaimedSignature(request.headers);
    if (!claimed.ok) return refuse(claimed.claimedWorkstationId, claimed.reason, claimed.message);
    const { claim } = claimed;
    const workstation = await activeWorkstation(hub.db, claim.workstationId);
    if (!workstation) return refuse(claim.workstationId, 'unenrolled', REFUSAL_MESSAGES.unenrolled);
    const now = hub.now();
    const stale = staleness(claim, now);
    if (stale) return refuse(claim.workstationId, 'stale', `${stale.message}（请求时间 ${claim.timestamp}，集中服务器时间 ${hub.timestamp()}）`);
    if (!requestSignatureValid(claim, workstation.publicKey, { method, pathWithQuery })) return refuse(claim.workstationId, 'bad-signature', REFUSAL_MESSAGES['bad-signature']);
    const nonce = { nonce: claim.nonce, timestampMs: claim.timestampMs };
    if (method === 'GET') {
      // Recorded only once the signature verified: nobody else can spend a workstation's nonces.
      if (!(await spendNonce(hub.db, workstation.id, nonce))) return refuse(claim.workstationId, 'replay', REFUSAL_MESSAGES.replay);
    } else if (await hub.db.one('SELECT 1 FROM nonces WHERE workstation_id = $1 AND nonce = $2', [workstation.id, claim.nonce])) {
      // A push's nonce is spent with the batch (receiveBatch); a replay is turned away before its body.
      return refuse(claim.workstationId, 'replay', REFUSAL_MESSAGES.replay);
    }
    void pruneNonces(now.getTime()).catch(() => {});

    let body: Buffer;
    try {
      body = await readBody(request, limits.maxBodyBytes);
    } catch (problem) {
      if (problem instanceof BodyTooLarge) return tooLarge(response, request);
      throw problem;
    }
    if (!bodyMatchesClaim(claim, body)) return refuse(claim.workstationId, 'bad-signature', REFUSAL_MESSAGES['bad-signature']);
    const handled = await route.handle({ workstation, body, remoteAddress, nonce, ifNoneMatch: headerValue(request, 'if-none-match'), query: url.searchParams });
    if (handled.refusal) await refusals.record({ remoteAddress, reason: handled.refusal.reason, workstationId: workstation.id, method, path: pathWithQuery, message: handled.refusal.message });
    answer(handled);
  }

  function tooLarge(response: ServerResponse, request: IncomingMessage): void {
    response.setHeader('Connection', 'close');
    send(request, response, { status: 413, json: json({ status: 'too-large', message: `请求超过 ${limits.maxBodyBytes / 1024 / 1024} MB，集中服务器不予接收。请分成较小的批次上传。` }) });
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((problem: unknown) => {
      log.warn(`${hub.timestamp()} 内部错误：${problem instanceof Error ? problem.stack ?? problem.message : String(problem)}`);
      if (!response.headersSent) send(request, response, { status: 500, json: json({ status: 'error', message: '集中服务器内部错误，请稍后重试；如持续出现请联系省厅管理员。' }) });
      else response.destroy();
    });
  };
  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    // How often Node looks for requests past their time-outs (30 s by default, too coarse for a header time-out of seconds).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
  };
  const server: Server = options.tls
    ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, listener)
    : createHttpServer(serverOptions, listener);
  server.maxConnections = limits.maxConnections;
  server.timeout = limits.idleTimeoutMs;
  server.on('connection', (socket: Socket) => {
    const address = normaliseAddress(socket.remoteAddress);
    if (trusted.has(address)) return;
    if (!connections.add(address, limits.connectionsPerAddress)) {
      void refusals.record({ remoteAddress: address, reason: 'too-many-connections', workstationId: '', method: '-', path: '-', message: `同一地址同时打开的连接超过 ${limits.connectionsPerAddress} 个。` }).catch(() => {});
      socket.destroy();
      return;
    }
    socket.once('close', () => connections.remove(address));
  });
  // A TLS handshake that fails (a client that does not trust the certificate) is the client's business.
  server.on('tlsClientError', (_error: Error, socket: Socket) => { socket.destroy(); });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${hostInUrl}:${address.port}`,
    host: address.address,
    port: address.port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A request under way is one transaction once its body is in; give a slow upload a
        // moment, then cut it (the workstation will resend).
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      clearInterval(conflictSweep);
      await refusals.close();
    },
  };
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
