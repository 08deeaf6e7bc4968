import { describe, expect, it } from 'vitest';
import { columnNames, databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

const GENESIS = '0'.repeat(64);

/** A version-1 file as a counter left it: a list, a sealed visit, its register entry and certificate. */
function filledVersion1() {
  const db = databaseAtVersion(1);
  db.prepare(`INSERT INTO approved_lists (id, approval_doc, title, certificate_type, source_file, row_count, imported_at)
    VALUES (1, '川职改〔2025〕12号', '2025年度高级工程师评审通过人员名单', '高级专业技术职务资格证书', 'senior.xlsx', 1, '2026-11-01T10:00:00+08:00')`).run();
  db.prepare(`INSERT INTO visits (id, created_at, unit, agent_name, agent_phone, certificate_type, slip_no, slip_count, slip_signer, clerk, purpose, sealed_at)
    VALUES (1, '2026-11-24T09:00:00+08:00', '四川华西集团有限公司', '赵经办', '13800000000', '高级专业技术职务资格证书', 'QZ2026-0001', 1, '张主任', '王芳', '2025年度高级工程师证书签章', '2026-11-24T09:30:00+08:00')`).run();
  db.prepare(`INSERT INTO register_entries (seq, at, kind, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone, slip_no, purpose, clerk, approver, sign_method, remarks, visit_id, prev_hash, hash)
    VALUES (1, '2026-11-24T09:30:00+08:00', '签章', 'senior-steel', '高级职务资格证书专用章', '钢印', '证书', 1, '四川华西集团有限公司', '赵经办', '13800000000', 'QZ2026-0001', '2025年度高级工程师证书签章', '王芳', '张主任', '纸质签字', '', 1, ?, ?)`).run(GENESIS, 'b'.repeat(64));
  db.prepare(`INSERT INTO certificates (cert_no, id_number, name, qualification, approval_doc, unit, visit_id, entry_seq, sealed_at, reissue, replaces_cert_no)
    VALUES ('51202501000001', '510104199001011234', '李雷', '高级工程师', '川职改〔2025〕12号', '四川华西集团有限公司', 1, 1, '2026-11-24T09:30:00+08:00', 0, NULL)`).run();
  return db;
}

describe('migration 002: accounts, corrections, the workstation key, batches and the outbox', () => {
  it('keeps every row of a version-1 file and gives old entries no correction and no account', () => {
    const db = filledVersion1();
    migrateTo(db, 2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT seq, unit, clerk, corrects_seq, clerk_account, hash FROM register_entries').all()).toEqual([
      { seq: 1, unit: '四川华西集团有限公司', clerk: '王芳', corrects_seq: null, clerk_account: '', hash: 'b'.repeat(64) },
    ]);
    expect(db.prepare('SELECT cert_no, name, entry_seq FROM certificates').all()).toEqual([{ cert_no: '51202501000001', name: '李雷', entry_seq: 1 }]);
    expect(db.prepare('SELECT approval_doc FROM approved_lists').pluck().all()).toEqual(['川职改〔2025〕12号']);
    expect(db.prepare('SELECT slip_no, sealed_at FROM visits').all()).toEqual([{ slip_no: 'QZ2026-0001', sealed_at: '2026-11-24T09:30:00+08:00' }]);
    db.close();
  });

  it('adds the accounts, the workstation identity, the signed tip, the batches and the outbox', () => {
    const db = filledVersion1();
    migrateTo(db, 2);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['accounts', 'workstation', 'register_head', 'batches', 'batch_deliveries', 'hub_conflicts', 'hub_publications']));
    expect(columnNames(db, 'register_entries')).toEqual(expect.arrayContaining(['corrects_seq', 'clerk_account']));
    expect(() => db.prepare("INSERT INTO accounts (username, display_name, role, password_hash, created_at, created_by) VALUES ('x', 'X', 'boss', 'h', 'now', 'test')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('makes batches append-only like the register', () => {
    const db = filledVersion1();
    migrateTo(db, 2);
    db.prepare(`INSERT INTO batches (batch_no, workstation_id, first_seq, last_seq, entry_count, prev_hash, last_hash, certificates_hash, created_at, signature)
      VALUES (1, 'WS-000000000000', 1, 1, 1, ?, ?, ?, '2026-11-24T18:00:00+08:00', 'sig')`).run(GENESIS, 'b'.repeat(64), 'c'.repeat(64));
    expect(() => db.prepare('UPDATE batches SET last_seq = 2').run()).toThrow(/不能修改/);
    expect(() => db.prepare('DELETE FROM batches').run()).toThrow(/不能删除/);
    db.close();
  });
});
