// Bundles the Electron main and preload scripts (and the workers the main process starts:
// file parsing, the backup's check) into dist/electron, or into the folder given with --out (the packaging test builds a
// copy of its own). Runs where Electron is installed, and for `npm run dist`.
import { build } from 'esbuild';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist/electron' } } });
// Electron 45 runs Node 22 or later inside; native and large modules stay outside the bundle and
// are packed from node_modules (better-sqlite3 unpacked from the asar).
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', external: ['electron', 'better-sqlite3', 'pdfmake', '@expo-google-fonts/noto-sans-sc'], logLevel: 'warning' };
await build({ ...common, entryPoints: ['electron/main.ts'], outfile: join(values.out, 'main.cjs'), define: { 'import.meta.url': 'import_meta_url' }, banner: { js: 'const import_meta_url = require("url").pathToFileURL(__filename).href;' } });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: join(values.out, 'preload.cjs') });
// Untrusted files are parsed in a worker thread; the bundled app ships that worker beside main.
await build({ ...common, entryPoints: ['services/files/parseWorker.ts'], outfile: join(values.out, 'parseWorker.cjs') });
// So is the hourly backup's check, which walks the whole register.
await build({ ...common, entryPoints: ['services/backup/copyCheckWorker.ts'], outfile: join(values.out, 'copyCheckWorker.cjs') });
