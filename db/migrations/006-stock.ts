/**
 * The office's stock (issue 15): blank certificates received, issued, returned spoiled, and the
 * yearly stamp-slip requests and the slips numbered from them.
 *
 * Every movement is a register entry of its own kind whose details are ledger records bound into
 * it (core/register/records.ts), so the stock needs no table of its own to be trusted: the views
 * below read the records, and partial indexes find each kind without touching the certificates.
 * The one table holds the files a movement names by SHA-256 (a request's rosters, the 登记表 an
 * issue was counted from); the hashed record names the digest, so a file swapped behind the app
 * no longer matches it.
 */
export const version = 6;

const field = (name: string) => `json_extract(r.record, '$.${name}')`;
const entry = 'e.at AS at, e.clerk AS clerk, e.clerk_account AS clerk_account';
const view = (name: string, kind: string, columns: string[]) => `
CREATE INDEX ${name}_records ON entry_records(entry_seq) WHERE kind = '${kind}';
CREATE VIEW ${name} AS
  SELECT r.id AS id, r.entry_seq AS entry_seq, ${entry}, ${columns.map((c) => `${field(c.split(' ')[0]!)} AS ${c.split(' ')[1]}`).join(', ')}
  FROM entry_records r JOIN register_entries e ON e.seq = r.entry_seq WHERE r.kind = '${kind}';`;

export const up = `
${view('stock_receipts', 'stock-receipt', ['certificateType certificate_type', 'year year', 'count count', 'ranges ranges', 'supplier supplier'])}
${view('stock_issues', 'stock-issue', ['unit unit', 'certificateType certificate_type', 'year year', 'basis basis', 'base base', 'spares spares', 'sparesReason spares_reason', 'count count', 'grades grades', 'contact contact', 'phone phone', 'ranges ranges', 'roster roster'])}
${view('stock_spoiled', 'stock-spoiled', ['unit unit', 'certificateType certificate_type', 'year year', 'certNo cert_no'])}
CREATE INDEX stock_spoiled_by_no ON entry_records(json_extract(record, '$.certNo')) WHERE kind = 'stock-spoiled';
${view('slip_requests', 'slip-request', ['unit unit', 'year year', 'arrivedOn arrived_on', 'late late', 'slipCount slip_count', 'contact contact', 'phone phone', 'note note', 'attachments attachments'])}
${view('slip_request_admissions', 'slip-request-admission', ['requestSeq request_seq', 'unit unit', 'year year', 'reason reason'])}
${view('granted_slips', 'slip', ['slipNo slip_no', 'unit unit', 'year year', 'issuedOn issued_on', 'requestSeq request_seq'])}

-- Files a stock record names by their SHA-256: kept once, never changed or removed.
CREATE TABLE stock_files (
  sha256 TEXT PRIMARY KEY,
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  kept_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER stock_files_no_update BEFORE UPDATE ON stock_files
BEGIN SELECT RAISE(ABORT, '请领附件只能追加，不能修改'); END;
CREATE TRIGGER stock_files_no_delete BEFORE DELETE ON stock_files
BEGIN SELECT RAISE(ABORT, '请领附件只能追加，不能删除'); END;
`;
