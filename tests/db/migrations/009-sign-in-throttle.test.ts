import { describe, expect, it } from 'vitest';
import { columnNames, databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

/** A file as the version before left it: an administrator and a clerk. */
function filledBefore() {
  const db = databaseAtVersion(2);
  const add = db.prepare(`INSERT INTO accounts (username, display_name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, 'scrypt$32768$8$1$c2FsdA==$a2V5', '2026-11-01T10:00:00+08:00', '（首次运行）')`);
  for (const [username, displayName, role] of [['admin', '李窗口', 'admin'], ['clerk1', '张三', 'clerk']]) add.run(username, displayName, role);
  return db;
}

describe('migration 009: wrong passwords counted per name', () => {
  it('keeps the accounts and starts with no wrong password counted', () => {
    const db = filledBefore();
    migrateTo(db, 9);
    expect(tableNames(db)).toContain('sign_in_failures');
    expect([db.pragma('user_version', { simple: true }), db.prepare('SELECT username, role FROM accounts ORDER BY id').all()]).toEqual([9, [{ username: 'admin', role: 'admin' }, { username: 'clerk1', role: 'clerk' }]]);
    expect(columnNames(db, 'sign_in_failures')).toEqual(['name', 'failures', 'not_before_ms', 'last_failed_ms']);
    expect(db.prepare('SELECT count(*) FROM sign_in_failures').pluck().get()).toBe(0);
    db.close();
  });

  it('holds one row per name, for names that are no account too, and only positive counts', () => {
    const db = filledBefore();
    migrateTo(db, 9);
    const insert = db.prepare('INSERT INTO sign_in_failures (name, failures, not_before_ms, last_failed_ms) VALUES (?, ?, ?, ?)');
    insert.run('nobody', 1, 0, 1_000);
    expect(() => insert.run('nobody', 2, 0, 2_000)).toThrow(/UNIQUE/);
    expect(() => insert.run('clerk1', 0, 0, 1_000)).toThrow(/CHECK/);
    db.close();
  });
});
