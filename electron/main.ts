import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors';
import { officeTimestamp } from '../core/time';
import { dispatch } from '../services/dispatch';
import { openLog, openServices, prepareKeyProtector, sealWorkstationKey, type Services } from '../services/open';
import { printsDirFor, resolveDbPath } from '../services/paths';
import { startBackgroundWork } from '../services/startup';
import { serveAppRequest } from './appProtocol';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppWindow, denyAllPermissions, guardWebContents, isTrustedSender } from './hardening';
import { electronKeyStore } from './keyStore';

/**
 * The Electron host: as thin as the HTTP host. The renderer is sandboxed, has no Node, is served
 * from the app's own `seal-counter://app` origin, and can only send contract calls through the
 * preload's one channel; the main process validates them. Every defence is in hardening.ts.
 */

// Before anything opens the database: a packaged app loads only the better-sqlite3 it ships,
// never a native module named by the environment (that would run anyone's code inside it).
if (app.isPackaged) delete process.env.SEAL_COUNTER_SQLITE_BINDING;

const { values } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { db: { type: 'string' } }, strict: false });
const dbPath = resolveDbPath(typeof values.db === 'string' ? values.db : undefined);
const rendererDir = join(__dirname, '..', 'renderer');
const printsDir = printsDirFor(dbPath);

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let window: BrowserWindow | null = null;
let services: Services | null = null;

// One app per user: a second start brings the first window forward and ends. (A second app on
// the same data file from the loopback host or the command line is refused by the data file's lock.)
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, {
      printsDir,
      openOwnPrint: (path) => void shell.openPath(path),
      refused: (what, url) => services?.ctx.log.warn('host', `已拒绝页面的 ${what}：${url.slice(0, 200)}`),
    });
  });
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  try {
    // safeStorage's asynchronous calls: decrypt an existing sealed key before opening, seal a plain one after.
    const store = await electronKeyStore(safeStorage, process.platform);
    const prepared = await prepareKeyProtector(dbPath, store);
    services = openServices(dbPath, () => new Date(), { holdAs: 'electron', ...(prepared.keyProtector ? { keyProtector: prepared.keyProtector } : {}) });
    const opened = services;
    await sealWorkstationKey(opened.ctx.workstation, store, prepared).catch((error: unknown) => {
      opened.ctx.log.error('host', '未能用操作系统的密钥库加密工作站私钥：私钥仍保存在只有当前用户能读取的文件中。', error);
    });
  } catch (error) {
    failedToStart(error);
    return;
  }
  const running = services;
  const { log } = running.ctx;
  process.on('uncaughtException', (error) => log.error('host', '程序出现未处理的错误。', error));
  process.on('unhandledRejection', (reason) => log.error('host', '后台任务出现未处理的错误。', reason));
  log.info('host', `签章窗口已启动（Electron ${process.versions.electron}），数据文件 ${dbPath}。`);

  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
  ipcMain.handle('seal-counter:call', (event, name: unknown, request: unknown) => {
    // Only the app's own top frame may call; a navigated, framed or injected page is refused.
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: { kind: 'invalid', message: '拒绝来自未知页面的调用。' } };
    return dispatch(running, String(name), request);
  });
  const background = startBackgroundWork(running);
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // Held until the last lines are in the log file: a packaged app has no console to fall back on.
    event.preventDefault();
    background.stop();
    void log.close().finally(() => {
      closed = true;
      running.close();
      app.quit();
    });
  });

  if (app.isPackaged) Menu.setApplicationMenu(null);
  window = createAppWindow(BrowserWindow, join(__dirname, 'preload.cjs'), !app.isPackaged);
  void window.loadURL(APP_INDEX_URL);
}

/** One Chinese sentence in a dialog; the technical detail goes to the log beside the data file. */
function failedToStart(error: unknown): void {
  const startupLog = openLog(dbPath, () => officeTimestamp(new Date()));
  startupLog.error('host', '签章窗口无法启动。', error);
  const message = error instanceof UserError ? error.message : `启动时发生内部错误，详情已记入日志（${startupLog.dir}）。已记录的数据未受影响。`;
  void startupLog.close().finally(() => {
    dialog.showErrorBox('签章窗口无法启动', message);
    app.exit(1);
  });
}
