import { sha256Hex } from '../core/register/entries';
import type { ConflictKind, HubConflict, Sighting } from '../core/hub/protocol';
import type { HubDb, Queryable } from './db';

/**
 * Conflicts only the centre can see (DOMAIN.md §9): while two offices were offline, both sealed
 * the same certificate number, or both sealed a certificate for the same person and 资格名称.
 *
 * A person conflict needs two workstations AND two certificate numbers: one number at two
 * offices is already the cert-no conflict, and saying it twice would only confuse the clerk. A
 * reissue at the same workstation (two numbers, one office) is the normal way to replace a
 * certificate and is not a conflict.
 */
export function conflictId(kind: ConflictKind, key: readonly string[]): string {
  // Stable across runs and hubs, and safe to use as a key on the workstation.
  return `${kind}-${sha256Hex(JSON.stringify([kind, ...key])).slice(0, 20)}`;
}

// Any fixed number: the advisory lock under which one batch at a time is compared.
const CONFLICT_LOCK = 517_003;

/**
 * Compares a stored batch's certificates with every other office's, once, after the batch is
 * committed; `conflict_checks` says which batches still wait for it.
 *
 * Two nodes storing batches of two offices that share a certificate number must not both miss
 * the conflict, each seeing only its own rows. So comparisons take turns under one lock, and each
 * starts after the batches it compares with were committed: the second comparison sees the first
 * batch (READ COMMITTED reads what is committed when each statement starts). The batch itself was
 * committed durably before; the comparison's commit need not wait for the disk
 * (synchronous_commit off), so the turn is short. Should that commit be lost in a crash, the
 * check is still waiting and is done again (checkPendingConflicts).
 */
export async function checkConflicts(db: HubDb, at: string, workstationId: string, batchNo: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL synchronous_commit = off');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CONFLICT_LOCK]);
    const pending = await tx.query('DELETE FROM conflict_checks WHERE workstation_id = $1 AND batch_no = $2 RETURNING 1', [workstationId, batchNo]);
    // Another node did it meanwhile.
    if (pending.length === 0) return 0;
    const certificates = await tx.query<{ cert_no: string; id_number: string; qualification: string }>('SELECT cert_no, id_number, qualification FROM certificates WHERE workstation_id = $1 AND batch_no = $2', [workstationId, batchNo]);
    return detectConflicts(tx, at, certificates);
  });
}

/** The comparisons a node killed half way did not do (run by every node at start and every minute). */
export async function checkPendingConflicts(db: HubDb, at: string): Promise<number> {
  let found = 0;
  for (const { workstation_id: ws, batch_no: no } of await db.query<{ workstation_id: string; batch_no: number }>('SELECT workstation_id, batch_no FROM conflict_checks ORDER BY workstation_id, batch_no LIMIT 1000')) {
    found += await checkConflicts(db, at, ws, no);
  }
  return found;
}

async function detectConflicts(tx: Queryable, at: string, certificates: readonly { cert_no: string; id_number: string; qualification: string }[]): Promise<number> {
  const certNos = [...new Set(certificates.map((c) => c.cert_no).filter((n) => n.trim()))];
  const people = [...new Map(certificates.filter((c) => c.id_number.trim() && c.qualification.trim()).map((c) => [JSON.stringify([c.id_number, c.qualification]), c])).values()];
  const byCertNo = await tx.query<{ cert_no: string }>(`SELECT cert_no FROM certificates WHERE cert_no = ANY($1::text[])
    GROUP BY cert_no HAVING count(DISTINCT workstation_id) > 1`, [certNos]);
  const byPerson = await tx.query<{ id_number: string; qualification: string }>(`SELECT c.id_number, c.qualification FROM certificates c
    JOIN unnest($1::text[], $2::text[]) AS p(id_number, qualification) USING (id_number, qualification)
    GROUP BY c.id_number, c.qualification HAVING count(DISTINCT c.workstation_id) > 1 AND count(DISTINCT c.cert_no) > 1`,
  [people.map((p) => p.id_number), people.map((p) => p.qualification)]);
  let found = 0;
  const keep = async (id: string, kind: ConflictKind, certNo: string, idNumber: string, qualification: string, members: string) => {
    // A new sighting of a known conflict moves its change number, so workstations fetch it again.
    const inserted = await tx.query<{ fresh: boolean }>(`INSERT INTO conflicts (id, kind, cert_no, id_number, qualification, detected_at) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (id) DO UPDATE SET change_no = nextval('conflict_changes') RETURNING (xmax = 0) AS fresh`, [id, kind, certNo, idNumber, qualification, at]);
    if (inserted[0]?.fresh) found++;
    await tx.query(`INSERT INTO conflict_members (conflict_id, workstation_id) SELECT DISTINCT $1::text, workstation_id FROM certificates WHERE ${members} ON CONFLICT DO NOTHING`,
      kind === 'cert-no' ? [id, certNo] : [id, idNumber, qualification]);
  };
  for (const { cert_no: certNo } of byCertNo) await keep(conflictId('cert-no', [certNo]), 'cert-no', certNo, '', '', 'cert_no = $2');
  for (const p of byPerson) await keep(conflictId('person', [p.id_number, p.qualification]), 'person', '', p.id_number, p.qualification, 'id_number = $2 AND qualification = $3');
  return found;
}

