import { officeDate, officeTimestamp } from '../core/time';
import type { Db } from '../db/database';
import type { Session } from './accounts/session';
import type { DataFileHealth } from './instance/fileCheck';
import type { AppLog } from './log/log';
import type { WorkstationIdentity } from './register/workstationKey';

/**
 * The office's clock: what time it is, and that time as the office writes it (its own zone, with
 * the offset), whatever zone the PC is set to. Tests pass a clock they can move.
 */
export interface OfficeClock {
  now: () => Date;
  /** ISO 8601 in the office's zone, e.g. 2026-11-22T09:31:05+08:00; of now unless `at` is given. */
  timestamp: (at?: Date) => string;
  /** YYYY-MM-DD in the office's zone. */
  date: (at?: Date) => string;
}

export function officeClock(now: () => Date, timeZone: () => string): OfficeClock {
  return {
    now,
    timestamp: (at = now()) => officeTimestamp(at, timeZone()),
    date: (at = now()) => officeDate(at, timeZone()),
  };
}

/** What every service needs; time and keys are passed in so that tests can fix them. */
export interface ServiceContext {
  db: Db;
  dbPath: string;
  /** Where printed PDFs are kept. */
  printsDir: string;
  clock: OfficeClock;
  session: Session;
  workstation: WorkstationIdentity;
  /** The log file beside the database, and the background failures the header shows. */
  log: AppLog;
  /** Whether the data file was checked at open, and what its background check found. */
  dataFile: DataFileHealth;
}

export function decodeUpload(dataBase64: string): Uint8Array {
  return new Uint8Array(Buffer.from(dataBase64, 'base64'));
}
