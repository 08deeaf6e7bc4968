import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors';
import { dispatch } from '../services/dispatch';
import { openServices } from '../services/open';
import { resolveDbPath } from '../services/paths';
import { startBackgroundWork } from '../services/startup';

/**
 * The Electron host: as thin as the HTTP host. The renderer is sandboxed, has no Node, and can
 * only send contract calls through the preload's one channel; the main process validates them.
 */
const { values } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { db: { type: 'string' } }, strict: false });
const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

app.whenReady().then(() => {
  let services: ReturnType<typeof openServices>;
  try {
    // The workstation's private key is encrypted with the OS key store where there is one.
    const keyProtector = safeStorage.isEncryptionAvailable()
      ? { kind: 'safeStorage' as const, encrypt: (plain: Buffer) => safeStorage.encryptString(plain.toString('base64')), decrypt: (sealed: Buffer) => Buffer.from(safeStorage.decryptString(sealed), 'base64') }
      : undefined;
    services = openServices(resolveDbPath(typeof values.db === 'string' ? values.db : undefined), () => new Date(), keyProtector ? { keyProtector } : {});
  } catch (error) {
    dialog.showErrorBox('签章窗口无法启动', error instanceof UserError ? error.message : String(error));
    app.exit(1);
    return;
  }
  const background = startBackgroundWork(services);
  app.on('will-quit', () => {
    background.stop();
    services.close();
  });

  ipcMain.handle('seal-counter:call', (event, name: unknown, request: unknown) => {
    // Only our own page may call; anything else (a navigated or injected frame) is dropped.
    const sender = event.senderFrame?.url.replace(/[?#].*$/, '');
    if (sender !== rendererUrl) return { ok: false, error: { kind: 'invalid', message: '拒绝来自未知页面的调用。' } };
    return dispatch(services, String(name), request);
  });

  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));

  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: '签章窗口',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // Chromium's PDF viewer shows the printed register sheet inside the app.
      plugins: true,
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('file:') && url.endsWith('.pdf')) void shell.openPath(fileURLToPath(url));
    return { action: 'deny' };
  });
  void window.loadFile(rendererIndex);
});

app.on('window-all-closed', () => app.quit());
