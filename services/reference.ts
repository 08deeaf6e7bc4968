import type { Response } from '../core/contract';
import { parseHolidays, parseSigners, parseSlips, type AuthorisedSigner, type CalendarDay, type IssuedSlip } from '../core/referenceData';
import type { SlipLookup } from '../core/slips';
import type { Db } from '../db/database';

/**
 * Reference data the administrator imports. Each import replaces the whole table in one
 * transaction: these files are the authoritative lists, not a log.
 */
export function importReference(db: Db, kind: 'slips' | 'signers' | 'holidays', fileName: string, bytes: Uint8Array): Response<'reference.import'> {
  const replace = <T>(table: string, rows: T[], insert: string, values: (row: T) => (string | number | null)[]) => {
    const statement = db.prepare(insert);
    db.transaction(() => {
      db.prepare(`DELETE FROM ${table}`).run();
      for (const row of rows) statement.run(...values(row));
    }).immediate();
    // A file may list the same slip or date twice; what counts is what the table now holds.
    return { kind, count: (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n };
  };
  switch (kind) {
    case 'slips':
      return replace('issued_slips', parseSlips(fileName, bytes), 'INSERT OR REPLACE INTO issued_slips (slip_no, unit, year, issued_on) VALUES (?, ?, ?, ?)', (s: IssuedSlip) => [s.slipNo, s.unit, s.year, s.issuedOn]);
    case 'signers':
      return replace('authorised_signers', parseSigners(fileName, bytes), 'INSERT INTO authorised_signers (name, title, valid_from, valid_to) VALUES (?, ?, ?, ?)', (s: AuthorisedSigner) => [s.name, s.title, s.from, s.to]);
    case 'holidays':
      return replace('calendar_days', parseHolidays(fileName, bytes), 'INSERT OR REPLACE INTO calendar_days (date, kind, name) VALUES (?, ?, ?)', (d: CalendarDay) => [d.date, d.kind, d.name]);
  }
}

export function referenceSummary(db: Db): Response<'reference.summary'> {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { slips: count('issued_slips'), signers: count('authorised_signers'), holidays: count('calendar_days') };
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
