import * as m001 from './001-initial';
import * as m002 from './002-ledger-records';

/** The hub's own migrations (hub.sqlite), separate from the workstation's (db/migrations). */
export const hubMigrations: readonly { version: number; up: string }[] = [m001, m002];
