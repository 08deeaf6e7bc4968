import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MAX_CLOCK_SKEW_MS,
  REFUSAL_MESSAGES,
  readClaimedSignature,
  requestSignatureValid,
  staleness,
} from '../core/hub/signedRequest';
import type { RefusalReason } from '../core/hub/protocol';
import { hubState, receiveBatch } from './batches';
import { conflictsFor } from './conflicts';
import { HUB_NAME, HUB_PATHS, MAX_BODY_BYTES } from '../core/hub/protocol';
import { latestPublicationsJson } from './publications';
import type { Hub } from './store';
import { activeWorkstation, type EnrolledWorkstation } from './workstations';

/**
 * The hub's HTTP server. Workstations are not trusted because of where they connect from: every
 * call but /v1/health must be signed with an enrolled workstation's key (core/hub/signedRequest.ts),
 * and every refusal is written down (refusals table and stderr) so an administrator can see who
 * knocked and why they were turned away.
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

const consoleLog: HubLog = { info: (line) => console.log(line), warn: (line) => console.error(line) };

class BodyTooLarge extends Error {}

type SignedHandler = (context: { workstation: EnrolledWorkstation; body: Buffer; remoteAddress: string }) => { status: number; json: string };

interface Route {
  method: 'GET' | 'POST';
  handle: SignedHandler | null;
}

// Nonces are kept until a request carrying them would be stale anyway, with a margin for a hub
// clock that moves a little backwards.
const NONCE_KEEP_MS = 2 * MAX_CLOCK_SKEW_MS;
const NONCE_PRUNE_EVERY_MS = 60_000;

export async function startHubServer(hub: Hub, options: { host: string; port: number; log?: HubLog }): Promise<RunningHub> {
  const log = options.log ?? consoleLog;
  const json = (value: unknown) => JSON.stringify(value);

  const routes = new Map<string, Route>([
    [HUB_PATHS.health, { method: 'GET', handle: null }],
    [HUB_PATHS.batches, {
      method: 'POST',
      handle: ({ workstation, body, remoteAddress }) => {
        const outcome = receiveBatch(hub, workstation, body, remoteAddress);
        if (outcome.refusal) logRefusal(workstation.id, remoteAddress, 'POST', HUB_PATHS.batches, outcome.refusal.reason, outcome.refusal.message);
        if (outcome.answer.status === 'accepted') log.info(`${hub.timestamp()} 已接收 ${workstation.id}（${workstation.officeName}）第 ${outcome.answer.batchNo} 批。`);
        return { status: outcome.httpStatus, json: json(outcome.answer) };
      },
    }],
    [HUB_PATHS.state, { method: 'GET', handle: ({ workstation }) => ({ status: 200, json: json(hubState(hub, workstation.id)) }) }],
    [HUB_PATHS.conflicts, { method: 'GET', handle: ({ workstation }) => ({ status: 200, json: json({ conflicts: conflictsFor(hub, workstation.id) }) }) }],
    [HUB_PATHS.publications, { method: 'GET', handle: () => ({ status: 200, json: `{"publications":[${latestPublicationsJson(hub).join(',')}]}` }) }],
  ]);

  const insertRefusal = hub.db.prepare('INSERT INTO refusals (at, workstation_id, remote_address, method, path, reason, message) VALUES (?, ?, ?, ?, ?, ?, ?)');
  function logRefusal(claimedId: string, remoteAddress: string, method: string, path: string, reason: string, message: string): void {
    const at = hub.timestamp();
    insertRefusal.run(at, claimedId, remoteAddress, method, path.slice(0, 500), reason, message);
    log.warn(`${at} 拒绝 ${method} ${path.slice(0, 200)}（来自 ${remoteAddress || '未知地址'}，自称工作站 ${claimedId || '（未提供）'}）：${reason}，${message}`);
  }

  const recordNonce = hub.db.prepare('INSERT OR IGNORE INTO nonces (workstation_id, nonce, timestamp_ms) VALUES (?, ?, ?)');
  const pruneNonces = hub.db.prepare('DELETE FROM nonces WHERE timestamp_ms < ?');
  let lastPrune = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? '';
    const pathWithQuery = request.url ?? '/';
    let pathname: string;
    try {
      pathname = new URL(pathWithQuery, 'http://hub.invalid').pathname;
    } catch {
      return send(response, 404, json({ status: 'not-found', message: '请求地址无效。' }));
    }
    const remoteAddress = request.socket.remoteAddress ?? '';
    const route = routes.get(pathname);
    if (!route) return send(response, 404, json({ status: 'not-found', message: `集中服务器没有“${pathname.slice(0, 200)}”这个接口。` }));
    if (method !== route.method) {
      response.setHeader('Allow', route.method);
      return send(response, 405, json({ status: 'method-not-allowed', message: `接口 ${pathname} 只接受 ${route.method} 请求。` }));
    }
    if (!route.handle) return send(response, 200, json({ ok: true, hub: HUB_NAME }));

    // The checks that need no body come first, so an unknown sender cannot make the hub read 64 MB.
    const refuse = (claimedId: string, reason: RefusalReason, message: string, bodyRead: boolean) => {
      logRefusal(claimedId, remoteAddress, method, pathWithQuery, reason, message);
      if (!bodyRead) response.setHeader('Connection', 'close');
      send(response, 401, json({ status: 'refused', reason, message }));
    };
    const claimed = readClaimedSignature(request.headers);
    if (!claimed.ok) return refuse(claimed.claimedWorkstationId, claimed.reason, claimed.message, false);
    const { claim } = claimed;
    const workstation = activeWorkstation(hub, claim.workstationId);
    if (!workstation) return refuse(claim.workstationId, 'unenrolled', REFUSAL_MESSAGES.unenrolled, false);
    const now = hub.now();
    const stale = staleness(claim, now);
    if (stale) return refuse(claim.workstationId, 'stale', `${stale.message}（请求时间 ${claim.timestamp}，集中服务器时间 ${hub.timestamp()}）`, false);

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      response.setHeader('Connection', 'close');
      return send(response, 413, json({ status: 'too-large', message: `请求超过 ${MAX_BODY_BYTES / 1024 / 1024} MB，集中服务器不予接收。请分成较小的批次上传。` }));
    }
    if (!requestSignatureValid(claim, workstation.publicKey, { method, pathWithQuery, body })) {
      return refuse(claim.workstationId, 'bad-signature', REFUSAL_MESSAGES['bad-signature'], true);
    }
    // Recorded only once the signature verified: nobody else can spend a workstation's nonces.
    if (recordNonce.run(workstation.id, claim.nonce, claim.timestampMs).changes === 0) {
      return refuse(claim.workstationId, 'replay', REFUSAL_MESSAGES.replay, true);
    }
    if (now.getTime() - lastPrune > NONCE_PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      pruneNonces.run(now.getTime() - NONCE_KEEP_MS);
    }
    const { status, json: answer } = route.handle({ workstation, body, remoteAddress });
    send(response, status, answer);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.warn(`${hub.timestamp()} 内部错误：${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!response.headersSent) send(response, 500, json({ status: 'error', message: '集中服务器内部错误，请稍后重试；如持续出现请联系省厅管理员。' }));
      else response.destroy();
    });
  });
  // A workstation on a slow line may take a while to send a large batch, but not forever.
  server.requestTimeout = 5 * 60_000;

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
    url: `http://${hostInUrl}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // A request under way is one synchronous transaction once its body is in; give a slow
      // upload a moment, then cut it (the workstation will resend).
      setTimeout(() => server.closeAllConnections(), 2_000).unref();
    }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, json: string): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(json);
}
