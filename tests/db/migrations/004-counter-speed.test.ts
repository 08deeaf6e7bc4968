import { describe, expect, it } from 'vitest';
import { columnNames, databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

/** A version-2 file as a counter left it: one open visit and one sealed, with a roster row. */
function filledVersion2() {
  const db = databaseAtVersion(2);
  const insert = db.prepare(`INSERT INTO visits (id, created_at, unit, agent_name, agent_phone, certificate_type, slip_no, slip_count, slip_signer, clerk, purpose, sealed_at)
    VALUES (?, '2026-11-24T09:00:00+08:00', '四川华西集团有限公司', '赵经办', '13800000000', '高级专业技术职务资格证书', ?, 40, '谢天涛', '王芳', '', ?)`);
  insert.run(1, 'QZ2026-0001', '2026-11-24T09:30:00+08:00');
  insert.run(2, 'QZ2026-0002', null);
  db.prepare(`INSERT INTO visit_rows (visit_id, line, row_json) VALUES (2, 2, '{"rowNo":1}')`).run();
  return db;
}

describe('migration 004: mending and dropping visits, the slip-count reason, units, training', () => {
  it('keeps every visit as it was: none dropped, none with a reason or a kept import error', () => {
    const db = filledVersion2();
    migrateTo(db, 4);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT id, slip_no, sealed_at IS NOT NULL AS sealed, voided_at, slip_count_reason, roster_error FROM visits ORDER BY id').all()).toEqual([
      { id: 1, slip_no: 'QZ2026-0001', sealed: 1, voided_at: null, slip_count_reason: null, roster_error: null },
      { id: 2, slip_no: 'QZ2026-0002', sealed: 0, voided_at: null, slip_count_reason: null, roster_error: null },
    ]);
    expect(db.prepare('SELECT count(*) FROM visit_rows').pluck().get()).toBe(1);
    db.close();
  });

  it('adds the amendments (append-only), the units and the training mark', () => {
    const db = filledVersion2();
    migrateTo(db, 4);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['visit_amendments', 'units', 'training_mode']));
    expect(columnNames(db, 'visits')).toEqual(expect.arrayContaining(['slip_count_reason', 'voided_at', 'voided_by', 'void_reason', 'roster_error', 'roster_error_file']));
    db.prepare(`INSERT INTO visit_amendments (visit_id, at, clerk, changes_json, reason) VALUES (2, '2026-11-24T09:10:00+08:00', '王芳', '[]', '录入错误')`).run();
    expect(() => db.prepare("UPDATE visit_amendments SET reason = 'x'").run()).toThrow(/不能修改/);
    expect(() => db.prepare('DELETE FROM visit_amendments').run()).toThrow(/不能删除/);
    expect(() => db.prepare("INSERT INTO training_mode (singleton, created_at) VALUES (2, 'now')").run()).toThrow(/CHECK/);
    db.close();
  });
});
