/**
 * A register no one can launder (issue 11).
 *
 * - Each entry is kept as its canonical bytes, the exact text its hash is taken over; the columns
 *   the screens and queries use are generated from those bytes, so they can never disagree with
 *   what was hashed, and the chain is checked by hashing stored bytes rather than rebuilding them.
 *   Each entry also carries the workstation's signature over its hash.
 * - The certificate ledger becomes records bound into the entry that wrote them
 *   (entry_records; `certificates` is a view over it): every entry's hashed content holds the
 *   digest of its records.
 * - The signed tip also names the last batch and the size of the ledger.
 * - Refused sealings and day closes (the register changed outside the app) are kept.
 *
 * Entries and certificates written before this migration are carried over as they were; their
 * hashes still verify, but they hold no ledger digest and no signature, which the register check
 * reports (no release has such entries).
 */
export const version = 3;

/** The canonical text of an entry written before this migration: keys in RFC 8785 order, as its hash was taken. */
const LEGACY_CANONICAL = `json_object('agentName', agent_name, 'agentPhone', agent_phone, 'approver', approver, 'at', at, 'clerk', clerk,
  'clerkAccount', clerk_account, 'correctsSeq', corrects_seq, 'count', count, 'documentKind', document_kind, 'kind', kind, 'prevHash', prev_hash,
  'purpose', purpose, 'remarks', remarks, 'sealId', seal_id, 'sealKind', seal_kind, 'sealName', seal_name, 'seq', seq, 'signMethod', sign_method,
  'slipNo', slip_no, 'unit', unit, 'visitId', visit_id)`;

const field = (name: string, type: 'TEXT' | 'INTEGER', stored = false) =>
  `${type} GENERATED ALWAYS AS (json_extract(CAST(canonical AS TEXT), '$.${name}')) ${stored ? 'STORED' : 'VIRTUAL'}`;
const recordField = (name: string) => `json_extract(record, '$.${name}')`;

export const up = `
DROP TRIGGER register_entries_no_update;
DROP TRIGGER register_entries_no_delete;
DROP TRIGGER certificates_no_update;
DROP TRIGGER certificates_no_delete;

CREATE TABLE register_entries_bound (
  seq INTEGER PRIMARY KEY,
  canonical BLOB NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT,
  at ${field('at', 'TEXT', true)},
  kind ${field('kind', 'TEXT')},
  corrects_seq ${field('correctsSeq', 'INTEGER', true)},
  seal_id ${field('sealId', 'TEXT')},
  seal_name ${field('sealName', 'TEXT')},
  seal_kind ${field('sealKind', 'TEXT')},
  document_kind ${field('documentKind', 'TEXT')},
  count ${field('count', 'INTEGER')},
  unit ${field('unit', 'TEXT')},
  agent_name ${field('agentName', 'TEXT')},
  agent_phone ${field('agentPhone', 'TEXT')},
  slip_no ${field('slipNo', 'TEXT')},
  purpose ${field('purpose', 'TEXT')},
  clerk ${field('clerk', 'TEXT')},
  clerk_account ${field('clerkAccount', 'TEXT')},
  approver ${field('approver', 'TEXT')},
  sign_method ${field('signMethod', 'TEXT')},
  remarks ${field('remarks', 'TEXT')},
  visit_id ${field('visitId', 'INTEGER', true)},
  attachments_digest ${field('attachmentsDigest', 'TEXT')},
  prev_hash ${field('prevHash', 'TEXT')}
) STRICT;
INSERT INTO register_entries_bound (seq, canonical, hash, signature)
  SELECT seq, CAST(${LEGACY_CANONICAL} AS BLOB), hash, NULL FROM register_entries ORDER BY seq;

-- A ledger record is the canonical JSON of one row (its kind included), bound to the entry that wrote it.
CREATE TABLE entry_records (
  id INTEGER PRIMARY KEY,
  entry_seq INTEGER NOT NULL,
  record TEXT NOT NULL,
  kind TEXT GENERATED ALWAYS AS (json_extract(record, '$.kind')) STORED
) STRICT;
INSERT INTO entry_records (id, entry_seq, record)
  SELECT id, entry_seq, json_object('approvalDoc', approval_doc, 'certNo', cert_no, 'idNumber', id_number, 'kind', 'certificate', 'name', name,
    'qualification', qualification, 'reissue', json(CASE reissue WHEN 1 THEN 'true' ELSE 'false' END), 'replacesCertNo', replaces_cert_no,
    'sealedAt', sealed_at, 'unit', unit, 'visitId', visit_id)
  FROM certificates ORDER BY id;

DROP TABLE certificates;
DROP TABLE register_entries;
ALTER TABLE register_entries_bound RENAME TO register_entries;

CREATE INDEX register_entries_by_at ON register_entries(at);
CREATE INDEX register_entries_by_visit ON register_entries(visit_id);
CREATE INDEX register_entries_by_corrects ON register_entries(corrects_seq) WHERE corrects_seq IS NOT NULL;
CREATE INDEX entry_records_by_entry ON entry_records(entry_seq, id);

-- The certificate ledger as the counter reads it (DOMAIN.md §7); voided is derived, never stored.
CREATE VIEW certificates AS
  SELECT id, entry_seq, ${recordField('certNo')} AS cert_no, ${recordField('idNumber')} AS id_number, ${recordField('name')} AS name,
    ${recordField('qualification')} AS qualification, ${recordField('approvalDoc')} AS approval_doc, ${recordField('unit')} AS unit,
    ${recordField('visitId')} AS visit_id, ${recordField('sealedAt')} AS sealed_at, ${recordField('reissue')} AS reissue,
    ${recordField('replacesCertNo')} AS replaces_cert_no
  FROM entry_records WHERE kind = 'certificate';
CREATE INDEX certificates_by_no ON entry_records(${recordField('certNo')}) WHERE kind = 'certificate';
CREATE INDEX certificates_by_person ON entry_records(${recordField('idNumber')}, ${recordField('qualification')}) WHERE kind = 'certificate';
CREATE INDEX certificates_by_replaced ON entry_records(${recordField('replacesCertNo')}) WHERE kind = 'certificate';

CREATE TRIGGER register_entries_no_update BEFORE UPDATE ON register_entries
BEGIN SELECT RAISE(ABORT, '印章使用登记只能追加，不能修改'); END;
CREATE TRIGGER register_entries_no_delete BEFORE DELETE ON register_entries
BEGIN SELECT RAISE(ABORT, '印章使用登记只能追加，不能删除'); END;
CREATE TRIGGER entry_records_no_update BEFORE UPDATE ON entry_records
BEGIN SELECT RAISE(ABORT, '证书台账只能追加，不能修改'); END;
CREATE TRIGGER entry_records_no_delete BEFORE DELETE ON entry_records
BEGIN SELECT RAISE(ABORT, '证书台账只能追加，不能删除'); END;

-- The signed tip also names the last batch and the ledger's size (core/register/tip.ts).
DROP TABLE register_head;
CREATE TABLE register_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  last_batch_no INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  last_record_id INTEGER NOT NULL,
  signature TEXT NOT NULL
) STRICT;

-- Batches name the hash of their ledger records (no release has batches of the earlier kind).
ALTER TABLE batches RENAME COLUMN certificates_hash TO records_hash;

-- Sealings and day closes refused because the register was changed outside the app.
CREATE TABLE register_refusals (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  account TEXT NOT NULL,
  message TEXT NOT NULL
) STRICT;
`;
