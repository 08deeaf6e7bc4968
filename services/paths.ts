import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The per-user data folder, where the one SQLite file lives unless told otherwise. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'seal-counter');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'seal-counter');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'seal-counter');
}

/** `--db PATH` wins, then SEAL_COUNTER_DB, then the user's data folder. */
export function resolveDbPath(dbFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = dbFlag ?? env.SEAL_COUNTER_DB;
  return chosen ? resolve(chosen) : join(defaultDataDir(), 'seal-counter.sqlite');
}

export function printsDirFor(dbPath: string): string {
  return join(dirname(dbPath), 'prints');
}

/**
 * The workstation's private key sits beside its database, never inside it (a copied database
 * cannot sign), named after it so that two databases in one folder keep two identities.
 */
export function workstationKeyPathFor(dbPath: string): string {
  return `${dbPath.replace(/\.(sqlite3?|db)$/i, '')}.workstation-key.json`;
}

/**
 * The register's witness (core/register/tip.ts) sits beside the key, outside the database, so
 * that emptying or shortening the database cannot make the workstation forget how far it went.
 */
export function registerWitnessPathFor(dbPath: string): string {
  return `${dbPath.replace(/\.(sqlite3?|db)$/i, '')}.register-witness.json`;
}

/** The training database sits beside the real one and is never mistaken for it (npm start -- --training). */
export function trainingDbPathFor(dbPath: string): string {
  return `${dbPath.replace(/\.(sqlite3?|db)$/i, '')}-training.sqlite`;
}
