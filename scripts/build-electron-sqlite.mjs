// Builds a second copy of better-sqlite3 against Electron's ABI under dist/electron-native, so
// the Node build in node_modules (used by the CLI and the tests) is never rebuilt back and forth.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// fileURLToPath, not URL.pathname: the offices' Windows paths have drive letters and spaces.
const root = fileURLToPath(new URL('..', import.meta.url));
const target = join(root, 'dist/electron-native');
const source = join(root, 'node_modules/better-sqlite3');
mkdirSync(join(target, 'node_modules'), { recursive: true });
cpSync(source, join(target, 'node_modules/better-sqlite3'), { recursive: true, filter: (path) => !path.includes('/build/') });
// @electron/rebuild finds the modules to build through this folder's own package.json.
writeFileSync(join(target, 'package.json'), JSON.stringify({ name: 'electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const { rebuild } = await import('@electron/rebuild');
await rebuild({ buildPath: target, electronVersion, onlyModules: ['better-sqlite3'], force: true });
