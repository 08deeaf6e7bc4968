import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions, Session, WebContents, WebFrameMain } from 'electron';

/**
 * The Electron host's defences, as plain functions of what Electron hands them, so that tests
 * call them with stand-ins of its events (Electron's binary cannot run on the build machines).
 * main.ts only wires them in. They follow Electron's security checklist:
 * the renderer is served from a privileged custom scheme, never file://; every webContents,
 * the PDF viewer's included, may navigate only inside the app and opens no window; no
 * permission is ever granted; `<webview>` is refused; middle-click cannot open links; and a
 * contract call is answered only for the app's own top frame.
 */
export const APP_SCHEME = 'seal-counter';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** For protocol.registerSchemesAsPrivileged, before the app is ready: a secure, standard origin of its own. */
export const APP_SCHEME_PRIVILEGES = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } } as const;

/** Chromium's built-in PDF viewer shows the register sheet; its pages are its own. */
const PDF_VIEWER_ORIGIN = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai';

/**
 * The app's window. Its options are written out here, in the `new BrowserWindow({…})` itself, so
 * that Electronegativity reads them as they are.
 */
export function createAppWindow<W>(BrowserWindow: new (options: BrowserWindowConstructorOptions) => W, preloadPath: string, devTools: boolean): W {
  return new BrowserWindow({
    width: 1440,
    height: 900,
    title: '签章窗口',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click would otherwise open a link in a new window, past the window-open handler.
      disableBlinkFeatures: 'Auxclick',
      // Chromium's PDF viewer shows the printed register sheet inside the app.
      plugins: true,
      devTools,
    },
  });
}

/**
 * Scheme and host, e.g. `seal-counter://app`. Not URL.origin: outside Chromium (in Node, and so
 * in the tests) a custom scheme's origin is "null", which would match nothing — or everything.
 */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

/**
 * Where a frame may go: the top frame only to the app's own pages; a subframe also to the
 * register sheet's `blob:` PDF made by the app and to the PDF viewer showing it.
 */
export function isAllowedNavigation(url: string, isMainFrame: boolean): boolean {
  if (originOf(url) === APP_ORIGIN) return true;
  if (isMainFrame) return false;
  if (url.startsWith(`blob:${APP_ORIGIN}/`)) return true;
  return originOf(url) === PDF_VIEWER_ORIGIN;
}

interface NavigationEvent {
  url: string;
  isMainFrame?: boolean;
  preventDefault(): void;
}

export interface WebContentsGuardOptions {
  /** The one thing a new-window request may do: open a PDF the app itself printed (see printToOpen). */
  openOwnPrint(path: string): void;
  printsDir: string;
  /** Refusals are logged (they mean a bug or an attack). */
  refused(what: string, url: string): void;
}

/**
 * Installed for every webContents from `web-contents-created`: the window's, the PDF viewer's
 * and any other Electron makes. Navigation outside the app, redirects, new windows and
 * `<webview>` are refused.
 */
export function guardWebContents(contents: WebContents, options: WebContentsGuardOptions): void {
  const checkNavigation = (what: string) => (event: NavigationEvent) => {
    if (isAllowedNavigation(event.url, event.isMainFrame ?? true)) return;
    event.preventDefault();
    options.refused(what, event.url);
  };
  contents.on('will-navigate', checkNavigation('will-navigate'));
  contents.on('will-frame-navigate', checkNavigation('will-frame-navigate'));
  // The app's own protocol never redirects: any redirect is someone else's doing.
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    options.refused('will-redirect', event.url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.refused('will-attach-webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const print = printToOpen(url, options.printsDir);
    if (print) options.openOwnPrint(print);
    else options.refused('window-open', url);
    return { action: 'deny' };
  });
}

/** No camera, microphone, notification, clipboard, serial … ever: asked or only checked. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * The path of a PDF the app wrote under its prints folder that `url` names, or null. Only a
 * `file:` URL without a host (a UNC path `\\server\share` would send the Windows credentials to
 * that server), naming an existing `.pdf` file whose real path — links followed — lies inside
 * the real prints folder.
 */
export function printToOpen(url: string, printsDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return null;
  let path: string;
  try {
    path = fileURLToPath(parsed);
  } catch {
    return null;
  }
  if (path.startsWith('\\\\') || path.startsWith('//') || extname(path).toLowerCase() !== '.pdf') return null;
  try {
    const real = realpathSync(path);
    const inside = relative(realpathSync(printsDir), real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || !statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

/** A contract call is answered only from the app's own top frame: not a subframe, not a page navigated elsewhere. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  return !!frame && frame.parent === null && originOf(frame.url) === APP_ORIGIN;
}
