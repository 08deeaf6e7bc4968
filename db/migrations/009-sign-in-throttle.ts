/**
 * Wrong passwords, per account name as typed (known or not, so that the table, like the answer,
 * says nothing about which names exist): how many in a row, and until when the next try must
 * wait. Times are the machine's real clock in Unix milliseconds — a delay, not an office time.
 * Kept in the data file so that restarting the app does not reset a guessing program's count.
 */
export const version = 9;

export const up = `
CREATE TABLE sign_in_failures (
  name TEXT PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures > 0),
  not_before_ms INTEGER NOT NULL,
  last_failed_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_by_age ON sign_in_failures(last_failed_ms);
`;
