import { openDatabase } from '../db/database';
import type { ServiceContext } from './context';
import { createHandlers } from './handlers';
import { printsDirFor } from './paths';

/** Opens the database at `dbPath` and builds the handlers every host and the CLI share. */
export function openServices(dbPath: string, now: () => Date = () => new Date()) {
  const db = openDatabase(dbPath);
  const ctx: ServiceContext = { db, dbPath, printsDir: printsDirFor(dbPath), now };
  return { ctx, handlers: createHandlers(ctx), close: () => db.close() };
}
