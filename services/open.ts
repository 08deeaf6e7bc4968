import { openDatabase } from '../db/database';
import type { ServiceContext } from './context';
import { createHandlers } from './handlers';
import { printsDirFor } from './paths';
import { Session } from './session';
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
    return { ctx, handlers: createHandlers(ctx), close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

export type Services = ReturnType<typeof openServices>;
