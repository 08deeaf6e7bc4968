/**
 * The first schema. Register entries and certificates are append-only: triggers refuse any
 * UPDATE or DELETE, so a mistake can only be corrected by a new entry.
 */
export const version = 1;

export const up = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE approved_lists (
  id INTEGER PRIMARY KEY,
  approval_doc TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  certificate_type TEXT NOT NULL,
  source_file TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE approved_people (
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL REFERENCES approved_lists(id),
  line INTEGER NOT NULL,
  id_number TEXT NOT NULL,
  name TEXT NOT NULL,
  gender TEXT NOT NULL,
  work_unit TEXT NOT NULL,
  department TEXT NOT NULL,
  major TEXT NOT NULL,
  qualification TEXT NOT NULL,
  level TEXT NOT NULL,
  approved_on TEXT NOT NULL,
  lang_requirement TEXT NOT NULL,
  management_no TEXT NOT NULL,
  approval_doc TEXT NOT NULL
) STRICT;
CREATE INDEX approved_people_by_id ON approved_people(id_number);
CREATE INDEX approved_people_by_name ON approved_people(name);
CREATE INDEX approved_people_by_list ON approved_people(list_id, line);

CREATE TABLE visits (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  unit TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  agent_phone TEXT NOT NULL,
  certificate_type TEXT NOT NULL,
  slip_no TEXT NOT NULL,
  slip_count INTEGER,
  slip_signer TEXT NOT NULL,
  clerk TEXT NOT NULL,
  purpose TEXT NOT NULL,
  roster_file TEXT,
  roster_columns TEXT,
  documents_seen TEXT NOT NULL DEFAULT '[]',
  day_acknowledgement TEXT,
  sealed_at TEXT
) STRICT;
CREATE INDEX visits_by_slip ON visits(slip_no) WHERE sealed_at IS NOT NULL;

-- Rows as the unit's file gave them; findings are recomputed while the visit is open and kept
-- as they were at sealing once it is sealed.
CREATE TABLE visit_rows (
  visit_id INTEGER NOT NULL REFERENCES visits(id),
  line INTEGER NOT NULL,
  row_json TEXT NOT NULL,
  acknowledgement TEXT,
  sealed_findings TEXT,
  PRIMARY KEY (visit_id, line)
) STRICT;

CREATE TABLE register_entries (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  seal_id TEXT NOT NULL,
  seal_name TEXT NOT NULL,
  seal_kind TEXT NOT NULL,
  document_kind TEXT NOT NULL,
  count INTEGER NOT NULL,
  unit TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  agent_phone TEXT NOT NULL,
  slip_no TEXT NOT NULL,
  purpose TEXT NOT NULL,
  clerk TEXT NOT NULL,
  approver TEXT NOT NULL,
  sign_method TEXT NOT NULL,
  remarks TEXT NOT NULL,
  visit_id INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX register_entries_by_at ON register_entries(at);
CREATE INDEX register_entries_by_visit ON register_entries(visit_id);

-- A certificate is voided by a later row whose replaces_cert_no names it, never by an update.
CREATE TABLE certificates (
  id INTEGER PRIMARY KEY,
  cert_no TEXT NOT NULL,
  id_number TEXT NOT NULL,
  name TEXT NOT NULL,
  qualification TEXT NOT NULL,
  approval_doc TEXT NOT NULL,
  unit TEXT NOT NULL,
  visit_id INTEGER NOT NULL,
  entry_seq INTEGER NOT NULL REFERENCES register_entries(seq),
  sealed_at TEXT NOT NULL,
  reissue INTEGER NOT NULL,
  replaces_cert_no TEXT
) STRICT;
CREATE INDEX certificates_by_no ON certificates(cert_no);
CREATE INDEX certificates_by_person ON certificates(id_number, qualification);
CREATE INDEX certificates_by_replaced ON certificates(replaces_cert_no);

-- Reference data an administrator imports: slips issued to units, who may sign them, holidays.
CREATE TABLE issued_slips (
  slip_no TEXT PRIMARY KEY,
  unit TEXT NOT NULL,
  year INTEGER NOT NULL,
  issued_on TEXT NOT NULL
) STRICT;

CREATE TABLE authorised_signers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT
) STRICT;

CREATE TABLE calendar_days (
  date TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL
) STRICT;

CREATE TRIGGER register_entries_no_update BEFORE UPDATE ON register_entries
BEGIN SELECT RAISE(ABORT, '印章使用登记只能追加，不能修改'); END;
CREATE TRIGGER register_entries_no_delete BEFORE DELETE ON register_entries
BEGIN SELECT RAISE(ABORT, '印章使用登记只能追加，不能删除'); END;
CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates
BEGIN SELECT RAISE(ABORT, '证书台账只能追加，不能修改'); END;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates
BEGIN SELECT RAISE(ABORT, '证书台账只能追加，不能删除'); END;
`;
