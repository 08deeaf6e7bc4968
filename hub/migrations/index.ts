import * as m001 from './001-initial';

/** The hub's own migrations (hub.sqlite), separate from the workstation's (db/migrations). */
export const hubMigrations: readonly { version: number; up: string }[] = [m001];
