import type { CertificateRecord } from '../core/register/records';
import { sha256Hex } from '../core/register/entries';
import type { ConflictKind, HubConflict, Sighting } from '../core/hub/protocol';
import type { Hub } from './store';

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

/** Runs inside the transaction that stores the batch, after its certificates are inserted. */
export function detectConflicts(hub: Hub, certificates: readonly (CertificateRecord & { entrySeq: number })[]): number {
  const byCertNo = hub.db.prepare('SELECT COUNT(DISTINCT workstation_id) AS stations FROM certificates WHERE cert_no = ?');
  const byPerson = hub.db.prepare('SELECT COUNT(DISTINCT workstation_id) AS stations, COUNT(DISTINCT cert_no) AS numbers FROM certificates WHERE id_number = ? AND qualification = ?');
  const insert = hub.db.prepare('INSERT OR IGNORE INTO conflicts (id, kind, cert_no, id_number, qualification, detected_at) VALUES (?, ?, ?, ?, ?, ?)');
  const at = hub.timestamp();
  let found = 0;
  const seenCertNos = new Set<string>();
  const seenPeople = new Set<string>();
  for (const certificate of certificates) {
    if (certificate.certNo.trim() && !seenCertNos.has(certificate.certNo)) {
      seenCertNos.add(certificate.certNo);
      const { stations } = byCertNo.get(certificate.certNo) as { stations: number };
      if (stations > 1) found += insert.run(conflictId('cert-no', [certificate.certNo]), 'cert-no', certificate.certNo, '', '', at).changes;
    }
    const personKey = JSON.stringify([certificate.idNumber, certificate.qualification]);
    if (certificate.idNumber.trim() && certificate.qualification.trim() && !seenPeople.has(personKey)) {
      seenPeople.add(personKey);
      const { stations, numbers } = byPerson.get(certificate.idNumber, certificate.qualification) as { stations: number; numbers: number };
      if (stations > 1 && numbers > 1) {
        found += insert.run(conflictId('person', [certificate.idNumber, certificate.qualification]), 'person', '', certificate.idNumber, certificate.qualification, at).changes;
      }
    }
  }
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
  reissue: number;
}

const SIGHTING_COLUMNS = `c.workstation_id, w.office_name, c.entry_seq, c.cert_no, c.id_number, c.name, c.qualification, c.unit, c.sealed_at, c.reissue
  FROM certificates c JOIN workstations w ON w.id = c.workstation_id`;

/** The conflicts in which `workstationId` has a sighting, with every sighting (its own and the others'). */
export function conflictsFor(hub: Hub, workstationId: string): HubConflict[] {
  const involvedByCertNo = hub.db.prepare('SELECT 1 FROM certificates WHERE cert_no = ? AND workstation_id = ? LIMIT 1').pluck();
  const involvedByPerson = hub.db.prepare('SELECT 1 FROM certificates WHERE id_number = ? AND qualification = ? AND workstation_id = ? LIMIT 1').pluck();
  const sightingsByCertNo = hub.db.prepare(`SELECT ${SIGHTING_COLUMNS} WHERE c.cert_no = ? ORDER BY c.sealed_at, c.id`);
  const sightingsByPerson = hub.db.prepare(`SELECT ${SIGHTING_COLUMNS} WHERE c.id_number = ? AND c.qualification = ? ORDER BY c.sealed_at, c.id`);
  const result: HubConflict[] = [];
  // Conflicts are few (each is an incident); the certificates are many and indexed by both keys.
  for (const row of hub.db.prepare('SELECT * FROM conflicts ORDER BY detected_at, id').all() as ConflictRow[]) {
    const involved = row.kind === 'cert-no' ? involvedByCertNo.get(row.cert_no, workstationId) : involvedByPerson.get(row.id_number, row.qualification, workstationId);
    if (!involved) continue;
    const sightingRows = (row.kind === 'cert-no' ? sightingsByCertNo.all(row.cert_no) : sightingsByPerson.all(row.id_number, row.qualification)) as SightingRow[];
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
      reissue: s.reissue === 1,
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

export function conflictCount(hub: Hub): number {
  return hub.db.prepare('SELECT COUNT(*) FROM conflicts').pluck().get() as number;
}
