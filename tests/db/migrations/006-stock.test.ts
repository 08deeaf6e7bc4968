import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/register/canonicalJson';
import { columnNames, databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

const GENESIS = '0'.repeat(64);
const entryCanonical = (seq: number, kind: string, visitId: number) => canonicalJson({
  seq, at: `2026-03-0${seq}T09:30:00+08:00`, kind, correctsSeq: null, sealId: '', sealName: '', sealKind: '', documentKind: '证书', count: 1, unit: '四川华西集团有限公司',
  agentName: '', agentPhone: '', slipNo: '', purpose: '', clerk: '王芳', clerkAccount: 'wangfang', approver: '', signMethod: '', remarks: '', visitId, attachmentsDigest: 'a'.repeat(64), prevHash: GENESIS,
});

/** A version-3 file as the app of that version left it: a sealing with its certificate, and a record of a later kind. */
function filledVersion3() {
  const db = databaseAtVersion(3);
  const insertEntry = db.prepare('INSERT INTO register_entries (seq, canonical, hash, signature) VALUES (?, ?, ?, ?)');
  insertEntry.run(1, Buffer.from(entryCanonical(1, '签章', 1)), 'b'.repeat(64), 'sig');
  insertEntry.run(2, Buffer.from(entryCanonical(2, '空白证书发放', 0)), 'c'.repeat(64), 'sig');
  const insertRecord = db.prepare('INSERT INTO entry_records (entry_seq, record) VALUES (?, ?)');
  insertRecord.run(1, canonicalJson({ kind: 'certificate', certNo: '51202500000101', idNumber: '510104199001011234', name: '李雷', qualification: '高级工程师', approvalDoc: '川职改〔2025〕12号', unit: '四川华西集团有限公司', visitId: 1, sealedAt: '2026-03-01T09:30:00+08:00', reissue: false, replacesCertNo: null }));
  const issue = { kind: 'stock-issue', unit: '四川华西集团有限公司', certificateType: '高级专业技术职务资格证书', year: 2026, basis: 'roster', base: 40, spares: 2, sparesReason: '', count: 42, grades: null, contact: '吴人事', phone: '028-85551234', ranges: [{ first: '51202500000101', last: '51202500000142' }], roster: null };
  insertRecord.run(2, canonicalJson(issue));
  insertRecord.run(2, canonicalJson({ kind: 'stock-spoiled', unit: '四川华西集团有限公司', certificateType: '高级专业技术职务资格证书', year: 2026, certNo: '51202500000141' }));
  db.prepare("INSERT INTO issued_slips (slip_no, unit, year, issued_on) VALUES ('QZ2026-0001', '四川华西集团有限公司', 2026, '2026-02-12')").run();
  return db;
}

describe('migration 006: the stock read from the records bound into the register', () => {
  it('keeps every entry, record and slip as it was', () => {
    const db = filledVersion3();
    const before = { entries: db.prepare('SELECT seq, canonical, hash FROM register_entries').all(), records: db.prepare('SELECT * FROM entry_records').all(), slips: db.prepare('SELECT * FROM issued_slips').all() };
    migrateTo(db, 6);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(db.prepare('SELECT seq, canonical, hash FROM register_entries').all()).toEqual(before.entries);
    expect(db.prepare('SELECT * FROM entry_records').all()).toEqual(before.records);
    expect(db.prepare('SELECT * FROM issued_slips').all()).toEqual(before.slips);
    expect(db.prepare('SELECT cert_no FROM certificates').pluck().all()).toEqual(['51202500000101']);
    db.close();
  });

  it('reads the stock records through views, with the entry’s time and clerk, each kind by its own index', () => {
    const db = filledVersion3();
    migrateTo(db, 6);
    expect(db.prepare('SELECT entry_seq, at, clerk, unit, certificate_type, year, basis, count, spares, ranges FROM stock_issues').all()).toEqual([{
      entry_seq: 2, at: '2026-03-02T09:30:00+08:00', clerk: '王芳', unit: '四川华西集团有限公司', certificate_type: '高级专业技术职务资格证书', year: 2026, basis: 'roster', count: 42, spares: 2,
      ranges: '[{"first":"51202500000101","last":"51202500000142"}]',
    }]);
    expect(db.prepare('SELECT unit, cert_no FROM stock_spoiled').all()).toEqual([{ unit: '四川华西集团有限公司', cert_no: '51202500000141' }]);
    for (const view of ['stock_receipts', 'slip_requests', 'slip_request_admissions', 'granted_slips']) expect(db.prepare(`SELECT count(*) FROM ${view}`).pluck().get()).toBe(0);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan("SELECT record FROM entry_records WHERE kind = 'stock-issue'")).toMatch(/USING INDEX stock_issues_records/);
    expect(plan("SELECT record FROM entry_records WHERE kind = 'stock-spoiled' AND json_extract(record, '$.certNo') = '51202500000141'")).toMatch(/USING INDEX stock_spoiled_by_no/);
    db.close();
  });

  it('adds the kept files, which cannot be changed or removed', () => {
    const db = filledVersion3();
    migrateTo(db, 6);
    expect(tableNames(db)).toContain('stock_files');
    expect(columnNames(db, 'stock_files')).toEqual(['sha256', 'file_name', 'size', 'bytes', 'kept_at']);
    db.prepare("INSERT INTO stock_files VALUES ('d', '名册.xlsx', 3, x'010203', '2026-01-15T10:00:00+08:00')").run();
    expect(() => db.exec("UPDATE stock_files SET bytes = x'00'")).toThrow('请领附件只能追加，不能修改');
    expect(() => db.exec('DELETE FROM stock_files')).toThrow('请领附件只能追加，不能删除');
    db.close();
  });
});
