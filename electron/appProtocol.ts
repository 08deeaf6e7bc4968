import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CONTENT_TYPES, SECURITY_HEADERS, staticFilePath } from '../server/securityHeaders';
import { APP_ORIGIN } from './hardening';

/**
 * The `seal-counter://app/…` protocol: the built renderer, read from the app's own folder (inside
 * app.asar when packaged), with the same security headers the loopback host sends. Anything but
 * a GET of a file there is refused; nothing else on the disk is reachable through it.
 */
export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return refuse(404, '找不到此页面。');
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, '此地址只能读取，不能提交。');
  const path = staticFilePath(rendererDir, url.pathname);
  if (!path) return refuse(404, '找不到此页面。');
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return refuse(404, '找不到此页面。');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' },
  });
}

function refuse(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
