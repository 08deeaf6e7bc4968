/**
 * Issue 16: the province also publishes the revoked qualifications (取消资格, DOMAIN.md §14),
 * signed like the approved lists, so the publications table takes a third kind.
 */
export const version = 2;

export const up = `
ALTER TABLE publications DROP CONSTRAINT publications_kind_check;
ALTER TABLE publications ADD CONSTRAINT publications_kind_check CHECK (kind IN ('approved-lists', 'slips', 'revocations'));
`;
