import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { dispatch, type Backend } from '../services/dispatch';
import { CONTENT_TYPES, SECURITY_HEADERS, staticFilePath } from './securityHeaders';

/**
 * The loopback host: the same contract as Electron's IPC, over HTTP on 127.0.0.1. Every program
 * and web page on this machine can reach the port, so:
 *
 * - The launcher gets a one-time code (`issueLaunchUrl`) and opens the app window with it; the
 *   host exchanges the code, once, for a session cookie (HttpOnly: no script reads it;
 *   SameSite=Strict: no other site's page sends it) and redirects to the bare address. The
 *   session secret itself is never on a command line, printed or in a URL. A second window
 *   opened with the same address gets no cookie: it must sign in with a password, and doing so
 *   moves the session to it (one window, one counter).
 * - Without the cookie only the sign-in screen's calls answer (auth.status without the account,
 *   app.info, auth.signIn); everything else is “请先登录”.
 * - Every call must be a JSON POST carrying X-Seal-Counter: a page of another origin cannot send
 *   either without a CORS preflight, which this host never grants; a request announcing another
 *   origin is refused outright.
 * - The Host header must name this address (against DNS rebinding).
 * - Every answer carries the app's security headers; an error is one Chinese sentence, its
 *   details go to the log.
 */
export interface HttpHost {
  /** The bare address, e.g. http://127.0.0.1:41234/ — opened without a cookie it shows the sign-in screen. */
  url: string;
  port: number;
  /** The name of this host's session cookie (cookies ignore ports: each host names its own). */
  cookieName: string;
  /** An address that signs the browser opening it into this host, once, within LAUNCH_CODE_TTL_MS. */
  issueLaunchUrl(): string;
  close(): Promise<void>;
}

export const LAUNCH_CODE_TTL_MS = 10 * 60_000;
const MAX_BODY_BYTES = 80 * 1024 * 1024;
/** What a browser without the session cookie may call: what the sign-in screen needs. */
const WITHOUT_COOKIE = new Set<string>(['auth.status', 'app.info', 'auth.signIn']);
const SIGNED_OUT = { ok: false, error: { kind: 'signed-out', message: '请先登录。' } } as const;

/** A request this host will not serve: its status and the one sentence that says why. */
class RequestRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function startHttpHost(options: { backend: Backend; staticDir: string; port?: number; now?: () => number }): Promise<HttpHost> {
  const now = options.now ?? Date.now;
  const log = options.backend.ctx.log;
  const launchCodes = new Map<string, number>();
  // One session at a time: a sign-in from another window replaces it.
  let sessionSecret: Buffer | null = null;
  let allowedHosts = new Set<string>();
  let origin = '';
  let cookieName = '';

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof RequestRefused) {
        // One Chinese sentence, in the same envelope as a refused call.
        if (!response.headersSent) sendJson(response, error.status, { ok: false, error: { kind: 'invalid', message: error.message } });
        return;
      }
      log.error('host', `处理请求 ${request.method ?? ''} ${(request.url ?? '').replace(/\?.*$/, '')} 时出错。`, error);
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: { kind: 'internal', message: '签章窗口服务内部错误，详情已记入日志。' } });
      else response.destroy();
    });
  });

  function newSession(): string {
    const secret = randomBytes(32);
    sessionSecret = secret;
    return secret.toString('base64url');
  }

  function hasSession(request: IncomingMessage): boolean {
    const presented = readCookie(request.headers.cookie, cookieName);
    if (!presented || !sessionSecret) return false;
    const bytes = Buffer.from(presented, 'base64url');
    return bytes.length === sessionSecret.length && timingSafeEqual(bytes, sessionSecret);
  }

  function sessionCookie(value: string): string {
    return `${cookieName}=${value}; HttpOnly; SameSite=Strict; Path=/`;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.has(request.headers.host ?? '')) throw new RequestRefused(421, '请求的地址不是本机的签章窗口服务。');
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname.startsWith('/api/')) return handleCall(request, response, decodeURIComponent(url.pathname.slice('/api/'.length)));
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new RequestRefused(405, '此地址只能读取，不能提交。');
    const launch = url.searchParams.get('launch');
    if (launch !== null) {
      // Exchanged once; a spent, expired or made-up code just lands on the sign-in screen.
      const expires = launchCodes.get(launch);
      launchCodes.delete(launch);
      const headers: Record<string, string> = { Location: '/' };
      if (expires !== undefined && expires > now()) headers['Set-Cookie'] = sessionCookie(newSession());
      response.writeHead(303, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...headers }).end();
      return;
    }
    await serveStatic(options.staticDir, url.pathname, request.method === 'HEAD', response);
  }

  async function handleCall(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST') throw new RequestRefused(405, '调用须以 POST 提交。');
    const requestOrigin = request.headers.origin;
    if ((requestOrigin !== undefined && requestOrigin !== origin) || !['same-origin', undefined].includes(request.headers['sec-fetch-site'])) {
      throw new RequestRefused(403, '拒绝来自其他网页的调用。');
    }
    if (request.headers['x-seal-counter'] !== '1' || !/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
      throw new RequestRefused(400, '调用须由签章窗口页面以 JSON 提交。');
    }
    const signedIn = hasSession(request);
    if (!signedIn && !WITHOUT_COOKIE.has(name)) {
      sendJson(response, 401, SIGNED_OUT);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request)).toString('utf8') || '{}');
    } catch (error) {
      if (error instanceof RequestRefused) throw error;
      throw new RequestRefused(400, '请求内容不是有效的 JSON。');
    }
    let result = await dispatch(options.backend, name, body);
    const headers: Record<string, string> = {};
    if (!signedIn) {
      if (name === 'auth.signIn' && result.ok) headers['Set-Cookie'] = sessionCookie(newSession());
      // A window without the session sees the sign-in screen, not who is signed in elsewhere.
      else if (name === 'auth.status' && result.ok) result = { ok: true, value: { ...result.value, account: null, locked: false } };
    }
    sendJson(response, result.ok ? 200 : result.error.kind === 'internal' ? 500 : result.error.kind === 'invalid' ? 400 : 422, result, headers);
  }

  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origin = `http://127.0.0.1:${port}`;
  cookieName = `seal_counter_${port}`;
  const url = `${origin}/`;

  return {
    url,
    port,
    cookieName,
    issueLaunchUrl() {
      const code = randomBytes(24).toString('base64url');
      launchCodes.set(code, now() + LAUNCH_CODE_TTL_MS);
      return `${url}?launch=${code}`;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestRefused(413, `请求超过 ${MAX_BODY_BYTES / 1024 / 1024} MB，未处理。`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(JSON.stringify(body));
}

async function serveStatic(root: string, pathname: string, headOnly: boolean, response: ServerResponse): Promise<void> {
  const path = staticFilePath(root, pathname);
  let body: Buffer;
  try {
    if (!path) throw new Error('outside the renderer');
    body = await readFile(path);
  } catch {
    throw new RequestRefused(404, '找不到此页面。');
  }
  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  response.end(headOnly ? undefined : body);
}

