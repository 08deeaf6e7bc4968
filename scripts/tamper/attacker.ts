import Database from 'better-sqlite3';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { registerEntryCanonical, sha256Hex, type RegisterEntry } from '../../core/register/entries';
import { registerWitnessPathFor } from '../../services/paths';

/**
 * What someone with write access to the data file does, with the sqlite3 tool and a few lines of
 * script: drop the triggers, edit rows, and recompute hashes so the chain links again. The tamper
 * kit plays each case with these and nothing the app itself would allow.
 */
export type Db = Database.Database;

export function openAsAttacker(dbPath: string): Db {
  const db = new Database(dbPath);
  db.pragma('foreign_keys = OFF');
  for (const trigger of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER "${trigger}"`);
  return db;
}

export function readEntry(db: Db, seq: number): RegisterEntry & { hash: string } {
  const row = db.prepare('SELECT CAST(canonical AS TEXT) AS canonical, hash FROM register_entries WHERE seq = ?').get(seq) as { canonical: string; hash: string } | undefined;
  if (!row) throw new Error(`no entry ${seq}`);
  return { ...(JSON.parse(row.canonical) as RegisterEntry), hash: row.hash };
}

/** Rewrites an entry's stored bytes; with `rehash`, its hash too, as a careful forger would. */
export function writeEntry(db: Db, position: number, entry: RegisterEntry, options: { rehash: boolean; keepHash?: string }): string {
  const canonical = registerEntryCanonical(entry);
  const hash = options.rehash ? sha256Hex(canonical) : (options.keepHash ?? readEntry(db, position).hash);
  db.prepare('INSERT OR REPLACE INTO register_entries (seq, canonical, hash, signature) VALUES (?, ?, ?, (SELECT signature FROM register_entries WHERE seq = ?))')
    .run(position, Buffer.from(canonical, 'utf8'), hash, position);
  return hash;
}

/** Edits fields of an entry in place. */
export function editEntry(db: Db, seq: number, changes: Partial<RegisterEntry>, rehash: boolean): string {
  const { hash, ...entry } = readEntry(db, seq);
  return writeEntry(db, seq, { ...entry, ...changes }, { rehash, keepHash: hash });
}

/** Recomputes every link and hash from `seq` to the end, so the chain verifies on its own again. */
export function relinkFrom(db: Db, seq: number): void {
  const last = db.prepare('SELECT max(seq) FROM register_entries').pluck().get() as number;
  let previous = seq > 1 ? readEntry(db, seq - 1).hash : '0'.repeat(64);
  for (let s = seq; s <= last; s++) {
    const { hash: _hash, ...entry } = readEntry(db, s);
    previous = writeEntry(db, s, { ...entry, seq: s, prevHash: previous }, { rehash: true });
  }
}

/** Moves entries seq.. up by one place (their stored bytes unchanged), freeing `seq`. */
export function shiftUpFrom(db: Db, seq: number): void {
  db.prepare('UPDATE register_entries SET seq = seq + 100000 WHERE seq >= ?').run(seq);
  db.prepare('UPDATE register_entries SET seq = seq - 99999 WHERE seq >= 100000').run();
}

export function swapEntries(db: Db, a: number, b: number): void {
  db.prepare('UPDATE register_entries SET seq = -1 WHERE seq = ?').run(a);
  db.prepare('UPDATE register_entries SET seq = ? WHERE seq = ?').run(a, b);
  db.prepare('UPDATE register_entries SET seq = ? WHERE seq = -1').run(b);
}

export function recordsOf(db: Db, entrySeq: number): { id: number; record: Record<string, unknown> }[] {
  return (db.prepare('SELECT id, record FROM entry_records WHERE entry_seq = ? ORDER BY id').all(entrySeq) as { id: number; record: string }[])
    .map((r) => ({ id: r.id, record: JSON.parse(r.record) as Record<string, unknown> }));
}

export function editRecord(db: Db, id: number, changes: Record<string, unknown>): void {
  const row = db.prepare('SELECT record FROM entry_records WHERE id = ?').pluck().get(id) as string;
  db.prepare('UPDATE entry_records SET record = ? WHERE id = ?').run(JSON.stringify({ ...(JSON.parse(row) as object), ...changes }), id);
}

export function deleteWitness(dbPath: string): void {
  rmSync(registerWitnessPathFor(dbPath), { force: true });
}

export function editWitness(dbPath: string, changes: Record<string, unknown>): void {
  const path = registerWitnessPathFor(dbPath);
  writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(path, 'utf8')) as object), ...changes }, null, 2));
}
