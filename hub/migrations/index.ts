import * as m001 from './001-postgresql';
import * as m002 from './002-revocations';
import * as m003 from './003-workstation-keys';

export interface HubMigration {
  version: number;
  up: string;
}

/** The hub's own migrations (PostgreSQL), separate from the workstation's (db/migrations). */
export const hubMigrations: readonly HubMigration[] = [m001, m002, m003];
