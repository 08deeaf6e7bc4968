import { join, sep } from 'node:path';

/**
 * The headers every page and answer of the app carries, from either host: Electron's
 * `seal-counter://app` protocol handler and the loopback HTTP host send the same ones, so the
 * renderer runs under one policy wherever it runs.
 *
 * The Content-Security-Policy is sent as a header (a `<meta>` cannot say `frame-ancestors`):
 * scripts only from the app itself; styles from the app and inline (antd writes its styles into
 * `<style>` elements at run time); the register sheet's PDF preview is a `blob:` frame; no
 * plugins, no `<base>`, no form posts, and no other page may frame the app (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  'frame-src blob:',
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // For browsers that do not know frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
};

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
};

/**
 * The file under `root` that `pathname` names, or null when it names none (or tries to leave
 * `root` with `..`, an encoded separator or a drive letter). Shared by both hosts.
 */
export function staticFilePath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' || pathname === '' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  const parts = decoded.split(/[/\\]+/).filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..' || part.includes(':') || part.includes('\0'))) return null;
  const path = join(root, ...parts);
  return path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : null;
}
