import type { PublishedWorkstation } from '../../core/hub/publication';
import { workstationIdOf } from '../../core/register/batch';
import type { Db } from '../../db/database';
import type { ServiceContext } from '../context';

/** The key a paper's QR names, where this workstation learned it, and whether it still stands. */
export interface KnownKey {
  publicKey: Uint8Array;
  officeName: string;
  revokedAt: string | null;
  source: 'self' | 'hub';
}

/**
 * Replaces the keys learned from the hub with the province's latest list (a publication is the
 * whole set). A key that does not hash to the id it is listed under is not kept: the id is the
 * key's fingerprint, and a list that says otherwise is wrong about that workstation.
 */
export function replaceKnownWorkstations(db: Db, version: number, workstations: readonly PublishedWorkstation[]): void {
  db.prepare('DELETE FROM known_workstations').run();
  const insert = db.prepare('INSERT OR REPLACE INTO known_workstations (id, public_key, office_name, enrolled_at, revoked_at, publication_version) VALUES (?, ?, ?, ?, ?, ?)');
  for (const w of workstations) {
    if (workstationIdOf(Buffer.from(w.publicKey, 'base64')) !== w.workstationId) continue;
    insert.run(w.workstationId, w.publicKey, w.officeName, w.enrolledAt, w.revokedAt, version);
  }
}

export function knownKey(ctx: ServiceContext, workstationId: string, officeName: string): KnownKey | null {
  if (workstationId === ctx.workstation.id) return { publicKey: ctx.workstation.publicKey, officeName, revokedAt: null, source: 'self' };
  const row = ctx.db.prepare('SELECT public_key, office_name, revoked_at FROM known_workstations WHERE id = ?').get(workstationId) as { public_key: string; office_name: string; revoked_at: string | null } | undefined;
  return row ? { publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64')), officeName: row.office_name, revokedAt: row.revoked_at, source: 'hub' } : null;
}
