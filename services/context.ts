import type { Db } from '../db/database';
import type { Session } from './session';
import type { WorkstationIdentity } from './workstationKey';

/** What every service needs; time and keys are passed in so that tests can fix them. */
export interface ServiceContext {
  db: Db;
  dbPath: string;
  /** Where printed PDFs are kept. */
  printsDir: string;
  now: () => Date;
  session: Session;
  workstation: WorkstationIdentity;
}

/** Local calendar date, YYYY-MM-DD: the counter's day, not UTC's. */
export function localDate(at: Date): string {
  return localTimestamp(at).slice(0, 10);
}

/** ISO 8601 local time with its UTC offset, e.g. 2026-11-22T09:31:05+08:00. */
export function localTimestamp(at: Date): string {
  const offsetMinutes = -at.getTimezoneOffset();
  const shifted = new Date(at.getTime() + offsetMinutes * 60000);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted.toISOString().slice(0, 19)}${offset}`;
}

export function decodeUpload(dataBase64: string): Uint8Array {
  return new Uint8Array(Buffer.from(dataBase64, 'base64'));
}

/**
 * The clock: real time, unless SEAL_COUNTER_CLOCK fixes it (an ISO timestamp) so that end-to-end
 * tests get the same calendar and slip years on any day they run.
 */
export function clockFromEnvironment(env: NodeJS.ProcessEnv = process.env): () => Date {
  const fixed = env.SEAL_COUNTER_CLOCK;
  if (!fixed) return () => new Date();
  const at = new Date(fixed);
  if (Number.isNaN(at.getTime())) throw new Error(`SEAL_COUNTER_CLOCK is not a timestamp: ${fixed}`);
  return () => at;
}
