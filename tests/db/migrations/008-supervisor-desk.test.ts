import { describe, expect, it } from 'vitest';
import { columnNames, databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

describe('migration 008: the supervisor\'s desk', () => {
  it('adds the 预审 records and the roster files of visits, and leaves the register and its ledger as they were', () => {
    const db = databaseAtVersion(3);
    const canonical = Buffer.from(JSON.stringify({ at: '2026-11-24T09:30:00+08:00', kind: '签章', seq: 1, visitId: 1 }));
    db.prepare("INSERT INTO register_entries (seq, canonical, hash, signature) VALUES (1, ?, 'h', 's')").run(canonical);
    db.prepare("INSERT INTO entry_records (entry_seq, record) VALUES (1, ?)").run(JSON.stringify({ kind: 'certificate', certNo: 'C1', sealedAt: '2026-11-24T09:30:00+08:00' }));
    migrateTo(db, 8);
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['prechecks', 'visit_roster_files']));
    expect(columnNames(db, 'prechecks')).toEqual(['id', 'at', 'account', 'unit', 'file_name', 'digest', 'certificate_type', 'row_count', 'pass_count', 'warning_count', 'error_count', 'rows_json']);
    expect(db.prepare('SELECT CAST(canonical AS TEXT) FROM register_entries').pluck().get()).toBe(canonical.toString());
    expect(db.prepare("SELECT cert_no, sealed_at FROM certificates").get()).toEqual({ cert_no: 'C1', sealed_at: '2026-11-24T09:30:00+08:00' });
    // The statistics read certificates by date through the new index, not by reading every record.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM certificates WHERE sealed_at >= '2026-11-01' AND sealed_at < '2026-12-01'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('certificates_by_sealed_at');
    const refusals = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM visits v JOIN visit_rows r ON r.visit_id = v.id WHERE v.sealed_at >= '2026-11-01' AND v.sealed_at < '2026-12-01'").all() as { detail: string }[];
    expect(refusals.map((p) => p.detail).join(' ')).toContain('visits_by_sealed_at');
    db.close();
  });
});
