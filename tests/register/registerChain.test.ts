import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/register/canonicalJson';
import { dispatch } from '../../services/dispatch';
import { registerEntryHash, type HashedRegisterEntry, type RegisterEntry } from '../../core/register/entries';
import { closeDay } from '../../services/register/batches';
import { openServices } from '../../services/open';
import { verifyRegister } from '../../services/register/chain';
import { registerEntriesBetween } from '../../services/register/entries';
import { clientOf, freshServices, REPO_DIR, signInForTests, upload } from '../support/services';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys, drops white space and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: [1, 2.5, 1e21, -0], a: { z: null, y: true }, 'é': '\u20ac\n' })).toBe('{"a":{"y":true,"z":null},"b":[1,2.5,1e+21,0],"é":"€\\n"}');
  });
});

/**
 * A register changed behind the app's back — with the triggers dropped, as someone editing the
 * file directly would — is detected, and the first bad entry is named with what happened to it.
 */
describe('the register hash chain', () => {
  let dbPath: string;

  beforeEach(async () => {
    const services = freshServices();
    dbPath = services.dbPath;
    const call = clientOf((name, request) => dispatch(services, name, request));
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    const csv = ['序号,证书编号,姓名,性别,身份证号码,资格名称', '1,C001,向莉芳,女,510107199206205820,中级会计师', '2,C002,宋璐丽,女,511902198206083788,中级会计师'];
    for (const [i, line] of [csv[1], csv[2]].entries()) {
      const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
      await call('visits.importRoster', { visitId: visit.id, fileName: `r${i}.csv`, dataBase64: Buffer.from(`${csv[0]}\n${line}\n`).toString('base64') });
      await call('visits.seal', { visitId: visit.id });
    }
    services.close();
  });

  function tamper(edit: (db: Database.Database) => void): void {
    const db = new Database(dbPath);
    db.pragma('foreign_keys = OFF');
    db.exec('DROP TRIGGER register_entries_no_update; DROP TRIGGER register_entries_no_delete; DROP TRIGGER batches_no_update;');
    edit(db);
    db.close();
  }

  const COLUMNS = 'seq, at, kind, corrects_seq, seal_id, seal_name, seal_kind, document_kind, count, unit, agent_name, agent_phone, slip_no, purpose, clerk, clerk_account, approver, sign_method, remarks, visit_id, prev_hash, hash';

  function entryAt(db: Database.Database, seq: number): HashedRegisterEntry {
    return registerEntriesBetween(db, seq, seq)[0]!;
  }

  /** Writes an entry whose hash is right for its content: what a careful forger would do. */
  function writeWellFormed(db: Database.Database, entry: RegisterEntry): HashedRegisterEntry {
    const e = { ...entry, hash: registerEntryHash(entry) };
    db.prepare(`INSERT OR REPLACE INTO register_entries (${COLUMNS}) VALUES (${COLUMNS.split(',').map(() => '?').join(',')})`).run(
      e.seq, e.at, e.kind, e.correctsSeq, e.sealId, e.sealName, e.sealKind, e.documentKind, e.count, e.unit, e.agentName, e.agentPhone, e.slipNo, e.purpose,
      e.clerk, e.clerkAccount, e.approver, e.signMethod, e.remarks, e.visitId, e.prevHash, e.hash);
    return e;
  }

  function shiftUpFrom(db: Database.Database, seq: number): void {
    db.prepare('UPDATE register_entries SET seq = seq + 1000 WHERE seq >= ?').run(seq);
    db.prepare('UPDATE register_entries SET seq = seq - 999 WHERE seq >= 1000').run();
  }

  function report() {
    const services = openServices(dbPath);
    try {
      return verifyRegister(services.ctx);
    } finally {
      services.close();
    }
  }

  it('is intact after two exam visits (three entries each: steel and red on certificates, red on forms)', () => {
    expect(report()).toEqual({ intact: true, count: 6 });
  });

  it('detects a changed field', () => {
    tamper((db) => db.exec('UPDATE register_entries SET count = 9 WHERE seq = 2'));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'changed' } });
  });

  it('detects a deleted row', () => {
    tamper((db) => db.exec('DELETE FROM register_entries WHERE seq = 3'));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 3, problem: 'missing' } });
  });

  it('detects two rows swapped', () => {
    tamper((db) => db.exec('UPDATE register_entries SET seq = -1 WHERE seq = 2; UPDATE register_entries SET seq = 2 WHERE seq = 3; UPDATE register_entries SET seq = 3 WHERE seq = -1;'));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'out-of-order' } });
  });

  it('detects a row inserted by copying another', () => {
    tamper((db) => {
      shiftUpFrom(db, 4);
      db.exec(`INSERT INTO register_entries (${COLUMNS}) SELECT 4, at, kind, corrects_seq, seal_id, seal_name, seal_kind, document_kind, 1, unit, agent_name, agent_phone, slip_no, purpose,
        clerk, clerk_account, approver, sign_method, remarks, visit_id, prev_hash, hash FROM register_entries WHERE seq = 3`);
    });
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 4, problem: 'inserted' } });
  });

  it('detects a row inserted with a hash and a link that are right for it', () => {
    tamper((db) => {
      const third = entryAt(db, 3);
      shiftUpFrom(db, 4);
      const { hash: _hash, ...fields } = third;
      writeWellFormed(db, { ...fields, seq: 4, count: 40, unit: '某单位', prevHash: third.hash });
    });
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 4, problem: 'inserted' } });
  });

  it('detects the last row removed', () => {
    tamper((db) => db.exec('DELETE FROM register_entries WHERE seq = 6'));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 6, problem: 'missing' } });
  });

  it('detects a row appended behind the app, even with a right hash and link', () => {
    tamper((db) => {
      const { hash, ...last } = entryAt(db, 6);
      writeWellFormed(db, { ...last, seq: 7, prevHash: hash, count: 500 });
    });
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 7, problem: 'inserted' } });
  });

  it('detects history rewritten with every hash recomputed, through the signed batch it falls in', () => {
    const services = openServices(dbPath);
    signInForTests(services);
    expect(closeDay(services.ctx).created).toMatchObject({ batchNo: 1, firstSeq: 1, lastSeq: 6 });
    services.close();
    tamper((db) => {
      let previous = entryAt(db, 1);
      for (let seq = 2; seq <= 6; seq++) {
        const { hash: _hash, ...fields } = entryAt(db, seq);
        previous = writeWellFormed(db, { ...fields, count: seq === 2 ? 99 : fields.count, prevHash: previous.hash });
      }
      // The forger also points the register's tip at the new last hash; the tip's signature no longer matches.
      db.prepare('UPDATE register_head SET hash = ?').run(previous.hash);
    });
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 1, problem: 'changed', message: expect.stringContaining('第 1 批') } });
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
    tamper((db) => db.exec("UPDATE register_entries SET unit = '某单位' WHERE seq = 5"));
    expect(cli()).toMatchObject({ status: 1, stdout: expect.stringContaining('第 5 号') });
  });
});
