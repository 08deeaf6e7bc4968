import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeBackup } from '../../services/backup/backup';
import { dispatch } from '../../services/dispatch';
import { registerWitnessPathFor } from '../../services/paths';
import { closeDay } from '../../services/register/batches';
import { checkRegister, verifyLiveRegister } from '../../services/register/chain';
import { readWitness } from '../../services/register/witness';
import { editEntry, openAsAttacker } from '../../scripts/tamper/attacker';
import { sealVisit } from '../support/backup';
import { clientOf, freshServices, upload } from '../support/services';

/**
 * What issue 11 asks of the register beyond the tamper kit's cases: a refused write is recorded,
 * the witness outside the database follows every write, and a backup taken while a sealing
 * lands is still a good backup.
 */
describe('the register, bound together', () => {
  let services: ReturnType<typeof freshServices>;

  beforeEach(async () => {
    services = freshServices();
    await clientOf((name, request) => dispatch(services, name, request))('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
  });

  it('keeps a signed witness beside the key that follows each sealing and day close', async () => {
    expect(readWitness(services.dbPath, services.ctx.workstation)).toMatchObject({ kind: 'ok', witness: { seq: 0, lastBatchNo: 0 } });
    await sealVisit(services, 0, 2);
    expect(readWitness(services.dbPath, services.ctx.workstation)).toMatchObject({ kind: 'ok', witness: { seq: 3, lastBatchNo: 0, hubBatchNo: 0 } });
    closeDay(services.ctx);
    const witness = readWitness(services.dbPath, services.ctx.workstation);
    expect(witness).toMatchObject({ kind: 'ok', witness: { seq: 3, lastBatchNo: 1 } });
    expect(JSON.parse(readFileSync(registerWitnessPathFor(services.dbPath), 'utf8'))).toMatchObject({ format: 'seal-counter-register-witness/1', signature: expect.any(String) });
    services.close();
  });

  it('refuses to seal on top of a register changed outside the app, says what to do, and records the refusal', async () => {
    await sealVisit(services, 0, 2);
    const attacker = openAsAttacker(services.dbPath);
    editEntry(attacker, 2, { count: 40 }, true);
    attacker.close();
    await expect(sealVisit(services, 10, 2)).rejects.toThrow(/^登记簿在签章窗口之外被改动过，为保护登记簿，本次签章已拒绝，什么也没有写入：第 2 号登记.*请立即联系审核人/);
    const db = new Database(services.dbPath, { readonly: true });
    expect(db.prepare('SELECT action, account, message FROM register_refusals').all()).toEqual([{ action: '签章', account: 'wangfang', message: expect.stringContaining('第 2 号登记') }]);
    expect(db.prepare('SELECT count(*) FROM register_entries').pluck().get()).toBe(3);
    db.close();
    expect(() => closeDay(services.ctx)).toThrow(/本次日结已拒绝/);
    // 校验登记簿 shows them beside its result, newest first.
    const refusals = await clientOf((name, request) => dispatch(services, name, request))('register.refusals', {});
    expect(refusals.map((r) => r.action)).toEqual(['日结', '签章']);
    services.close();
  });

  it('checks only the open day before each write, whatever the size of what was closed before', async () => {
    await sealVisit(services, 0, 2);
    closeDay(services.ctx);
    await sealVisit(services, 10, 2);
    // A change inside the closed day is the full check's to find; the day's own entries are the write's.
    const attacker = openAsAttacker(services.dbPath);
    editEntry(attacker, 2, { count: 40 }, false);
    attacker.close();
    expect(checkRegister(services.ctx, 'open-day', readWitness(services.dbPath, services.ctx.workstation))).toEqual({ intact: true, count: 3 });
    expect(verifyLiveRegister(services.ctx)).toMatchObject({ intact: false, firstBreak: { seq: 2, problem: 'changed' } });
    services.close();
  });

  it('accepts a backup that a sealing overtook: it is a verified prefix of the live register', async () => {
    await sealVisit(services, 0, 2);
    const backup = await makeBackup(services.ctx, {
      copy: async (db, destination) => {
        await db.backup(destination);
        // The counter seals while the copy is being checked.
        await sealVisit(services, 10, 2);
      },
    });
    expect(backup).toMatchObject({ entryCount: 3, lastSeq: 3 });
    expect(services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get()).toBe(6);
    services.close();
  });
});
