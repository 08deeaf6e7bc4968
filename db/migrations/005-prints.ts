/**
 * Printed forms that prove themselves (issue 13).
 *
 * The keys of the other enrolled workstations, as the province publishes them through the hub
 * (publication kind `workstation-keys`): a paper printed at another office is checked against the
 * key its workstation signed it with, without that office's database. A key is kept with the
 * publication version it came in and the date it was revoked, if it was. The agent's on-screen
 * signature needs no table of its own: it is a record of the 签字 entry that names what it signs.
 */
export const version = 5;

export const up = `
CREATE TABLE known_workstations (
  id TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  office_name TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT,
  publication_version INTEGER NOT NULL
) STRICT;
`;
