import { describe, expect, it } from 'vitest';
import { columnNames, databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

describe('migration 005: the keys of other workstations, for checking their papers', () => {
  it('adds known_workstations to a filled register and leaves the register as it was', () => {
    const db = databaseAtVersion(3);
    db.prepare("INSERT INTO workstation (id, public_key, created_at) VALUES ('WS-000000000001', 'a2V5', '2026-11-24T09:00:00+08:00')").run();
    const before = db.prepare('SELECT * FROM workstation').all();
    migrateTo(db, 5);
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(tableNames(db)).toContain('known_workstations');
    expect(columnNames(db, 'known_workstations')).toEqual(['id', 'public_key', 'office_name', 'enrolled_at', 'revoked_at', 'publication_version']);
    expect(db.prepare('SELECT * FROM workstation').all()).toEqual(before);
    db.prepare("INSERT INTO known_workstations VALUES ('WS-000000000002', 'a2V5', '绵阳市人力资源和社会保障局', '2026-01-05T10:00:00+08:00', NULL, 3)").run();
    expect(() => db.prepare("INSERT INTO known_workstations VALUES ('WS-000000000003', 'a2V5', '绵阳', '2026', NULL, 'three')").run()).toThrow();
    db.close();
  });
});
