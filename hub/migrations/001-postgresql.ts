/**
 * The hub's schema on PostgreSQL. What workstations sent (batches, entries, records) is kept
 * as received and never changed: triggers refuse UPDATE, DELETE and TRUNCATE, as on the
 * workstation. Times shown to people are kept as the hub wrote them (office time with its
 * offset, text); times the hub computes with (nonces, refusal minutes) are numbers or timestamptz.
 */
export const version = 1;

export const up = `
CREATE TABLE hub_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- Enrolled workstations. The id is derived from the key (workstationIdOf), so one cannot be
-- claimed with another key. Revoking keeps the row: its batches stay attributable.
CREATE TABLE workstations (
  id text PRIMARY KEY,
  public_key text NOT NULL UNIQUE,
  office_name text NOT NULL,
  enrolled_at text NOT NULL,
  revoked_at text
);

-- Who enrolled, revoked, reinstated or published what, and the fingerprint they confirmed.
CREATE TABLE admin_log (
  id bigserial PRIMARY KEY,
  at text NOT NULL,
  action text NOT NULL CHECK (action IN ('init', 'enrol', 'rename', 'reinstate', 'revoke', 'publish', 'restore')),
  operator text NOT NULL,
  os_user text NOT NULL,
  subject text NOT NULL,
  fingerprint text NOT NULL,
  detail text NOT NULL
);

CREATE TABLE batches (
  workstation_id text NOT NULL REFERENCES workstations(id),
  batch_no integer NOT NULL CHECK (batch_no > 0),
  batch_id text NOT NULL UNIQUE,
  first_seq integer NOT NULL,
  last_seq integer NOT NULL,
  entry_count integer NOT NULL,
  prev_hash text NOT NULL,
  last_hash text NOT NULL,
  records_hash text NOT NULL,
  created_at text NOT NULL,
  signature text NOT NULL,
  received_at text NOT NULL,
  PRIMARY KEY (workstation_id, batch_no)
);

CREATE TABLE entries (
  workstation_id text NOT NULL,
  seq integer NOT NULL,
  batch_no integer NOT NULL,
  hash text NOT NULL,
  entry_json text NOT NULL,
  PRIMARY KEY (workstation_id, seq),
  FOREIGN KEY (workstation_id, batch_no) REFERENCES batches(workstation_id, batch_no)
);

-- The ledger's records as the workstation bound them into its entries (each entry carries their
-- digest), kept whole; the certificates among them also go into the certificates table, which the
-- cross-office comparison reads.
CREATE TABLE records (
  workstation_id text NOT NULL,
  batch_no integer NOT NULL,
  entry_seq integer NOT NULL,
  position integer NOT NULL,
  record text NOT NULL,
  PRIMARY KEY (workstation_id, batch_no, position),
  FOREIGN KEY (workstation_id, batch_no) REFERENCES batches(workstation_id, batch_no)
);

CREATE TABLE certificates (
  id bigserial PRIMARY KEY,
  workstation_id text NOT NULL,
  batch_no integer NOT NULL,
  entry_seq integer NOT NULL,
  cert_no text NOT NULL,
  id_number text NOT NULL,
  name text NOT NULL,
  qualification text NOT NULL,
  approval_doc text NOT NULL,
  unit text NOT NULL,
  sealed_at text NOT NULL,
  reissue boolean NOT NULL,
  replaces_cert_no text,
  FOREIGN KEY (workstation_id, batch_no) REFERENCES batches(workstation_id, batch_no)
);
-- Conflicts are looked up by these two keys whenever a batch arrives.
CREATE INDEX certificates_by_cert_no ON certificates (cert_no, workstation_id);
CREATE INDEX certificates_by_person ON certificates (id_number, qualification, workstation_id);
CREATE INDEX certificates_by_batch ON certificates (workstation_id, batch_no);

CREATE FUNCTION hub_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0];
END $$;
CREATE TRIGGER batches_no_change BEFORE UPDATE OR DELETE ON batches FOR EACH ROW EXECUTE FUNCTION hub_refuse_change('已接收的批次不能修改或删除');
CREATE TRIGGER batches_no_truncate BEFORE TRUNCATE ON batches FOR EACH STATEMENT EXECUTE FUNCTION hub_refuse_change('已接收的批次不能删除');
CREATE TRIGGER entries_no_change BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION hub_refuse_change('已接收的登记不能修改或删除');
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION hub_refuse_change('已接收的登记不能删除');
CREATE TRIGGER records_no_change BEFORE UPDATE OR DELETE ON records FOR EACH ROW EXECUTE FUNCTION hub_refuse_change('已接收的台账记录不能修改或删除');
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records FOR EACH STATEMENT EXECUTE FUNCTION hub_refuse_change('已接收的台账记录不能删除');
CREATE TRIGGER certificates_no_change BEFORE UPDATE OR DELETE ON certificates FOR EACH ROW EXECUTE FUNCTION hub_refuse_change('已接收的证书记录不能修改或删除');
CREATE TRIGGER certificates_no_truncate BEFORE TRUNCATE ON certificates FOR EACH STATEMENT EXECUTE FUNCTION hub_refuse_change('已接收的证书记录不能删除');

-- One row per conflict key; its sightings are the certificates rows sharing the key. change_no
-- moves whenever a sighting is added, so a workstation can ask "anything new since …".
CREATE SEQUENCE conflict_changes;
CREATE TABLE conflicts (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('cert-no', 'person')),
  cert_no text NOT NULL,
  id_number text NOT NULL,
  qualification text NOT NULL,
  detected_at text NOT NULL,
  change_no bigint NOT NULL DEFAULT nextval('conflict_changes')
);
-- Which workstations have a sighting in which conflict: a workstation's conflicts by index.
CREATE TABLE conflict_members (
  conflict_id text NOT NULL REFERENCES conflicts(id),
  workstation_id text NOT NULL REFERENCES workstations(id),
  PRIMARY KEY (conflict_id, workstation_id)
);
CREATE INDEX conflict_members_by_workstation ON conflict_members (workstation_id);

-- Batches stored whose certificates have not yet been compared with the other offices' (see
-- hub/conflicts.ts): written with the batch, deleted by the comparison, so a node killed between
-- the two leaves the work for the next node to find.
CREATE TABLE conflict_checks (
  workstation_id text NOT NULL,
  batch_no integer NOT NULL,
  PRIMARY KEY (workstation_id, batch_no),
  FOREIGN KEY (workstation_id, batch_no) REFERENCES batches(workstation_id, batch_no)
);

-- A second, different batch signed for a batch number already held: evidence, kept whole.
CREATE TABLE equivocations (
  id bigserial PRIMARY KEY,
  received_at text NOT NULL,
  workstation_id text NOT NULL,
  batch_no integer NOT NULL,
  held_batch_id text NOT NULL,
  received_batch_id text NOT NULL,
  remote_address text NOT NULL,
  payload_json text NOT NULL
);

-- Refusals counted per minute, client address, reason and claimed workstation rather than one
-- row each: a flood adds to a count instead of filling the disk, and old minutes are deleted.
CREATE TABLE refusal_counts (
  minute timestamptz NOT NULL,
  remote_address text NOT NULL,
  reason text NOT NULL,
  -- As claimed by the request: not proven for unenrolled or bad-signature.
  workstation_id text NOT NULL,
  count integer NOT NULL,
  first_at text NOT NULL,
  last_request text NOT NULL,
  last_message text NOT NULL,
  PRIMARY KEY (minute, remote_address, reason, workstation_id)
);
CREATE INDEX refusal_counts_by_workstation ON refusal_counts (workstation_id);

-- Nonces of signed requests, shared by every node, kept while a request bearing them could
-- still pass the time check.
CREATE TABLE nonces (
  workstation_id text NOT NULL,
  nonce text NOT NULL,
  timestamp_ms bigint NOT NULL,
  PRIMARY KEY (workstation_id, nonce)
);
CREATE INDEX nonces_by_time ON nonces (timestamp_ms);

CREATE TABLE publications (
  kind text NOT NULL CHECK (kind IN ('approved-lists', 'slips')),
  version integer NOT NULL,
  published_at text NOT NULL,
  signed_json text NOT NULL,
  PRIMARY KEY (kind, version)
);
`;
