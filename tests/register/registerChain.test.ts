import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/register/canonicalJson';
import { dispatch } from '../../services/dispatch';
import { closeDay } from '../../services/register/batches';
import { openServices } from '../../services/open';
import { verifyLiveRegister } from '../../services/register/chain';
import { editEntry, openAsAttacker, readEntry, relinkFrom, shiftUpFrom, swapEntries, writeEntry } from '../../scripts/tamper/attacker';
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
    const db = openAsAttacker(dbPath);
    edit(db);
    db.close();
  }

  function report() {
    const services = openServices(dbPath);
    try {
      return verifyLiveRegister(services.ctx);
    } finally {
      services.close();
    }
  }

  it('is intact after two exam visits (three entries each: steel and red on certificates, red on forms)', () => {
    expect(report()).toEqual({ intact: true, count: 6 });
  });

  it('detects a changed field', () => {
    tamper((db) => editEntry(db, 2, { count: 9 }, false));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'changed' } });
  });

  it('detects a deleted row', () => {
    tamper((db) => db.exec('DELETE FROM register_entries WHERE seq = 3'));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 3, problem: 'missing' } });
  });

  it('detects two rows swapped', () => {
    tamper((db) => swapEntries(db, 2, 3));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'out-of-order' } });
  });

  it('detects a row inserted by copying another', () => {
    tamper((db) => {
      const { hash, ...copy } = readEntry(db, 3);
      shiftUpFrom(db, 4);
      writeEntry(db, 4, copy, { rehash: false, keepHash: hash });
    });
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 4, problem: 'inserted' } });
  });

  it('detects a row inserted with a hash and a link that are right for it', () => {
    tamper((db) => {
      const third = readEntry(db, 3);
      shiftUpFrom(db, 4);
      const { hash: _hash, ...fields } = third;
      writeEntry(db, 4, { ...fields, seq: 4, count: 40, unit: '某单位', prevHash: third.hash }, { rehash: true });
    });
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 4, problem: 'inserted' } });
  });

  it('detects the last row removed', () => {
    tamper((db) => db.exec('DELETE FROM register_entries WHERE seq = 6'));
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 6, problem: 'missing' } });
  });

  it('detects a row appended behind the app, even with a right hash and link', () => {
    tamper((db) => {
      const { hash, ...last } = readEntry(db, 6);
      writeEntry(db, 7, { ...last, seq: 7, prevHash: hash, count: 500 }, { rehash: true });
    });
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 7, problem: 'inserted' } });
  });

  it('detects history rewritten with every hash recomputed, through the signed batch it falls in', () => {
    const services = openServices(dbPath);
    signInForTests(services);
    expect(closeDay(services.ctx).created).toMatchObject({ batchNo: 1, firstSeq: 1, lastSeq: 6 });
    services.close();
    tamper((db) => {
      editEntry(db, 2, { count: 99 }, true);
      relinkFrom(db, 3);
      // The forger also points the register's tip at the new last hash; the tip's signature no longer matches.
      db.prepare('UPDATE register_head SET hash = (SELECT hash FROM register_entries WHERE seq = 6)').run();
    });
    // Each entry's own signature names the first one rewritten inside the signed batch.
    expect(report()).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'changed', message: expect.stringContaining('第 1 批') } });
  });

  it('refuses UPDATE and DELETE while its triggers stand', () => {
    const db = new Database(dbPath);
    // The columns are generated from the stored bytes; the bytes themselves are what the trigger guards.
    expect(() => db.exec('UPDATE register_entries SET canonical = canonical WHERE seq = 1')).toThrow('只能追加');
    expect(() => db.exec('DELETE FROM entry_records')).toThrow('只能追加');
    db.close();
  });

  it('is reported by seal-counter register-verify, whose exit status is 0 only when intact', () => {
    const cli = () => spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), 'register-verify', '--db', dbPath], { encoding: 'utf8' });
    expect(cli()).toMatchObject({ status: 0, stdout: expect.stringContaining('全部 6 条') });
    tamper((db) => editEntry(db, 5, { unit: '某单位' }, false));
    expect(cli()).toMatchObject({ status: 1, stdout: expect.stringContaining('第 5 号') });
  });
});
