import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { dispatch, type Backend } from '../services/dispatch';

/**
 * The loopback host: the same contract as Electron's IPC, over HTTP on 127.0.0.1. Other programs
 * and web pages on this machine can reach the port, so every API call must carry the per-launch
 * token (sent in a custom header, which a cross-site page cannot set without CORS, which we never
 * grant), and the Host header must name this address (against DNS rebinding).
 */
export interface HttpHost {
  url: string;
  /** The address to open, with the token in the fragment (never sent over the wire). */
  appUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 80 * 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
};

export async function startHttpHost(options: { backend: Backend; staticDir: string; port?: number; token?: string }): Promise<HttpHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let allowedHosts = new Set<string>();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: { kind: 'internal', message: '内部错误。' } });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') return void response.writeHead(405, { Allow: 'POST' }).end();
      const presented = Buffer.from(String(request.headers['x-seal-token'] ?? ''));
      if (presented.length !== tokenBytes.length || !timingSafeEqual(presented, tokenBytes)) {
        sendJson(response, 401, { ok: false, error: { kind: 'invalid', message: '访问令牌无效：请从签章窗口程序打开本页面。' } });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(request)).toString('utf8') || '{}');
      } catch (error) {
        sendJson(response, 400, { ok: false, error: { kind: 'invalid', message: (error as Error).message || '请求内容不是有效的 JSON。' } });
        return;
      }
      const result = await dispatch(options.backend, decodeURIComponent(url.pathname.slice('/api/'.length)), body);
      sendJson(response, result.ok ? 200 : result.error.kind === 'internal' ? 500 : result.error.kind === 'invalid' ? 400 : 422, result);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
    await serveStatic(options.staticDir, url.pathname, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    appUrl: `${url}#token=${token}`,
    port,
    token,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`请求超过 ${MAX_BODY_BYTES / 1024 / 1024} MB。`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^[/\\]+/, '');
  const path = join(root, relative);
  if (relative.startsWith('..') || !path.startsWith(root + sep)) return void response.writeHead(404).end();
  try {
    const body = await readFile(path);
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    }).end(body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  }
}
