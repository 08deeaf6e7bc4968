import * as m001 from './001-initial';

/** Every migration, in order. A new schema change is a new numbered file added here. */
export const migrations: readonly { version: number; up: string }[] = [m001];
