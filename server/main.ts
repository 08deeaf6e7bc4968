import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors';

import { openServices } from '../services/open';
import { resolveDbPath, trainingDbPathFor } from '../services/paths';
import { startBackgroundWork } from '../services/startup';
import { findChromiumBrowser, openAppWindow } from './appWindow';
import { startHttpHost } from './httpHost';
import { clockFromEnvironment } from '../core/time';

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
let services: ReturnType<typeof openServices>;
try {
  services = openServices(dbPath, clockFromEnvironment(process.env));
} catch (error) {
  console.error(error instanceof UserError ? error.message : error);
  process.exit(1);
}
const staticDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'renderer');
const host = await startHttpHost({ backend: services, staticDir, port: values.port ? Number(values.port) : 0 });
console.log(`签章窗口已启动：${host.appUrl}`);
console.log(`数据文件：${dbPath}${values.training ? '（培训数据，不上报）' : ''}`);
const background = startBackgroundWork(services);

function shutdown(): void {
  background.stop();
  void host.close().finally(() => {
    services.close();
    process.exit(0);
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

if (!values['no-open']) {
  const browser = findChromiumBrowser();
  if (browser) {
    console.log(`${values.why ?? ''}已在 ${browser} 中以应用窗口打开。`);
    const window = openAppWindow(browser, host.appUrl, join(dirname(dbPath), 'browser-profile'));
    // The app window is the program: closing it ends the session.
    window.on('exit', shutdown);
  } else {
    console.log(`${values.why ? `${values.why}也` : ''}未找到 Chromium、Chrome 或 Edge：请在浏览器中打开上面的地址。`);
  }
}
