/**
 * Issue 13: the province also publishes the enrolled workstations' public keys, with which a
 * paper printed at one office is checked at any other. The publications table takes that kind.
 * The list names every kind a hub of this version knows (the revoked qualifications of issue 16
 * too), so it stands whichever of the two migrations a hub applied first.
 */
export const version = 3;

export const up = `
ALTER TABLE publications DROP CONSTRAINT publications_kind_check;
ALTER TABLE publications ADD CONSTRAINT publications_kind_check CHECK (kind IN ('approved-lists', 'slips', 'revocations', 'workstation-keys'));
`;
