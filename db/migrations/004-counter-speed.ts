/**
 * The counter at the speed of a scanner (issue 12).
 *
 * A visit can be mended before sealing (each change kept with its reason, never overwritten
 * silently) or dropped as 作废 (kept, with who and why; its slip is not consumed); the reason for
 * sealing fewer certificates than the slip names is kept with it, and so is a roster file that
 * could not be read. Units become reference data, with their pinyin initials for suggestions.
 * A database made for training says so itself, so that no host can mistake it for the real one.
 */
export const version = 4;

export const up = `
ALTER TABLE visits ADD COLUMN slip_count_reason TEXT;
ALTER TABLE visits ADD COLUMN voided_at TEXT;
ALTER TABLE visits ADD COLUMN voided_by TEXT;
ALTER TABLE visits ADD COLUMN void_reason TEXT;
ALTER TABLE visits ADD COLUMN roster_error TEXT;
ALTER TABLE visits ADD COLUMN roster_error_file TEXT;
-- The agent a unit sent last time is offered next time.
CREATE INDEX visits_by_unit ON visits(unit, id);

-- What a clerk changed on an open visit and why: the visit shows the current values, this the history.
CREATE TABLE visit_amendments (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visits(id),
  at TEXT NOT NULL,
  clerk TEXT NOT NULL,
  changes_json TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX visit_amendments_by_visit ON visit_amendments(visit_id, id);
CREATE TRIGGER visit_amendments_no_update BEFORE UPDATE ON visit_amendments
BEGIN SELECT RAISE(ABORT, '办证修改记录只能追加，不能修改'); END;
CREATE TRIGGER visit_amendments_no_delete BEFORE DELETE ON visit_amendments
BEGIN SELECT RAISE(ABORT, '办证修改记录只能追加，不能删除'); END;

-- The visiting units (用章单位), imported like the other reference lists.
CREATE TABLE units (
  name TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  region_code TEXT NOT NULL,
  initials TEXT NOT NULL
) STRICT;

CREATE TABLE training_mode (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  created_at TEXT NOT NULL
) STRICT;
`;