interface ConflictRow {
  id: string;
  kind: ConflictKind;
  cert_no: string;
  id_number: string;
  qualification: string;
  detected_at: string;
}

interface SightingRow {
  workstation_id: string;
  office_name: string;
  entry_seq: number;
  cert_no: string;
  id_number: string;
  name: string;
  qualification: string;
  unit: string;
  sealed_at: string;
  reissue: boolean;
}

const SIGHTING_COLUMNS = `c.workstation_id, w.office_name, c.entry_seq, c.cert_no, c.id_number, c.name, c.qualification, c.unit, c.sealed_at, c.reissue
  FROM certificates c JOIN workstations w ON w.id = c.workstation_id`;

/**
 * A tag for "the conflicts this workstation is in, as they stand": it changes whenever one is added
 * or gains a sighting, so the workstation's next request can be answered 304.
 */
export async function conflictsTag(db: Queryable, workstationId: string): Promise<string> {
  const row = await db.one<{ n: number; latest: number | null }>(`SELECT count(*) AS n, max(c.change_no) AS latest FROM conflict_members m
    JOIN conflicts c ON c.id = m.conflict_id WHERE m.workstation_id = $1`, [workstationId]);
  return `"c${row?.n ?? 0}-${row?.latest ?? 0}"`;
}

/** The conflicts in which `workstationId` has a sighting, with every sighting (its own and the others'). */
export async function conflictsFor(db: Queryable, workstationId: string): Promise<HubConflict[]> {
  const rows = await db.query<ConflictRow>(`SELECT c.* FROM conflicts c JOIN conflict_members m ON m.conflict_id = c.id
    WHERE m.workstation_id = $1 ORDER BY c.detected_at, c.id`, [workstationId]);
  const result: HubConflict[] = [];
  for (const row of rows) {
    const sightingRows = row.kind === 'cert-no'
      ? await db.query<SightingRow>(`SELECT ${SIGHTING_COLUMNS} WHERE c.cert_no = $1 ORDER BY c.sealed_at, c.id`, [row.cert_no])
      : await db.query<SightingRow>(`SELECT ${SIGHTING_COLUMNS} WHERE c.id_number = $1 AND c.qualification = $2 ORDER BY c.sealed_at, c.id`, [row.id_number, row.qualification]);
    const sightings: Sighting[] = sightingRows.map((s) => ({
      workstationId: s.workstation_id,
      officeName: s.office_name,
      entrySeq: s.entry_seq,
      certNo: s.cert_no,
      idNumber: s.id_number,
      name: s.name,
      qualification: s.qualification,
      unit: s.unit,
      sealedAt: s.sealed_at,
      reissue: s.reissue,
    }));
    const first = sightings[0];
    result.push({
      id: row.id,
      kind: row.kind,
      certNo: row.kind === 'cert-no' ? row.cert_no : first?.certNo ?? '',
      idNumber: row.kind === 'person' ? row.id_number : first?.idNumber ?? '',
      name: first?.name ?? '',
      qualification: row.kind === 'person' ? row.qualification : first?.qualification ?? '',
      detectedAt: row.detected_at,
      sightings,
    });
  }
  return result;
}

export async function conflictCount(db: Queryable): Promise<number> {
  return (await db.one<{ n: number }>('SELECT count(*) AS n FROM conflicts'))!.n;
}
