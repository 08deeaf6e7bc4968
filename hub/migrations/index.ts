import * as m001 from './001-postgresql';

export interface HubMigration {
  version: number;
  up: string;
}

/** The hub's own migrations (PostgreSQL), separate from the workstation's (db/migrations). */
export const hubMigrations: readonly HubMigration[] = [m001];
