import type { Request, Response } from '../../core/contract';
import { parseHolidays, parseSigners, parseSlips, parseUnits, type UnitRecord } from '../../core/settings/referenceData';
import type { CalendarDay } from '../../core/verify/calendar';
import type { AuthorisedSigner, IssuedSlip, SlipLookup } from '../../core/verify/slips';
import type { Db } from '../../db/database';

/**
 * Reference data the administrator imports. Each import replaces the whole table in one
 * transaction: these files are the authoritative lists, not a log.
 */
export async function importReference(db: Db, kind: Request<'reference.import'>['kind'], fileName: string, bytes: Uint8Array): Promise<Response<'reference.import'>> {
  switch (kind) {
    case 'slips':
      return { kind, count: replaceIssuedSlips(db, parseSlips(fileName, bytes)) };
    case 'signers':
      return { kind, count: replaceTable(db, 'authorised_signers', parseSigners(fileName, bytes), 'INSERT INTO authorised_signers (name, title, valid_from, valid_to) VALUES (?, ?, ?, ?)', (s: AuthorisedSigner) => [s.name, s.title, s.from, s.to]) };
    case 'holidays':
      return { kind, count: replaceTable(db, 'calendar_days', parseHolidays(fileName, bytes), 'INSERT OR REPLACE INTO calendar_days (date, kind, name) VALUES (?, ?, ?)', (d: CalendarDay) => [d.date, d.kind, d.name]) };
    case 'units': {
      const { pinyinInitials } = await import('../../core/settings/pinyin');
      return { kind, count: replaceTable(db, 'units', parseUnits(fileName, bytes, pinyinInitials), 'INSERT OR REPLACE INTO units (name, category, region_code, initials) VALUES (?, ?, ?, ?)', (u: UnitRecord) => [u.name, u.category, u.regionCode, u.initials]) };
    }
  }
}

/** The slips issued to units, from the administrator's file or the hub's signed publication. */
export function replaceIssuedSlips(db: Db, slips: IssuedSlip[]): number {
  return replaceTable(db, 'issued_slips', slips, 'INSERT OR REPLACE INTO issued_slips (slip_no, unit, year, issued_on) VALUES (?, ?, ?, ?)', (s: IssuedSlip) => [s.slipNo, s.unit, s.year, s.issuedOn]);
}

/** Replaces a table's rows in one transaction; returns how many it then holds (a file may list one slip or date twice). */
function replaceTable<T>(db: Db, table: string, rows: T[], insert: string, values: (row: T) => (string | number | null)[]): number {
  const statement = db.prepare(insert);
  db.transaction(() => {
    db.prepare(`DELETE FROM ${table}`).run();
    for (const row of rows) statement.run(...values(row));
  }).immediate();
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

export function referenceSummary(db: Db): Response<'reference.summary'> {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { slips: count('issued_slips'), signers: count('authorised_signers'), holidays: count('calendar_days'), units: count('units') };
}

export function listUnits(db: Db): Response<'reference.units'> {
  return db.prepare('SELECT name, category, initials FROM units ORDER BY region_code, name').all() as Response<'reference.units'>;
}

/** A database made by `training-db` marks itself: every screen and print of it says 培训. */
export function isTrainingDb(db: Db): boolean {
  return db.prepare('SELECT 1 FROM training_mode').get() !== undefined;
}

export function loadCalendar(db: Db): Map<string, CalendarDay> {
  const rows = db.prepare('SELECT date, kind, name FROM calendar_days').all() as CalendarDay[];
  return new Map(rows.map((d) => [d.date, d]));
}

/** Slips are consumed by sealing: a slip is used once a sealed visit names it. */
export function slipLookup(db: Db, exceptVisitId: number): SlipLookup {
  const issued = db.prepare('SELECT slip_no AS slipNo, unit, year, issued_on AS issuedOn FROM issued_slips WHERE slip_no = ?');
  const used = db.prepare('SELECT sealed_at FROM visits WHERE slip_no = ? AND sealed_at IS NOT NULL AND id != ? ORDER BY sealed_at LIMIT 1').pluck();
  const signers = db.prepare('SELECT name, title, valid_from AS "from", valid_to AS "to" FROM authorised_signers').all() as AuthorisedSigner[];
  return {
    issued: (slipNo) => issued.get(slipNo) as IssuedSlip | undefined,
    usedAt: (slipNo) => {
      const at = used.get(slipNo, exceptVisitId) as string | undefined;
      return at?.replace('T', ' ').slice(0, 16);
    },
    signers,
  };
}
