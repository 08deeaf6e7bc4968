// Bundles the Electron main and preload scripts. Electron is optional (its binary cannot be
// downloaded everywhere), so this only runs where it is installed or when asked for a package.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron', 'better-sqlite3', 'pdfmake', '@expo-google-fonts/noto-sans-sc'], logLevel: 'warning' };
await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', define: { 'import.meta.url': 'import_meta_url' }, banner: { js: 'const import_meta_url = require("url").pathToFileURL(__filename).href;' } });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs' });
// Untrusted files are parsed in a worker thread; the bundled app ships that worker beside main.
await build({ ...common, entryPoints: ['services/files/parseWorker.ts'], outfile: 'dist/electron/parseWorker.cjs' });
