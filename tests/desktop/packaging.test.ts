import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Arch, build, Platform, type Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR, tempDir } from '../support/services';

/**
 * `npm run dist` short of Electron's zip, which cannot be downloaded here: electron-builder
 * itself validates the configuration, collects the files and the production modules, writes
 * app.asar, unpacks the native module and flips the fuses — on a stand-in for Electron's binary
 * that carries the fuse wire as the real one does (the sentinel, version 1, eight fuses). What
 * is not exercised: the real binary, the NSIS installer, the AppImage and the deb (their tools
 * are downloaded too) and rebuilding better-sqlite3 for Electron (it needs Electron's headers).
 */
const PACKAGE = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  build: Configuration;
};
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** A fuse's state on the wire, as @electron/fuses writes it (its FuseState is not exported). */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function run(args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: REPO_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

let appDir = '';
let packed: Set<string>;

beforeAll(async () => {
  // The same builds `npm run dist` makes, into the folders its `files` name.
  run([join(REPO_DIR, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  run(['scripts/build-electron.mjs']);
  const standIn = join(tempDir(), 'electron-dist');
  mkdirSync(standIn);
  // Every fuse enabled, as Electron ships: the configuration has to turn them off.
  writeFileSync(join(standIn, 'electron'), Buffer.concat([Buffer.from('stand-in for the Electron binary\0'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, 8, ...Array<number>(8).fill(FuseState.ENABLE)])]), { mode: 0o755 });
  writeFileSync(join(standIn, 'LICENSE'), 'stand-in');
  const output = tempDir();
  await build({
    projectDir: REPO_DIR,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: { ...PACKAGE.build, electronDist: standIn, npmRebuild: false, directories: { ...PACKAGE.build.directories, output } },
  });
  appDir = join(output, 'linux-unpacked');
  packed = new Set(listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((path) => path.split(sep).join('/')));
}, 180_000);

describe('the package electron-builder makes', () => {
  it('holds every file the builds wrote under dist/electron and dist/renderer', () => {
    for (const dir of ['dist/electron', 'dist/renderer']) {
      const built = filesUnder(join(REPO_DIR, dir)).map((path) => `/${relative(REPO_DIR, path).split(sep).join('/')}`);
      expect(built.length, dir).toBeGreaterThan(2);
      for (const path of built) expect(packed.has(path), path).toBe(true);
    }
    expect(packed.has('/package.json')).toBe(true);
  });

  it('carries the fonts inside, so nothing is fetched at first start', () => {
    expect(packed.has('/node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')).toBe(true);
    expect(packed.has('/node_modules/@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')).toBe(true);
    expect([...packed].some((path) => path.startsWith('/dist/renderer/assets/') && /\.(ttf|woff2?)$/.test(path))).toBe(true);
    for (const file of filesUnder(join(REPO_DIR, 'dist', 'renderer')).filter((path) => /\.(html|css)$/.test(path))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/(?:src|href)=["']?https?:|url\(["']?https?:|@import\s+["']?https?:/);
    }
  });

  it('leaves out what only builds and tests use: tsx, esbuild, the unused font weights, the native module’s sources', () => {
    for (const absent of ['/node_modules/tsx', '/node_modules/esbuild', '/node_modules/@expo-google-fonts/noto-sans-sc/100Thin', '/node_modules/better-sqlite3/deps', '/node_modules/better-sqlite3/src', '/node_modules/electron']) {
      expect(packed.has(absent), absent).toBe(false);
    }
    expect(statSync(join(appDir, 'resources', 'app.asar')).size).toBeLessThan(80 * 1024 * 1024);
  });

  it('unpacks better-sqlite3’s native module beside the asar and packs every module a packed module needs', () => {
    expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    const packages = [...packed].filter((path) => /\/node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(path) && !path.includes('/test/'));
    expect(packages.length).toBeGreaterThan(10);
    const asar = join(appDir, 'resources', 'app.asar');
    for (const manifest of packages) {
      const { dependencies = {} } = JSON.parse(extractFile(asar, manifest.slice(1)).toString('utf8')) as { dependencies?: Record<string, string> };
      const base = manifest.replace(/\/package\.json$/, '');
      for (const name of Object.keys(dependencies)) {
        // Node looks in the package's own node_modules, then in each one above it.
        const found = [`${base}/node_modules/${name}`, ...base.split('/node_modules/').map((_, i, parts) => `${parts.slice(0, i + 1).join('/node_modules/')}/node_modules/${name}`)].some((path) => packed.has(path));
        expect(found, `${name}, needed by ${base} in ${asar}`).toBe(true);
      }
    }
    // And every module the bundled main script loads from outside its bundle, by require or through createRequire.
    const main = readFileSync(join(REPO_DIR, 'dist', 'electron', 'main.cjs'), 'utf8');
    // A module name has no quote or space: a bundled library's own code building `require("' + name + '")` as text is not an import.
    const external = new Set([...main.matchAll(/require(?:FromHere)?\("([^".'\s][^"'\s]*)"\)/g)].map((m) => m[1]!).filter((name) => !name.startsWith('node:') && !builtinModules.includes(name) && name !== 'electron'));
    expect([...external].sort()).toEqual(['better-sqlite3', 'pdfmake']);
    for (const name of external) expect(packed.has(`/node_modules/${name}`), name).toBe(true);
    const fonts = [...main.matchAll(/module: "(@expo-google-fonts\/[^"]+)"/g)].map((m) => m[1]!);
    expect(fonts).toHaveLength(2);
    for (const font of fonts) expect(packed.has(`/node_modules/${font}`), font).toBe(true);
  });

  it('flips the fuses: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; the app only from the ASAR, with its integrity checked', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'seal-counter'));
    expect({
      runAsNode: wire[FuseV1Options.RunAsNode],
      nodeOptions: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      inspect: wire[FuseV1Options.EnableNodeCliInspectArguments],
      onlyFromAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
      asarIntegrity: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      cookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
      fileProtocolPrivileges: wire[FuseV1Options.GrantFileProtocolExtraPrivileges],
    }).toEqual({
      runAsNode: FuseState.DISABLE, nodeOptions: FuseState.DISABLE, inspect: FuseState.DISABLE, onlyFromAsar: FuseState.ENABLE,
      asarIntegrity: FuseState.ENABLE, cookieEncryption: FuseState.ENABLE, fileProtocolPrivileges: FuseState.DISABLE,
    });
  });
});

