import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/register/canonicalJson';
import { columnNames, databaseAtVersion, migrateTo, tableNames } from '../../support/migrations';

const GENESIS = '0'.repeat(64);
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** A version-2 entry as the app of that version wrote it: columns, and a hash over their canonical JSON. */
const legacyEntry = {
  seq: 1, at: '2026-11-24T09:30:00+08:00', kind: '签章', correctsSeq: null, sealId: 'senior-steel', sealName: '高级职务资格证书专用章', sealKind: '钢印',
  documentKind: '证书', count: 1, unit: '四川华西集团有限公司', agentName: '赵"经办"', agentPhone: '13800000000', slipNo: 'QZ2026-0001',
  purpose: '2025年度高级工程师证书签章', clerk: '王芳', clerkAccount: 'wangfang', approver: '张主任', signMethod: '纸质登记表签字', remarks: '第 3 行\n已核对', visitId: 1, prevHash: GENESIS,
};
const legacyHash = sha256(canonicalJson(legacyEntry));

function filledVersion2() {
  const db = databaseAtVersion(2);
  const e = legacyEntry;
  db.prepare(`INSERT INTO register_entries (seq, at, kind, corrects_seq, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone, slip_no, purpose, clerk, clerk_account, approver, sign_method, remarks, visit_id, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(e.seq, e.at, e.kind, e.correctsSeq, e.sealId, e.sealName, e.sealKind, e.documentKind, e.count, e.unit,
    e.agentName, e.agentPhone, e.slipNo, e.purpose, e.clerk, e.clerkAccount, e.approver, e.signMethod, e.remarks, e.visitId, e.prevHash, legacyHash);
  db.prepare(`INSERT INTO certificates (cert_no, id_number, name, qualification, approval_doc, unit, visit_id, entry_seq, sealed_at, reissue, replaces_cert_no)
    VALUES ('51202501000002', '510104199001011234', '李雷', '高级工程师', '川职改〔2025〕12号', '四川华西集团有限公司', 1, 1, '2026-11-24T09:30:00+08:00', 1, '51202501000001')`).run();
  db.prepare("INSERT INTO register_head (singleton, seq, hash, signature) VALUES (1, 1, ?, 'old-signature')").run(legacyHash);
  db.prepare(`INSERT INTO batches (batch_no, workstation_id, first_seq, last_seq, entry_count, prev_hash, last_hash, certificates_hash, created_at, signature)
    VALUES (1, 'WS-000000000000', 1, 1, 1, ?, ?, ?, '2026-11-24T18:00:00+08:00', 'sig')`).run(GENESIS, legacyHash, 'c'.repeat(64));
  return db;
}

describe('migration 003: the register kept as its canonical bytes, the ledger bound into it', () => {
  it('keeps every entry as the exact text its hash was taken over, so old hashes still check', () => {
    const db = filledVersion2();
    migrateTo(db, 3);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const row = db.prepare('SELECT seq, canonical, hash, signature, unit, agent_name, remarks, visit_id, prev_hash, at FROM register_entries').get() as Record<string, unknown>;
    expect(sha256(row.canonical as Buffer)).toBe(legacyHash);
    expect(row).toMatchObject({ seq: 1, hash: legacyHash, signature: null, unit: '四川华西集团有限公司', agent_name: '赵"经办"', remarks: '第 3 行\n已核对', visit_id: 1, prev_hash: GENESIS, at: '2026-11-24T09:30:00+08:00' });
    db.close();
  });

  it('turns each certificate into a ledger record of its entry, read back through the certificates view', () => {
    const db = filledVersion2();
    migrateTo(db, 3);
    expect(db.prepare('SELECT entry_seq, kind FROM entry_records').all()).toEqual([{ entry_seq: 1, kind: 'certificate' }]);
    expect(db.prepare('SELECT cert_no, id_number, name, visit_id, entry_seq, reissue, replaces_cert_no FROM certificates').get()).toEqual({
      cert_no: '51202501000002', id_number: '510104199001011234', name: '李雷', visit_id: 1, entry_seq: 1, reissue: 1, replaces_cert_no: '51202501000001',
    });
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM certificates WHERE cert_no = '51202501000002'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX certificates_by_no/);
    db.close();
  });

  it('guards the stored bytes and the ledger with triggers, and makes the columns derived', () => {
    const db = filledVersion2();
    migrateTo(db, 3);
    expect(() => db.exec('UPDATE register_entries SET canonical = canonical')).toThrow(/只能追加，不能修改/);
    expect(() => db.exec('DELETE FROM entry_records')).toThrow(/只能追加，不能删除/);
    expect(() => db.exec("UPDATE register_entries SET unit = '别处'")).toThrow(/generated column/);
    db.close();
  });

  it('renames the batches’ records hash, starts a new signed tip and a refusal log', () => {
    const db = filledVersion2();
    migrateTo(db, 3);
    expect(columnNames(db, 'batches')).toContain('records_hash');
    expect(db.prepare('SELECT records_hash FROM batches').pluck().get()).toBe('c'.repeat(64));
    expect(columnNames(db, 'register_head')).toEqual(['singleton', 'seq', 'hash', 'last_batch_no', 'record_count', 'last_record_id', 'signature']);
    expect(db.prepare('SELECT count(*) FROM register_head').pluck().get()).toBe(0);
    expect(tableNames(db)).toContain('register_refusals');
    db.close();
  });
});
