/**
 * Batches carry the ledger's records as the workstation bound them into its entries (each entry
 * holds their digest): all of them are kept, and the certificates among them also go into the
 * certificates table the cross-office checks read.
 */
export const version = 2;

export const up = `
ALTER TABLE batches RENAME COLUMN certificates_hash TO records_hash;

CREATE TABLE records (
  workstation_id TEXT NOT NULL,
  batch_no INTEGER NOT NULL,
  entry_seq INTEGER NOT NULL,
  position INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (workstation_id, batch_no, position),
  FOREIGN KEY (workstation_id, batch_no) REFERENCES batches(workstation_id, batch_no)
) STRICT;
`;
