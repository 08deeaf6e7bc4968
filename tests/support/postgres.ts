import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../hub/postgres/embedded';

/**
 * One PostgreSQL for the whole test run, shared by every hub test file, each file in databases
 * of its own. It is started the same way `seal-counter hub --data DIR` starts the hub's own
 * (hub/postgres/embedded.ts), by the first test file that needs it, and it belongs to the test
 * runner's main process: its guardian stops the server and removes its folder as soon as that
 * process is gone, however it ended. A run killed before that (the guardian killed too) leaves
 * a folder whose owner is dead; the next run sweeps it.
 */
const PREFIX = 'seal-counter-test-pg-';
// vitest runs each file in a fork of its main process.
const OWNER = process.env.VITEST ? process.ppid : process.pid;
const RUN_DIR = join(tmpdir(), `${PREFIX}${OWNER}`);
const READY_FILE = join(RUN_DIR, 'ready.json');

type Connection = EmbeddedPostgres['connection'];

/** Whether a process runs; EPERM means it does, under another user (the server runs as postgres when we are root). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders of runs whose main process is gone: their server (if any is left) is stopped, the folder removed. */
function sweepStale(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const owner = Number(name.slice(PREFIX.length));
    if (!Number.isInteger(owner) || processAlive(owner)) continue;
    const dir = join(tmpdir(), name);
    try {
      const pid = Number(readFileSync(join(dir, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0 && processAlive(pid)) process.kill(pid, 'SIGQUIT');
    } catch {
      // No server was running.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

let shared: Promise<Connection> | null = null;

async function start(): Promise<Connection> {
  sweepStale();
  let mine = false;
  try {
    mkdirSync(RUN_DIR, { mode: 0o711 });
    mine = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (mine) {
    chmodSync(RUN_DIR, 0o711);
    const server = await startEmbeddedPostgres({ clusterDir: join(RUN_DIR, 'cluster'), passwordFile: join(RUN_DIR, 'password'), watch: OWNER, ifRunning: 'attach', removeOnExit: RUN_DIR });
    writeFileSync(`${READY_FILE}.tmp`, JSON.stringify(server.connection));
    renameSync(`${READY_FILE}.tmp`, READY_FILE);
    return server.connection;
  }
  // Another test file is starting it.
  for (let waited = 0; !existsSync(READY_FILE); waited += 100) {
    if (waited > 90_000) throw new Error(`the shared test PostgreSQL in ${RUN_DIR} did not become ready`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return JSON.parse(readFileSync(READY_FILE, 'utf8')) as Connection;
}

function urlOf(connection: Connection, database: string): string {
  return `postgres://${connection.user}:${encodeURIComponent(connection.password)}@/${database}?host=${encodeURIComponent(connection.host)}&port=${connection.port}`;
}

let counter = 0;

/** A new, empty database on the shared server; its URL. */
export async function newTestDatabase(label = 'hub'): Promise<string> {
  shared ??= start();
  const connection = await shared;
  const name = `${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ ...connection, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return urlOf(connection, name);
}
