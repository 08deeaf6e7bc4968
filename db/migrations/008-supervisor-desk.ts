/**
 * The supervisor's desk (issue 19).
 *
 * - 预审: every roster checked ahead of the counter day is kept with the SHA-256 of its file and
 *   what the check found, so that on the counter day the same file is recognised and a different
 *   one is compared row by row. A 预审 is not a sealing: nothing of it enters the register.
 * - The digest of the roster file each visit imported, for that comparison.
 * - Indexes for the statistics, which are aggregates over the register and the ledger (never a
 *   counter of their own that could drift from them), and for spot checks by period.
 */
export const version = 8;

export const up = `
CREATE TABLE prechecks (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  account TEXT NOT NULL,
  unit TEXT NOT NULL,
  file_name TEXT NOT NULL,
  digest TEXT NOT NULL,
  certificate_type TEXT,
  row_count INTEGER NOT NULL,
  pass_count INTEGER NOT NULL,
  warning_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  rows_json TEXT NOT NULL
) STRICT;
CREATE INDEX prechecks_by_digest ON prechecks(digest, id);
CREATE INDEX prechecks_by_unit ON prechecks(unit, id);

CREATE TABLE visit_roster_files (
  visit_id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  digest TEXT NOT NULL
) STRICT;

CREATE INDEX certificates_by_sealed_at ON entry_records(json_extract(record, '$.sealedAt')) WHERE kind = 'certificate';
CREATE INDEX register_entries_by_kind_at ON register_entries(kind, at);
-- Refusals by code start from the visits sealed in the period, not from every roster row ever imported.
CREATE INDEX visits_by_sealed_at ON visits(sealed_at) WHERE sealed_at IS NOT NULL;
-- Spot checks' draws and results among millions of certificates: queries name the same IN list.
CREATE INDEX entry_records_spotchecks ON entry_records(kind, entry_seq) WHERE kind IN ('spotcheck-draw', 'spotcheck-result');
`;
