import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors';
import { clockFromEnvironment } from '../core/time';
import { openServices, type Services } from '../services/open';
import { resolveDbPath, trainingDbPathFor } from '../services/paths';
import { startBackgroundWork } from '../services/startup';
import { findChromiumBrowser, openAppWindow } from './appWindow';
import { LAUNCH_CODE_TTL_MS, startHttpHost } from './httpHost';

/** Serves the UI on loopback and, unless told not to, opens it in an app window. */
const { values } = parseArgs({
  options: { db: { type: 'string' }, port: { type: 'string' }, 'no-open': { type: 'boolean', default: false }, why: { type: 'string' }, training: { type: 'boolean', default: false } },
  strict: true,
});

// --training: a database of its own beside the real one, written from the fixtures the first time.
const dbPath = values.training ? trainingDbPathFor(resolveDbPath(values.db)) : resolveDbPath(values.db);
if (values.training && !existsSync(dbPath)) {
  const made = spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'seal-counter.mjs'), 'training-db', dbPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0) process.exit(1);
}
let services: Services;
try {
  // Holds the data file first: a second start on the same file stops here, having changed nothing.
  services = openServices(dbPath, clockFromEnvironment(process.env), { holdAs: 'loopback' });
} catch (error) {
  console.error(error instanceof UserError ? error.message : `签章窗口无法启动：${String(error)}`);
  process.exit(1);
}
const { log } = services.ctx;
const staticDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'renderer');
const host = await startHttpHost({ backend: services, staticDir, port: values.port ? Number(values.port) : 0 });
services.setAddress(host.url);
log.info('host', `签章窗口已启动（浏览器窗口），地址 ${host.url}，数据文件 ${dbPath}。`);
const background = startBackgroundWork(services);

let stopping = false;
async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  background.stop();
  await host.close();
  // What is still on its way to the log file gets there before the process ends.
  await log.close();
  services.close();
  process.exit(exitCode);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('unhandledRejection', (reason) => log.error('host', '后台任务出现未处理的错误。', reason));
process.on('uncaughtException', (error) => {
  log.error('host', '程序出现未处理的错误，已停止。', error);
  void shutdown(1);
});

console.log(`数据文件：${dbPath}${values.training ? '（培训数据，不上报）' : ''}`);
const browser = values['no-open'] ? null : findChromiumBrowser();
const launchUrl = host.issueLaunchUrl();
if (browser) {
  console.log(`${values.why ?? ''}签章窗口已在 ${browser} 中以应用窗口打开（地址 ${host.url}；在其他浏览器窗口打开此地址需要登录）。`);
  const window = openAppWindow(browser, launchUrl, join(dirname(dbPath), 'browser-profile'));
  // The app window is the program: closing it ends the session.
  window.on('exit', () => void shutdown(0));
} else {
  const notFound = values['no-open'] ? '' : `${values.why ? `${values.why}也` : ''}未找到 Chromium、Chrome 或 Edge。`;
  console.log(`${notFound}签章窗口已启动：请在浏览器中打开 ${launchUrl}（只能使用一次，${LAUNCH_CODE_TTL_MS / 60_000} 分钟内有效；之后打开 ${host.url} 需要登录）。`);
}
