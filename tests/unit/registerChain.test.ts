import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonicalJson';
import { dispatch } from '../../services/dispatch';
import { verifyRegister } from '../../services/register';
import { clientOf, freshServices, REPO_DIR, upload } from '../support';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys, drops white space and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: [1, 2.5, 1e21, -0], a: { z: null, y: true }, 'é': '\u20ac\n' })).toBe('{"a":{"y":true,"z":null},"b":[1,2.5,1e+21,0],"é":"€\\n"}');
  });
});

/**
 * A register changed behind the app's back — with the triggers dropped, as someone editing the
 * file directly would — is detected, and the first bad entry is named.
 */
describe('the register hash chain', () => {
  let dbPath: string;

  beforeEach(async () => {
    const services = freshServices();
    dbPath = services.dbPath;
    const call = clientOf((name, request) => dispatch(services.handlers, name, request));
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    const csv = ['序号,证书编号,姓名,性别,身份证号码,资格名称', '1,C001,向莉芳,女,510107199206205820,中级会计师', '2,C002,宋璐丽,女,511902198206083788,中级会计师'];
    for (const [i, line] of [csv[1], csv[2]].entries()) {
      const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '', clerk: '王芳' });
      await call('visits.importRoster', { visitId: visit.id, fileName: `r${i}.csv`, dataBase64: Buffer.from(`${csv[0]}\n${line}\n`).toString('base64') });
      await call('visits.seal', { visitId: visit.id });
    }
    services.close();
  });

  function tamper(sql: string): void {
    const db = new Database(dbPath);
    db.pragma('foreign_keys = OFF');
    db.exec('DROP TRIGGER register_entries_no_update; DROP TRIGGER register_entries_no_delete;');
    db.exec(sql);
    db.close();
  }

  function report() {
    const db = new Database(dbPath, { readonly: true });
    try {
      return verifyRegister(db);
    } finally {
      db.close();
    }
  }

  it('is intact after two exam visits (three entries each: steel and red on certificates, red on forms)', () => {
    expect(report()).toEqual({ intact: true, count: 6 });
  });

  it('detects a changed field', () => {
    tamper("UPDATE register_entries SET count = 9 WHERE seq = 2");
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'changed' } });
  });

  it('detects a deleted row', () => {
    tamper('DELETE FROM register_entries WHERE seq = 3');
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 4, problem: 'missing' } });
  });

  it('detects two rows swapped', () => {
    tamper(`UPDATE register_entries SET seq = -1 WHERE seq = 2; UPDATE register_entries SET seq = 2 WHERE seq = 3; UPDATE register_entries SET seq = 3 WHERE seq = -1;`);
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'changed' } });
  });

  it('detects an inserted row', () => {
    tamper(`UPDATE register_entries SET seq = seq + 100 WHERE seq >= 4; UPDATE register_entries SET seq = seq - 99 WHERE seq >= 104;
            INSERT INTO register_entries SELECT 4, at, kind, seal_id, seal_name, seal_kind, document_kind, 1, unit, agent_name, agent_phone, slip_no, purpose, clerk, approver, sign_method, remarks, visit_id, prev_hash, hash FROM register_entries WHERE seq = 3;`);
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 4 } });
  });

  it('refuses UPDATE and DELETE while its triggers stand', () => {
    const db = new Database(dbPath);
    expect(() => db.exec('UPDATE register_entries SET count = 9 WHERE seq = 1')).toThrow('只能追加');
    expect(() => db.exec('DELETE FROM certificates')).toThrow('只能追加');
    db.close();
  });

  it('is reported by seal-counter register-verify, whose exit status is 0 only when intact', () => {
    const cli = () => spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), 'register-verify', '--db', dbPath], { encoding: 'utf8' });
    expect(cli()).toMatchObject({ status: 0, stdout: expect.stringContaining('全部 6 条') });
    tamper("UPDATE register_entries SET unit = '某单位' WHERE seq = 5");
    expect(cli()).toMatchObject({ status: 1, stdout: expect.stringContaining('第 5 号') });
  });
});
