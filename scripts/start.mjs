// `npm start`: the Electron window where Electron can run; otherwise the same UI served on
// loopback and opened as an app window in an installed Chromium, Chrome or Edge.
//
// Electron is a dev dependency without an install script (since Electron 42): its binary is
// fetched the first time it is needed, here, from the network (or the mirror in ELECTRON_MIRROR).
// Where that cannot succeed — no network, a firewall, a Node older than Electron's 22.12 — the
// loopback host takes over and says why in one line, so `npm install && npm start` works anywhere.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not URL.pathname: the offices' Windows paths have drive letters and spaces.
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);
const ELECTRON_NODE = [22, 12];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const [major, minor] = process.versions.node.split('.').map(Number);
const nodeIsSupported = major > ELECTRON_NODE[0] || (major === ELECTRON_NODE[0] && minor >= ELECTRON_NODE[1]);
if (major < 22) console.log(`Node.js ${process.versions.node} 已停止维护：签章窗口支持 Node.js 22（22.12 起）与 24，请升级。`);

const builtIndex = join(root, 'dist/renderer/index.html');
const sourcesChanged = !existsSync(builtIndex) ||
  Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'core'))) > statSync(builtIndex).mtimeMs;
if (sourcesChanged) {
  console.log('正在构建界面……');
  run(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}

/** The Electron binary, fetched if need be; or null and the reason, in Chinese, why not. */
function electronBinary() {
  let installScript;
  try {
    installScript = join(require.resolve('electron/package.json'), '..', 'install.js');
  } catch {
    return { binary: null, why: 'Electron 未安装（npm install 跳过了它），' };
  }
  if (!nodeIsSupported) return { binary: null, why: `Electron 需要 Node.js ${ELECTRON_NODE.join('.')} 或更高版本（当前 ${process.versions.node}），` };
  // install.js returns at once when the binary is already there; otherwise it downloads it.
  const installed = existsSync(join(installScript, '..', 'path.txt'));
  if (!installed) console.log('正在下载 Electron 运行文件（约 100 MB，仅首次）……');
  const fetched = spawnSync(process.execPath, [installScript], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (fetched.status !== 0) return { binary: null, why: 'Electron 的运行文件无法下载（本机无法连接其下载地址，可设置 ELECTRON_MIRROR 指向镜像），' };
  try {
    // The package exports the binary's path once it is installed.
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary, why: null };
  } catch {
    // Falls through to the loopback host.
  }
  return { binary: null, why: 'Electron 的运行文件不完整，' };
}

/** Runs the app and ends with it; Ctrl+C or a stop request reaches it too. */
function runApp(command, commandArgs, options) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

// The Electron host does not take --training: training runs in the app window of the loopback host.
const training = args.includes('--training');
const { binary, why } = training ? { binary: null, why: '培训模式，' } : electronBinary();
if (binary) {
  run(process.execPath, ['scripts/build-electron.mjs']);
  const binding = join(root, 'dist/electron-native/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (!existsSync(binding)) {
    console.log('正在为 Electron 编译 better-sqlite3（仅首次）……');
    run(process.execPath, ['scripts/build-electron-sqlite.mjs']);
  }
  // The development run only: a packaged app ignores this variable and loads the module it ships.
  runApp(binary, ['.', ...args], { env: { ...process.env, SEAL_COUNTER_SQLITE_BINDING: binding } });
} else {
  runApp(process.execPath, ['--import', 'tsx', 'server/main.ts', '--why', why, ...args]);
}
