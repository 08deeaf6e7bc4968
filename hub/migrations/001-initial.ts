/**
 * The hub's first schema. What workstations sent (batches, entries, certificates) is kept as
 * received and never changed: triggers refuse UPDATE and DELETE, as on the workstation.
 */
export const version = 1;

export const up = `
CREATE TABLE hub_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Enrolled workstations. The id is derived from the key (workstationIdOf), so one cannot be
-- claimed with another key. Revoking keeps the row: its batches stay attributable.
CREATE TABLE workstations (
  id TEXT PRIMARY KEY,
  public_key TEXT NOT NULL UNIQUE,
  office_name TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;

CREATE TABLE batches (
  workstation_id TEXT NOT NULL REFERENCES workstations(id),
  batch_no INTEGER NOT NULL,
  batch_id TEXT NOT NULL UNIQUE,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  entry_count INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  last_hash TEXT NOT NULL,
  certificates_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  signature TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (workstation_id, batch_no)
) STRICT;

CREATE TABLE entries (
  workstation_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  batch_no INTEGER NOT NULL,
  hash TEXT NOT NULL,
  entry_json TEXT NOT NULL,
  PRIMARY KEY (workstation_id, seq),
  FOREIGN KEY (workstation_id, batch_no) REFERENCES batches(workstation_id, batch_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE certificates (
  id INTEGER PRIMARY KEY,
  workstation_id TEXT NOT NULL,
  batch_no INTEGER NOT NULL,
  entry_seq INTEGER NOT NULL,
  cert_no TEXT NOT NULL,
  id_number TEXT NOT NULL,
  name TEXT NOT NULL,
  qualification TEXT NOT NULL,
  approval_doc TEXT NOT NULL,
  unit TEXT NOT NULL,
  sealed_at TEXT NOT NULL,
  reissue INTEGER NOT NULL,
  replaces_cert_no TEXT,
  FOREIGN KEY (workstation_id, batch_no) REFERENCES batches(workstation_id, batch_no)
) STRICT;
-- Conflicts are looked up by these two keys whenever a batch arrives.
CREATE INDEX certificates_by_cert_no ON certificates(cert_no, workstation_id);
CREATE INDEX certificates_by_person ON certificates(id_number, qualification, workstation_id);
CREATE INDEX certificates_by_batch ON certificates(workstation_id, batch_no);

CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches BEGIN SELECT RAISE(ABORT, '已接收的批次不能修改'); END;
CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches BEGIN SELECT RAISE(ABORT, '已接收的批次不能删除'); END;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, '已接收的登记不能修改'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, '已接收的登记不能删除'); END;
CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates BEGIN SELECT RAISE(ABORT, '已接收的证书记录不能修改'); END;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates BEGIN SELECT RAISE(ABORT, '已接收的证书记录不能删除'); END;

-- One row per conflict key; its sightings are the certificates rows sharing the key.
CREATE TABLE conflicts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('cert-no', 'person')),
  cert_no TEXT NOT NULL,
  id_number TEXT NOT NULL,
  qualification TEXT NOT NULL,
  detected_at TEXT NOT NULL
) STRICT;

-- A second, different batch signed for a batch number already held: evidence, kept whole.
CREATE TABLE equivocations (
  id INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  workstation_id TEXT NOT NULL,
  batch_no INTEGER NOT NULL,
  held_batch_id TEXT NOT NULL,
  received_batch_id TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  payload_json TEXT NOT NULL
) STRICT;

CREATE TABLE refusals (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  -- As claimed by the request: not proven for unenrolled or bad-signature.
  workstation_id TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL
) STRICT;

-- Nonces of signed requests, kept while a request bearing them could still pass the time check.
CREATE TABLE nonces (
  workstation_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  PRIMARY KEY (workstation_id, nonce)
) STRICT, WITHOUT ROWID;
CREATE INDEX nonces_by_time ON nonces(timestamp_ms);

CREATE TABLE publications (
  kind TEXT NOT NULL CHECK (kind IN ('approved-lists', 'slips')),
  version INTEGER NOT NULL,
  published_at TEXT NOT NULL,
  signed_json TEXT NOT NULL,
  PRIMARY KEY (kind, version)
) STRICT;
`;
