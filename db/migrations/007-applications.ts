/**
 * Applications (issue 16): replacements, out-of-province confirmations and revocations.
 *
 * They are ledger records like the certificates — canonical JSON of kind 'application' in
 * entry_records, bound into the register entry that wrote them (core/applications/records.ts) —
 * so they need no table of their own, only the ways the counter finds them: by event, by
 * application number, by the person, by the original certificate a replacement names, and the
 * revocations a roster row is checked against. Nothing here can be changed after it is written:
 * entry_records' triggers refuse it.
 */
export const version = 7;

const field = (path: string) => `json_extract(record, '$.${path}')`;

export const up = `
CREATE INDEX application_records_by_event ON entry_records(${field('event')}, id) WHERE kind = 'application';
CREATE INDEX application_records_by_app ON entry_records(${field('appNo')}) WHERE kind = 'application';
CREATE INDEX application_records_by_person ON entry_records(${field('person.idNumber')}) WHERE kind = 'application';
CREATE INDEX application_records_by_original ON entry_records(${field('original.certNo')}) WHERE kind = 'application';
CREATE INDEX revocations_by_person ON entry_records(${field('idNumber')}) WHERE kind = 'application';

-- Every application record, oldest first: an application's state is what its records add up to.
CREATE VIEW application_records AS
  SELECT id, entry_seq, ${field('event')} AS event, ${field('appNo')} AS app_no, record
  FROM entry_records WHERE kind = 'application';

-- Revocations and their lifting, as the roster check and the application rules read them.
CREATE VIEW revocations AS
  SELECT id, entry_seq, ${field('event')} AS event, ${field('idNumber')} AS id_number, ${field('qualification')} AS qualification,
    ${field('document')} AS document, ${field('revokedOn')} AS revoked_on, ${field('barUntil')} AS bar_until, ${field('hubVersion')} AS hub_version, record
  FROM entry_records WHERE kind = 'application' AND ${field('event')} IN ('revocation', 'revocation-lifted');
`;