describe('the installers and the Electron it packages', () => {
  it('makes a per-machine NSIS installer in Chinese for Windows, and an AppImage and a deb for Linux, with the app’s icon', () => {
    expect(PACKAGE.build.win).toEqual({ target: [{ target: 'nsis', arch: ['x64'] }], icon: 'build/icon.png' });
    expect(PACKAGE.build.nsis).toMatchObject({ oneClick: false, perMachine: true, installerLanguages: ['zh_CN'], language: '2052', shortcutName: '签章窗口', deleteAppDataOnUninstall: false });
    expect(PACKAGE.build.linux).toMatchObject({ target: ['AppImage', 'deb'], icon: 'build/icon.png' });
    const icon = readFileSync(join(REPO_DIR, 'build', 'icon.png'));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    // electron-builder makes the Windows .ico from it: at least 256 × 256.
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(256);
    expect(icon.readUInt32BE(20)).toBeGreaterThanOrEqual(256);
  });

  it('packages a supported Electron (one of the latest three majors), as a dev dependency that needs Node 22.12', () => {
    const installed = JSON.parse(readFileSync(join(REPO_DIR, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string; engines: { node: string }; scripts?: Record<string, string> };
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(43);
    expect(PACKAGE.devDependencies.electron).toMatch(/^\^4[3-9]\./);
    expect(PACKAGE.dependencies.electron).toBeUndefined();
    expect(PACKAGE.optionalDependencies?.electron).toBeUndefined();
    // No install script: `npm install` never fails on the download; `npm start` fetches the binary where it can.
    expect(installed.scripts?.postinstall).toBeUndefined();
    expect(PACKAGE.engines.node).toBe('>=22.12');
  });
});
