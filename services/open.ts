import { openDatabase } from '../db/database';
import type { ServiceContext } from './context';
import { createHandlers } from './handlers';
import { printsDirFor } from './paths';
import { Session } from './session';
import { SyncAgent } from './sync';
import { loadWorkstationIdentity, type KeyProtector } from './workstationKey';

export interface OpenOptions {
  /** Electron's safeStorage, where the host has one. */
  keyProtector?: KeyProtector;
}

/** Opens the database at `dbPath` and builds the handlers every host and the CLI share. */
export function openServices(dbPath: string, now: () => Date = () => new Date(), options: OpenOptions = {}) {
  const db = openDatabase(dbPath);
  try {
    const workstation = loadWorkstationIdentity(db, dbPath, now(), options.keyProtector);
    const ctx: ServiceContext = { db, dbPath, printsDir: printsDirFor(dbPath), now, session: new Session(), workstation };
    // Made here, started only by the hosts: the CLI and tests sync when they ask to.
    const sync = new SyncAgent(ctx);
    return { ctx, sync, handlers: createHandlers(ctx, sync), close: () => { sync.stop(); db.close(); } };
  } catch (error) {
    db.close();
    throw error;
  }
}

export type Services = ReturnType<typeof openServices>;
