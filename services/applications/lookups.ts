import type { Bar, LedgerOriginal, RevokedQualification } from '../../core/applications/replacements';
import type { ConfirmationDecided, ConfirmationFiled, ReplacementFiled, Revocation, RevocationLifted } from '../../core/applications/records';
import { revocationKey } from '../../core/applications/revocations';
import type { ReplacementApplicationRef } from '../../core/verify/verifyRoster';
import { normalizeName } from '../../core/verify/text';
import { preparedOnce, type Db } from '../../db/database';
import type { CertificateViewRow } from '../visits/ledger';

/**
 * What the rules of core/applications and the roster check look up, answered from the register's
 * records through the indexes of migration 007.
 */

const shortTime = (at: string) => at.replace('T', ' ').slice(0, 16);

function replacementOf(db: Db, certNo: string): CertificateViewRow | undefined {
  return preparedOnce(db, 'SELECT * FROM certificates WHERE replaces_cert_no = ? ORDER BY id LIMIT 1').get(certNo) as CertificateViewRow | undefined;
}

export function ledgerOriginal(db: Db, certNo: string): LedgerOriginal | undefined {
  const row = preparedOnce(db, 'SELECT * FROM certificates WHERE cert_no = ? ORDER BY id DESC LIMIT 1').get(certNo) as CertificateViewRow | undefined;
  if (!row) return undefined;
  const voider = replacementOf(db, certNo);
  return {
    certNo: row.cert_no, idNumber: row.id_number, name: row.name, qualification: row.qualification, approvalDoc: row.approval_doc,
    sealedAt: shortTime(row.sealed_at), unit: row.unit, entrySeq: row.entry_seq, voidedBy: voider ? { certNo: voider.cert_no, sealedAt: shortTime(voider.sealed_at) } : null,
  };
}

export function voidedWithoutLedger(db: Db, certNo: string): { certNo: string; sealedAt: string } | undefined {
  const voider = replacementOf(db, certNo);
  return voider && { certNo: voider.cert_no, sealedAt: shortTime(voider.sealed_at) };
}

/** The sealing that closed a replacement: the new certificate voiding its original, sealed after the application. */
export function closingSealing(db: Db, filed: { entrySeq: number; record: ReplacementFiled }): { entrySeq: number; certNo: string; sealedAt: string; visitId: number; unit: string } | null {
  const row = preparedOnce(db, 'SELECT * FROM certificates WHERE replaces_cert_no = ? AND id_number = ? AND entry_seq > ? ORDER BY id LIMIT 1')
    .get(filed.record.original.certNo, filed.record.person.idNumber, filed.entrySeq) as CertificateViewRow | undefined;
  return row ? { entrySeq: row.entry_seq, certNo: row.cert_no, sealedAt: row.sealed_at, visitId: row.visit_id, unit: row.unit } : null;
}

function returned(db: Db, appNo: string): boolean {
  return preparedOnce(db, "SELECT 1 FROM application_records WHERE event = 'replacement-returned' AND app_no = ?").get(appNo) !== undefined;
}

/** The applications naming this original, newest last, with whether each is still open. */
function replacementsNaming(db: Db, certNo: string): { entrySeq: number; record: ReplacementFiled; open: boolean; returned: boolean }[] {
  const rows = preparedOnce(db, "SELECT entry_seq, record FROM entry_records WHERE kind = 'application' AND json_extract(record, '$.original.certNo') = ? AND json_extract(record, '$.event') = 'replacement-filed' ORDER BY id")
    .raw().all(certNo) as [number, string][];
  return rows.map(([entrySeq, text]) => {
    const record = JSON.parse(text) as ReplacementFiled;
    const wasReturned = returned(db, record.appNo);
    return { entrySeq, record, returned: wasReturned, open: !wasReturned && closingSealing(db, { entrySeq, record }) === null };
  });
}

export function openReplacementApplication(db: Db, certNo: string): { appNo: string; filedAt: string } | undefined {
  const open = replacementsNaming(db, certNo).find((a) => a.open);
  return open && { appNo: open.record.appNo, filedAt: open.record.filedAt };
}

