// The PostgreSQL guardian: the one process between whoever needs an embedded PostgreSQL (the hub
// with --data, a test run, the load test) and the postgres server itself. The server outlives
// its parent when that is killed (it is reparented, keeps its socket and its data folder
// locked), so nothing that can be SIGKILLed may own it directly; the guardian stops it (fast
// shutdown, then immediate) as soon as its owner is gone:
//   --watch stdin   the owner holds our stdin; it closes when the owner exits, however it exits;
//   --watch PID     a process we did not start (a test runner's main process), polled.
// Plain JavaScript and no imports from the project: it runs under plain node, possibly as the
// postgres user, from wherever the checkout is.
//
// argv: postgresBinary clusterDir logFile watch removeOnExit(0|1|DIR) -- postgres flags…
import { spawn } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';

const [postgresBinary, clusterDir, logFile, watch, removeOnExit, separator, ...flags] = process.argv.slice(2);
if (separator !== '--') {
  process.stderr.write('usage: guardian.mjs POSTGRES DIR LOG WATCH REMOVE -- FLAGS\n');
  process.exit(2);
}
const uid = process.env.SEAL_PG_UID ? Number(process.env.SEAL_PG_UID) : undefined;
const gid = process.env.SEAL_PG_GID ? Number(process.env.SEAL_PG_GID) : undefined;

// Never let a logging failure take the guardian down: then nothing would stop the server.
const note = (text) => {
  try {
    appendFileSync(logFile, text);
  } catch {
    // The log is for people; the guardian's duty is the server.
  }
};

const server = spawn(postgresBinary, ['-D', clusterDir, ...flags], {
  stdio: ['ignore', 'ignore', 'pipe'],
  ...(uid !== undefined ? { uid, gid } : {}),
  env: { ...process.env, LC_MESSAGES: 'C' },
});
let ready = false;
let pending = '';
server.stderr.setEncoding('utf8').on('data', (chunk) => {
  note(chunk);
  if (ready) return;
  pending = (pending + chunk).slice(-4096);
  if (pending.includes('database system is ready to accept connections')) {
    ready = true;
    try {
      process.stdout.write('ready\n');
    } catch {
      // An owner that is already gone reads nothing; the watch below stops the server.
    }
  }
});
process.stdout.on('error', () => {});

let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  note(`\nguardian: stopping PostgreSQL (${why})\n`);
  try {
    server.kill('SIGINT');
  } catch {
    // Already gone.
  }
  setTimeout(() => {
    try {
      server.kill('SIGQUIT');
    } catch {
      // Already gone.
    }
  }, 10_000).unref();
}

server.on('error', (error) => {
  note(`\nguardian: could not start PostgreSQL: ${error.message}\n`);
  process.exit(1);
});
server.on('exit', (code, signal) => {
  note(`guardian: PostgreSQL exited (${code ?? signal})\n`);
  if (removeOnExit && removeOnExit !== '0') {
    try {
      rmSync(removeOnExit, { recursive: true, force: true });
    } catch {
      // A folder in use elsewhere stays; the next run's sweep removes it.
    }
  }
  process.exit(code === 0 || stopping ? 0 : 1);
});

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => stop(signal));
process.on('uncaughtException', (error) => {
  note(`\nguardian: ${error && error.stack ? error.stack : String(error)}\n`);
  stop('guardian error');
});

if (watch === 'stdin') {
  process.stdin.on('end', () => stop('owner gone'));
  process.stdin.on('close', () => stop('owner gone'));
  process.stdin.on('error', () => stop('owner gone'));
  process.stdin.resume();
} else {
  const ownerPid = Number(watch);
  setInterval(() => {
    try {
      process.kill(ownerPid, 0);
    } catch (error) {
      if (error && error.code === 'ESRCH') stop(`owner ${ownerPid} gone`);
    }
  }, 250);
}
