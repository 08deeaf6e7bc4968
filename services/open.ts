import { openDatabase } from '../db/database';
import { officeClock, type ServiceContext } from './context';
import { createHandlers } from './handlers';
import { printsDirFor } from './paths';
import { Session } from './accounts/session';
import { SyncAgent } from './sync/sync';
import { loadWorkstationIdentity, type KeyProtector } from './register/workstationKey';
import { loadSettings } from './settings/settings';

export interface OpenOptions {
  /** Electron's safeStorage, where the host has one. */
  keyProtector?: KeyProtector;
}

/** Opens the database at `dbPath` and builds the handlers every host and the CLI share. */
export function openServices(dbPath: string, now: () => Date = () => new Date(), options: OpenOptions = {}) {
  const db = openDatabase(dbPath);
  try {
    const clock = officeClock(now, () => loadSettings(db).timeZone);
    const workstation = loadWorkstationIdentity(db, dbPath, clock.timestamp(), options.keyProtector);
    const ctx: ServiceContext = { db, dbPath, printsDir: printsDirFor(dbPath), clock, session: new Session(), workstation };
    // Made here, started only by the hosts: the CLI and tests sync when they ask to.
    const sync = new SyncAgent(ctx);
    return { ctx, sync, handlers: createHandlers(ctx, sync), close: () => { sync.stop(); db.close(); } };
  } catch (error) {
    db.close();
    throw error;
  }
}

export type Services = ReturnType<typeof openServices>;
