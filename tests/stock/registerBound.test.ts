import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchPayloadSchema } from '../../core/hub/protocol';
import { batchContentProblem, batchSignatureValid } from '../../core/register/batch';
import { batchPayload } from '../../services/register/batches';
import { openServices } from '../../services/open';
import { editEntry, editRecord, openAsAttacker, recordsOf } from '../../scripts/tamper/attacker';
import { copyOfDatabase } from '../support/backup';
import { signInForTests, upload } from '../support/services';
import { CLERK, HUAXI, SENIOR, stockOffice, SUPERVISOR } from './support';

/**
 * Stock movements are register entries with their details bound in as records (issue 15): they
 * travel in the signed day batches as the hub checks them, and a movement rewritten behind the
 * app is named by 校验登记簿 and stops the next write, exactly as a sealing would.
 */
describe('stock movements inside the register’s chain', () => {
  const office = stockOffice('2026-03-03T09:30:00+08:00');
  afterAll(() => office.services.close());
  /** A copy of the office's file as it stands (its WAL written in first), key and witness beside it. */
  const snapshot = () => {
    office.db.pragma('wal_checkpoint(TRUNCATE)');
    return copyOfDatabase(office.services.dbPath);
  };
  let issueSeq: number;

  beforeAll(async () => {
    office.as(SUPERVISOR);
    await office.call('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000300' }] });
    issueSeq = (await office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-clean.xlsx'), ranges: [{ first: '51202500000101', last: '51202500000142' }] })).seq;
    await office.by(CLERK, 'stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000141', '51202500000142'] });
  });

  it('closes them into a signed batch that passes the hub’s own checks, records included', async () => {
    const closed = await office.call('batches.closeDay', {});
    expect(closed.created).toMatchObject({ firstSeq: 1, lastSeq: 3, entryCount: 3 });
    const payload = BatchPayloadSchema.parse(JSON.parse(JSON.stringify(batchPayload(office.db, closed.created!.batchNo))));
    expect(payload.entries.map((e) => e.kind)).toEqual(['空白证书入库', '空白证书发放', '废证退回']);
    expect(payload.records.map((r) => (JSON.parse(r.canonical) as { kind: string }).kind)).toEqual(['stock-receipt', 'stock-issue', 'stock-spoiled', 'stock-spoiled']);
    expect(batchContentProblem(payload)).toBeNull();
    expect(batchSignatureValid(payload.batch, office.services.ctx.workstation.publicKey)).toBe(true);
    expect((await office.call('batches.verify', {})).batches.every((b) => b.ok)).toBe(true);
  });

  it('names a stock record changed behind the app, in a closed day', async () => {
    const dbPath = snapshot();
    const attacker = openAsAttacker(dbPath);
    const issue = recordsOf(attacker, issueSeq)[0]!;
    editRecord(attacker, issue.id, { count: 20 });
    attacker.close();
    const copy = openServices(dbPath, () => new Date('2026-03-03T10:00:00+08:00'));
    try {
      const report = await copy.handlers['register.verify']({});
      expect(report).toMatchObject({ intact: false, firstBreak: { seq: issueSeq, problem: 'ledger' } });
      // The clerk is told which entry: the 空白证书发放 whose record was changed, not the receipt before it.
      expect(issueSeq).toBe(2);
      expect(report.intact ? '' : report.firstBreak.message).toContain(`第 ${issueSeq} 号登记`);
    } finally {
      copy.close();
    }
  });

  it('refuses the next stock movement on a register whose open day was rewritten, and records the refusal', async () => {
    await office.by(CLERK, 'slipRequests.record', { unit: HUAXI, year: 2027, arrivedOn: '2026-03-03', slipCount: 1, files: [upload('rosters/senior-clean.xlsx')] });
    const dbPath = snapshot();
    const attacker = openAsAttacker(dbPath);
    editEntry(attacker, 4, { count: 9 }, true);
    attacker.close();
    const copy = openServices(dbPath, () => new Date('2026-03-03T10:00:00+08:00'));
    try {
      signInForTests(copy, CLERK);
      await expect((async () => copy.handlers['stock.spoiled']({ unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000140'] }))())
        .rejects.toThrow('登记簿在签章窗口之外被改动过，为保护登记簿，本次废证退回已拒绝，什么也没有写入');
      expect(copy.ctx.db.prepare('SELECT action FROM register_refusals').pluck().all()).toEqual(['废证退回']);
      expect(copy.ctx.db.prepare('SELECT count(*) FROM entry_records WHERE kind = ?').pluck().get('stock-spoiled')).toBe(2);
    } finally {
      copy.close();
    }
  });
});
