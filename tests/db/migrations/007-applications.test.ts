import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from '../../../core/register/canonicalJson';
import { databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

/**
 * A workstation just before 007 already holds certificates and, from the release that wrote the
 * application events before 007 indexed them, application records in its ledger: migration 007
 * adds only the ways to find them, so everything already written reads back unchanged.
 */
const BEFORE = 6;
const record = (value: { [key: string]: JsonValue }) => canonicalJson(value);

function filledBefore007() {
  const db = databaseAtVersion(BEFORE);
  const insert = db.prepare('INSERT INTO entry_records (id, entry_seq, record) VALUES (?, ?, ?)');
  insert.run(1, 1, record({ kind: 'certificate', certNo: 'C0001', idNumber: '510107199206205820', name: '向莉芳', qualification: '中级会计师', approvalDoc: '川人社办发〔2025〕96号', unit: '四川省建筑设计研究院有限公司', visitId: 1, sealedAt: '2026-11-24T09:30:00+08:00', reissue: false, replacesCertNo: null }));
  insert.run(2, 2, record({ kind: 'application', event: 'replacement-filed', appNo: '补换2026-0001', person: { idNumber: '510107199206205820', name: '向莉芳' }, original: { certNo: 'C0001' } }));
  insert.run(3, 3, record({ kind: 'application', event: 'revocation', idNumber: '510108199201083779', qualification: '中级会计师', document: '川人社发〔2026〕88号', revokedOn: '2026-10-01', barUntil: '2028-09-30', hubVersion: null }));
  insert.run(4, 4, record({ kind: 'application', event: 'revocation-lifted', idNumber: '510108199201083779', qualification: '中级会计师', document: '川人社发〔2026〕88号', revokedOn: '2026-10-01', barUntil: '2028-09-30', hubVersion: 2 }));
  return db;
}

const plan = (db: ReturnType<typeof databaseAtVersion>, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');

describe('migration 007: the applications found in the ledger', () => {
  it('reads the application records already written through application_records, oldest first, and leaves the certificates alone', () => {
    const db = filledBefore007();
    migrateTo(db, 7);
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.prepare('SELECT id, entry_seq, event, app_no FROM application_records ORDER BY id').all()).toEqual([
      { id: 2, entry_seq: 2, event: 'replacement-filed', app_no: '补换2026-0001' },
      { id: 3, entry_seq: 3, event: 'revocation', app_no: null },
      { id: 4, entry_seq: 4, event: 'revocation-lifted', app_no: null },
    ]);
    expect(db.prepare('SELECT cert_no, name FROM certificates').all()).toEqual([{ cert_no: 'C0001', name: '向莉芳' }]);
    // 007 adds views and indexes only: no table the register's integrity check does not know.
    expect(tableNames(db)).toEqual(tableNames(databaseAtVersion(BEFORE)));
    db.close();
  });

  it('shows revocations and their lifting as the roster check reads them', () => {
    const db = filledBefore007();
    migrateTo(db, 7);
    expect(db.prepare('SELECT event, id_number, qualification, document, revoked_on, bar_until, hub_version FROM revocations ORDER BY id').all()).toEqual([
      { event: 'revocation', id_number: '510108199201083779', qualification: '中级会计师', document: '川人社发〔2026〕88号', revoked_on: '2026-10-01', bar_until: '2028-09-30', hub_version: null },
      { event: 'revocation-lifted', id_number: '510108199201083779', qualification: '中级会计师', document: '川人社发〔2026〕88号', revoked_on: '2026-10-01', bar_until: '2028-09-30', hub_version: 2 },
    ]);
    db.close();
  });

  it('finds an application by number, person, original certificate and event through its own indexes', () => {
    const db = filledBefore007();
    migrateTo(db, 7);
    expect(plan(db, "SELECT * FROM application_records WHERE app_no = '补换2026-0001'")).toMatch(/USING INDEX application_records_by_app/);
    expect(plan(db, "SELECT * FROM application_records WHERE event = 'replacement-filed' ORDER BY id")).toMatch(/USING INDEX application_records_by_event/);
    expect(plan(db, "SELECT * FROM entry_records WHERE kind = 'application' AND json_extract(record, '$.original.certNo') = 'C0001'")).toMatch(/USING INDEX application_records_by_original/);
    expect(plan(db, "SELECT * FROM entry_records WHERE kind = 'application' AND json_extract(record, '$.person.idNumber') = '510107199206205820'")).toMatch(/USING INDEX application_records_by_person/);
    expect(plan(db, "SELECT * FROM revocations WHERE id_number = '510108199201083779'")).toMatch(/USING INDEX revocations_by_person/);
    db.close();
  });

  it('keeps the application records as append-only as the rest of the ledger', () => {
    const db = filledBefore007();
    migrateTo(db, 7);
    expect(() => db.exec("UPDATE entry_records SET record = '{}' WHERE id = 2")).toThrow(/只能追加，不能修改/);
    expect(() => db.exec('DELETE FROM entry_records WHERE id = 3')).toThrow(/只能追加，不能删除/);
    db.close();
  });
});
