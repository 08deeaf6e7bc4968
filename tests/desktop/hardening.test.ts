import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions, SafeStorage, Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { serveAppRequest } from '../../electron/appProtocol';
import {
  APP_INDEX_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, createAppWindow, denyAllPermissions, guardWebContents, isAllowedNavigation, isTrustedSender, printToOpen,
} from '../../electron/hardening';
import { keyStoreProblem } from '../../electron/keyStore';
import { CONTENT_SECURITY_POLICY } from '../../server/securityHeaders';
import { tempDir } from '../support/services';

/**
 * The Electron host's defences, called with stand-ins of what Electron hands them: Electron's
 * binary cannot run on these machines, but each defence is a plain function of its events.
 */
interface Fired {
  prevented: boolean;
}

/** A stand-in webContents: records the listeners and the window-open handler the guard installs. */
function standInContents() {
  const listeners = new Map<string, ((event: unknown) => void)[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on(name: string, listener: (event: unknown) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      openHandler = handler;
    },
  };
  const refused: string[] = [];
  const opened: string[] = [];
  return {
    contents: contents as unknown as WebContents,
    refused,
    opened,
    fire(name: string, url: string, isMainFrame = true): Fired {
      const fired = { prevented: false };
      const event = { url, isMainFrame, preventDefault: () => { fired.prevented = true; } };
      const registered = listeners.get(name) ?? [];
      if (registered.length === 0) throw new Error(`no listener for ${name}`);
      for (const listener of registered) listener(event);
      return fired;
    },
    open(url: string) {
      if (!openHandler) throw new Error('no window-open handler');
      return openHandler({ url });
    },
  };
}

function guarded(printsDir = tempDir()) {
  const stand = standInContents();
  guardWebContents(stand.contents, { printsDir, openOwnPrint: (path) => stand.opened.push(path), refused: (what, url) => stand.refused.push(`${what} ${url}`) });
  return stand;
}

describe('every webContents is kept inside the app', () => {
  it('lets the top frame navigate only within seal-counter://app', () => {
    const stand = guarded();
    expect(stand.fire('will-navigate', `${APP_ORIGIN}/index.html`).prevented).toBe(false);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:8787/', 'seal-counter://other/index.html', 'javascript:alert(1)', 'not a url']) {
      expect(stand.fire('will-navigate', url).prevented, url).toBe(true);
      expect(stand.fire('will-frame-navigate', url).prevented, url).toBe(true);
    }
    expect(stand.refused).toContain('will-navigate https://example.com/');
  });

  it('lets a subframe show only the app’s own blob: PDF and the PDF viewer, never another site', () => {
    const stand = guarded();
    expect(stand.fire('will-frame-navigate', `blob:${APP_ORIGIN}/6b1c1a9e-1d0c-4a4e-9a55-1f3f0c2b7d11`, false).prevented).toBe(false);
    expect(stand.fire('will-frame-navigate', 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html', false).prevented).toBe(false);
    expect(stand.fire('will-frame-navigate', 'blob:https://evil.example/1', false).prevented).toBe(true);
    expect(stand.fire('will-frame-navigate', 'https://evil.example/', false).prevented).toBe(true);
    // The top frame may not become the blob or the viewer.
    expect(isAllowedNavigation(`blob:${APP_ORIGIN}/x`, true)).toBe(false);
    expect(isAllowedNavigation('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html', true)).toBe(false);
  });

  it('refuses every redirect and every <webview>', () => {
    const stand = guarded();
    expect(stand.fire('will-redirect', `${APP_ORIGIN}/index.html`).prevented).toBe(true);
    expect(stand.fire('will-redirect', 'https://example.com/').prevented).toBe(true);
    expect(stand.fire('will-attach-webview', '').prevented).toBe(true);
  });

  it('opens no window: a new-window request is always denied', () => {
    const stand = guarded();
    for (const url of ['https://example.com/', `${APP_ORIGIN}/index.html`, 'file:///etc/passwd', `blob:${APP_ORIGIN}/x`]) expect(stand.open(url)).toEqual({ action: 'deny' });
    expect(stand.opened).toEqual([]);
  });
});

describe('a PDF is opened by the system only when the app printed it into its prints folder', () => {
  const root = tempDir();
  const printsDir = join(root, 'prints');
  mkdirSync(printsDir);
  writeFileSync(join(printsDir, '登记表-2026-11-24.pdf'), '%PDF-1.7');
  writeFileSync(join(printsDir, 'notes.txt'), 'x');
  mkdirSync(join(printsDir, 'folder.pdf'));
  writeFileSync(join(root, 'outside.pdf'), '%PDF-1.7');
  symlinkSync(join(root, 'outside.pdf'), join(printsDir, 'link-out.pdf'));

  it('opens the app’s own print', () => {
    const stand = guarded(printsDir);
    const own = join(printsDir, '登记表-2026-11-24.pdf');
    expect(stand.open(pathToFileURL(own).href)).toEqual({ action: 'deny' });
    expect(stand.opened).toEqual([own]);
  });

  it('refuses a UNC path (it would hand the Windows credentials to that server), a path leaving the folder, a link out of it, and what is not a PDF file', () => {
    for (const url of [
      'file://fileserver/share/登记表.pdf',
      'file:////fileserver/share/登记表.pdf',
      `${pathToFileURL(printsDir).href}/../outside.pdf`,
      pathToFileURL(join(root, 'outside.pdf')).href,
      pathToFileURL(join(printsDir, 'link-out.pdf')).href,
      pathToFileURL(join(printsDir, 'notes.txt')).href,
      pathToFileURL(join(printsDir, 'folder.pdf')).href,
      pathToFileURL(join(printsDir, 'missing.pdf')).href,
      `https://example.com/x.pdf`,
    ]) expect(printToOpen(url, printsDir), url).toBeNull();
    const stand = guarded(printsDir);
    stand.open('file://fileserver/share/登记表.pdf');
    expect(stand.opened).toEqual([]);
    expect(stand.refused).toEqual(['window-open file://fileserver/share/登记表.pdf']);
  });
});

describe('the app window and its session', () => {
  it('creates the window sandboxed, isolated, without Node, <webview> or middle-click, with the preload as the one bridge', () => {
    let options: BrowserWindowConstructorOptions | undefined;
    class BrowserWindow {
      constructor(given: BrowserWindowConstructorOptions) {
        options = given;
      }
    }
    createAppWindow(BrowserWindow, '/app/dist/electron/preload.cjs', false);
    expect(options?.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, disableBlinkFeatures: 'Auxclick', devTools: false,
    });
  });

  it('grants no permission, whether asked for or only checked', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (handler: (...args: unknown[]) => unknown) => { handlers.request = handler; },
      setPermissionCheckHandler: (handler: (...args: unknown[]) => unknown) => { handlers.check = handler; },
      setDevicePermissionHandler: (handler: (...args: unknown[]) => unknown) => { handlers.device = handler; },
    };
    denyAllPermissions(session as unknown as Session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) handlers.request!({}, permission, (granted: boolean) => answers.push(granted), {});
    expect(answers).toEqual([false, false, false, false, false]);
    expect(handlers.check!({}, 'clipboard-sanitized-write', APP_ORIGIN, {})).toBe(false);
    expect(handlers.device!({ deviceType: 'usb', origin: APP_ORIGIN })).toBe(false);
  });

  it('answers a contract call only from the app’s own top frame', () => {
    expect(isTrustedSender({ url: APP_INDEX_URL, parent: null })).toBe(true);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html?x#y`, parent: null })).toBe(true);
    const top = { url: APP_INDEX_URL, parent: null };
    expect(isTrustedSender({ url: APP_INDEX_URL, parent: top } as never)).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///app/dist/renderer/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('registers its scheme as standard and secure, so the renderer has an origin of its own and no file:// privileges', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'seal-counter', privileges: { standard: true, secure: true } });
    expect(APP_INDEX_URL).toBe('seal-counter://app/index.html');
  });
});