/** For the roster check: the latest application naming this original that was not returned. */
export function replacementApplicationRef(db: Db, certNo: string): ReplacementApplicationRef | undefined {
  const latest = replacementsNaming(db, certNo).filter((a) => !a.returned).pop();
  return latest && { appNo: latest.record.appNo, idNumber: latest.record.person.idNumber, open: latest.open, paperOriginal: latest.record.originEntrySeq === null };
}

/** Revocations in force: recorded, and not lifted by a later publication of the province. */
export function revocationsOf(db: Db, idNumber: string): { entrySeq: number; record: Revocation; lifted: boolean }[] {
  const rows = preparedOnce(db, "SELECT entry_seq, record FROM entry_records WHERE kind = 'application' AND json_extract(record, '$.idNumber') = ? ORDER BY id")
    .raw().all(idNumber) as [number, string][];
  const result: { entrySeq: number; record: Revocation; lifted: boolean }[] = [];
  for (const [entrySeq, text] of rows) {
    const record = JSON.parse(text) as Revocation | RevocationLifted | { event: string };
    if (record.event === 'revocation') result.push({ entrySeq, record: record as Revocation, lifted: false });
    else if (record.event === 'revocation-lifted') {
      const key = revocationKey(record as RevocationLifted);
      // Lifting takes back what was there before it; a revocation published again later stands.
      for (const earlier of result) if (revocationKey(earlier.record) === key) earlier.lifted = true;
    }
  }
  return result;
}

export function revokedQualification(db: Db, idNumber: string, qualification: string): RevokedQualification | undefined {
  const found = revocationsOf(db, idNumber).find((r) => !r.lifted && normalizeName(r.record.qualification) === normalizeName(qualification));
  return found && { document: found.record.document, revokedOn: found.record.revokedOn, barUntil: found.record.barUntil };
}

/** The bar on this person that ends last, of those in force today: a revocation's, or false confirmation materials'. */
export function barOn(db: Db, idNumber: string, today: string): Bar | undefined {
  const bars: Bar[] = [];
  for (const { record, lifted } of revocationsOf(db, idNumber)) {
    if (!lifted && record.barUntil && record.barUntil >= today) {
      bars.push({ from: record.revokedOn, until: record.barUntil, why: `的“${record.qualification}”资格已依 ${record.document} 取消` });
    }
  }
  for (const { record } of confirmationsOf(db, idNumber)) {
    const decision = decisionOf(db, record.appNo);
    if (decision?.record.bar && decision.record.bar.until >= today) {
      bars.push({ from: decision.record.bar.from, until: decision.record.bar.until, why: `在确认申请 ${record.appNo} 中提交虚假材料（${decision.record.decidedOn} 不予确认）` });
    }
  }
  return bars.sort((a, b) => (a.until < b.until ? 1 : -1))[0];
}

export function confirmationsOf(db: Db, idNumber: string): { id: number; entrySeq: number; record: ConfirmationFiled }[] {
  const rows = preparedOnce(db, "SELECT id, entry_seq, record FROM entry_records WHERE kind = 'application' AND json_extract(record, '$.person.idNumber') = ? AND json_extract(record, '$.event') = 'confirmation-filed' ORDER BY id")
    .raw().all(idNumber) as [number, number, string][];
  return rows.map(([id, entrySeq, text]) => ({ id, entrySeq, record: JSON.parse(text) as ConfirmationFiled }));
}

export function decisionOf(db: Db, appNo: string): { entrySeq: number; record: ConfirmationDecided } | undefined {
  const row = preparedOnce(db, "SELECT entry_seq, record FROM application_records WHERE app_no = ? AND event = 'confirmation-decided' ORDER BY id LIMIT 1").raw().get(appNo) as [number, string] | undefined;
  return row && { entrySeq: row[0], record: JSON.parse(row[1]) as ConfirmationDecided };
}
