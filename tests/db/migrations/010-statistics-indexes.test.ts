import { describe, expect, it } from 'vitest';
import { databaseAtVersion, migrateTo } from '../../support/migrations';

const plan = (db: ReturnType<typeof databaseAtVersion>, sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' | ');

describe('migration 010: indexes for the statistics', () => {
  it('indexes seal use, clerks and certificates for the year-long aggregates, and leaves the register and its ledger as they were', () => {
    const db = databaseAtVersion(9);
    const canonical = Buffer.from(JSON.stringify({ at: '2026-11-24T09:30:00+08:00', clerk: '王芳', count: 2, documentKind: '证书', kind: '签章', sealKind: '公章', sealName: '四川省人力资源和社会保障厅', seq: 1, visitId: 1 }));
    db.prepare("INSERT INTO register_entries (seq, canonical, hash, signature) VALUES (1, ?, 'h', 's')").run(canonical);
    db.prepare('INSERT INTO entry_records (entry_seq, record) VALUES (1, ?)').run(JSON.stringify({ kind: 'certificate', certNo: 'C1', reissue: false, sealedAt: '2026-11-24T09:30:00+08:00', unit: '成都市人社局', visitId: 1 }));
    migrateTo(db, 10);
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.prepare('SELECT CAST(canonical AS TEXT) FROM register_entries').pluck().get()).toBe(canonical.toString());

    // Seal use is summed in the index's own order: no sort, whatever the period.
    const sealUsePlan = plan(db, "SELECT seal_name, seal_kind, document_kind, sum(count) FROM register_entries INDEXED BY register_entries_by_seal_use WHERE kind = '签章' AND at >= '2026-01-01' AND at < '2027-01-01' GROUP BY seal_name, seal_kind, document_kind");
    expect(sealUsePlan).toContain('USING INDEX register_entries_by_seal_use');
    expect(sealUsePlan).not.toContain('TEMP B-TREE');
    expect(db.prepare("SELECT seal_name, document_kind, sum(count) AS n FROM register_entries INDEXED BY register_entries_by_seal_use WHERE kind = '签章' AND at >= '2026-11-01' GROUP BY seal_name, seal_kind, document_kind").all())
      .toEqual([{ seal_name: '四川省人力资源和社会保障厅', document_kind: '证书', n: 2 }]);
    expect(db.prepare('SELECT clerk FROM register_entries INDEXED BY register_entries_clerk_by_seq WHERE seq = 1').pluck().get()).toBe('王芳');
    expect(plan(db, "SELECT sealed_at, unit, visit_id, entry_seq, reissue FROM certificates WHERE sealed_at >= '2026-11-01' AND sealed_at < '2026-12-01'")).toContain('certificates_by_sealed_at');
    expect(db.prepare("SELECT sealed_at, unit, visit_id, entry_seq, reissue FROM certificates WHERE sealed_at >= '2026-11-01'").get())
      .toEqual({ sealed_at: '2026-11-24T09:30:00+08:00', unit: '成都市人社局', visit_id: 1, entry_seq: 1, reissue: 0 });
    db.close();
  });
});