describe('the seal-counter://app protocol', () => {
  const rendererDir = join(tempDir(), 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>签章窗口</title>');
  writeFileSync(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, '..', 'secret.txt'), 'not for the page');

  it('serves the renderer with the same headers as the loopback host, CSP with frame-ancestors none included', async () => {
    const response = await serveAppRequest(new Request(APP_INDEX_URL), rendererDir);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('签章窗口');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect((await serveAppRequest(new Request(`${APP_ORIGIN}/assets/index.js`), rendererDir)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('reaches nothing outside the renderer folder, and only reads', async () => {
    for (const url of [`${APP_ORIGIN}/../secret.txt`, `${APP_ORIGIN}/%2e%2e/secret.txt`, `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`, `${APP_ORIGIN}/assets%5c..%5c..%5csecret.txt`, `${APP_ORIGIN}/missing.js`, 'seal-counter://elsewhere/index.html']) {
      const response = await serveAppRequest(new Request(url), rendererDir);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).toBe('找不到此页面。');
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
    expect((await serveAppRequest(new Request(APP_INDEX_URL, { method: 'POST', body: '{}' }), rendererDir)).status).toBe(405);
  });
});

describe('the operating system’s key store', () => {
  const store = (available: boolean, backend: ReturnType<SafeStorage['getSelectedStorageBackend']>) => ({
    isAsyncEncryptionAvailable: () => Promise.resolve(available),
    getSelectedStorageBackend: () => backend,
  });

  it('counts Linux’s basic_text backend as no key store, and says why', async () => {
    expect(await keyStoreProblem(store(true, 'basic_text'), 'linux')).toContain('basic_text');
    expect(await keyStoreProblem(store(true, 'gnome_libsecret'), 'linux')).toBeNull();
    expect(await keyStoreProblem(store(true, 'unknown'), 'win32')).toBeNull();
    expect(await keyStoreProblem(store(false, 'unknown'), 'darwin')).toBe('操作系统的密钥库不可用');
  });
});
