import { sha256HexOfBytes } from '../../core/register/entries';
import type { Db } from '../../db/database';

/**
 * Which file a visit's roster came from, by its SHA-256: on the counter day this is what is
 * compared with the 预审 the unit brings (services/supervision/precheck.ts). Called by the
 * roster import inside its own transaction, so the digest always names the rows stored.
 */
export function recordRosterFile(db: Db, visitId: number, fileName: string, bytes: Uint8Array): void {
  db.prepare('INSERT OR REPLACE INTO visit_roster_files (visit_id, file_name, digest) VALUES (?, ?, ?)').run(visitId, fileName, sha256HexOfBytes(bytes));
}

export function rosterFileOf(db: Db, visitId: number): { fileName: string; digest: string } | undefined {
  return db.prepare('SELECT file_name AS fileName, digest FROM visit_roster_files WHERE visit_id = ?').get(visitId) as { fileName: string; digest: string } | undefined;
}
