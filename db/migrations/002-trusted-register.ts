/**
 * Accounts, corrections, the workstation's identity, signed batches and the hub outbox.
 *
 * Register entries gain the entry a 更正 corrects and the signed-in account. Batches, like the
 * register, never change; whether the hub has acknowledged a batch is kept apart from it
 * (batch_deliveries), because that can be undone when the hub asks for a batch again.
 */
export const version = 2;

export const up = `
ALTER TABLE register_entries ADD COLUMN corrects_seq INTEGER;
ALTER TABLE register_entries ADD COLUMN clerk_account TEXT NOT NULL DEFAULT '';
CREATE INDEX register_entries_by_corrects ON register_entries(corrects_seq) WHERE corrects_seq IS NOT NULL;

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  disabled_at TEXT
) STRICT;

-- This workstation's identity. The private key is not here: it is kept apart from the data
-- file (see services/register/workstationKey.ts), so a copied database cannot sign.
CREATE TABLE workstation (
  id TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

-- The signed tip of the register, rewritten with every sealing: it is what tells a removed last
-- entry, or one appended behind the app's back, from an honest end of the register.
CREATE TABLE register_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT NOT NULL
) STRICT;

CREATE TABLE batches (
  batch_no INTEGER PRIMARY KEY,
  workstation_id TEXT NOT NULL,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  entry_count INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  last_hash TEXT NOT NULL,
  certificates_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  signature TEXT NOT NULL
) STRICT;

CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches
BEGIN SELECT RAISE(ABORT, '已签名的批次不能修改'); END;
CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches
BEGIN SELECT RAISE(ABORT, '已签名的批次不能删除'); END;

-- The outbox is every batch without a row here.
CREATE TABLE batch_deliveries (
  batch_no INTEGER PRIMARY KEY REFERENCES batches(batch_no),
  acknowledged_at TEXT NOT NULL
) STRICT;

-- Cross-office conflicts the hub reported (DOMAIN.md §9), kept so the clerk sees them offline.
CREATE TABLE hub_conflicts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;

-- The signed publications (approved lists, slip issuance) last applied from the hub.
CREATE TABLE hub_publications (
  kind TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  published_at TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT;
`;
