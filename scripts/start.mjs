// `npm start`: the Electron window where Electron is installed; otherwise the same UI served on
// loopback and opened as an app window in an installed Chromium, Chrome or Edge.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not URL.pathname: the offices' Windows paths have drive letters and spaces.
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

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

const builtIndex = join(root, 'dist/renderer/index.html');
const sourcesChanged = !existsSync(builtIndex) ||
  Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'core'))) > statSync(builtIndex).mtimeMs;
if (sourcesChanged) {
  console.log('正在构建界面……');
  run(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}

let electronBinary;
try {
  // The electron package exports the path of its binary, and throws when the download failed.
  electronBinary = require('electron');
} catch {
  electronBinary = null;
}

// The Electron host does not take --training yet (issue 18): training runs in the app window.
const training = args.includes('--training');
if (!training && typeof electronBinary === 'string' && existsSync(electronBinary)) {
  run(process.execPath, ['scripts/build-electron.mjs']);
  const binding = join(root, 'dist/electron-native/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (!existsSync(binding)) {
    console.log('正在为 Electron 编译 better-sqlite3（仅首次）……');
    run(process.execPath, ['scripts/build-electron-sqlite.mjs']);
  }
  const child = spawn(electronBinary, ['.', ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, SEAL_COUNTER_SQLITE_BINDING: binding } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = training ? '培训模式，' : 'Electron 未安装（其运行文件在安装时无法下载），';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--why', why, ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
