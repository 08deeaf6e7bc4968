import { describe, expect, it } from 'vitest';
import { databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

describe('migration 001: the first schema', () => {
  it('makes the register, the ledger, the lists, the visits and the reference tables in an empty file', () => {
    const db = databaseAtVersion(0);
    migrateTo(db, 1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tableNames(db)).toEqual(['approved_lists', 'approved_people', 'authorised_signers', 'calendar_days', 'certificates', 'issued_slips', 'register_entries', 'settings', 'visit_rows', 'visits']);
    db.close();
  });

  it('refuses to change or delete a register entry or a certificate once written', () => {
    const db = databaseAtVersion(1);
    db.prepare(`INSERT INTO register_entries (seq, at, kind, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone, slip_no, purpose, clerk, approver, sign_method, remarks, visit_id, prev_hash, hash)
      VALUES (1, '2026-11-24T09:30:00+08:00', '签章', 's', '高级职务资格证书专用章', '钢印', '证书', 1, '单位', '经办人', '13800000000', 'QZ2026-0001', '事由', '王芳', '张主任', '纸质签字', '', 1, ?, ?)`).run('0'.repeat(64), 'a'.repeat(64));
    db.prepare(`INSERT INTO certificates (cert_no, id_number, name, qualification, approval_doc, unit, visit_id, entry_seq, sealed_at, reissue, replaces_cert_no)
      VALUES ('51202501000001', '510104199001011234', '李雷', '高级工程师', '川职改〔2025〕12号', '单位', 1, 1, '2026-11-24T09:30:00+08:00', 0, NULL)`).run();
    expect(() => db.prepare("UPDATE register_entries SET unit = '别的单位'").run()).toThrow(/只能追加，不能修改/);
    expect(() => db.prepare('DELETE FROM register_entries').run()).toThrow(/只能追加，不能删除/);
    expect(() => db.prepare("UPDATE certificates SET name = '韩梅梅'").run()).toThrow(/只能追加，不能修改/);
    expect(() => db.prepare('DELETE FROM certificates').run()).toThrow(/只能追加，不能删除/);
    db.close();
  });
});

describe('every migration', () => {
  it('has a test of its own in this folder, named after it', async () => {
    const { readdirSync } = await import('node:fs');
    const { migrations } = await import('../../../db/migrations');
    const tests = readdirSync(new URL('.', import.meta.url)).filter((name) => name.endsWith('.test.ts'));
    for (const migration of migrations) {
      const prefix = String(migration.version).padStart(3, '0');
      expect(tests.some((name) => name.startsWith(`${prefix}-`)), `tests/db/migrations/${prefix}-*.test.ts`).toBe(true);
    }
  });
});
