import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchContentProblem, batchSignatureValid, workstationIdOf } from '../../core/register/batch';
import { batchPayload, closeEarlierDays } from '../../services/register/batches';
import { dispatch } from '../../services/dispatch';
import { openServices } from '../../services/open';
import { workstationKeyPathFor } from '../../services/paths';
import { clientOf, freshServices, REPO_DIR, signInForTests, upload } from '../support/services';
import { certificatesIn } from '../../core/register/records';

const ROSTER_HEADER = '序号,证书编号,姓名,性别,身份证号码,资格名称';
const PEOPLE = ['1,C001,向莉芳,女,510107199206205820,中级会计师', '1,C002,宋璐丽,女,511902198206083788,中级会计师'];

/** A counter with the exam list imported and one visit sealed per roster line given. */
async function counterWithSealedVisits(lines: string[]) {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
  for (const [i, line] of lines.entries()) {
    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    await call('visits.importRoster', { visitId: visit.id, fileName: `r${i}.csv`, dataBase64: Buffer.from(`${ROSTER_HEADER}\n${line}\n`).toString('base64') });
    await call('visits.seal', { visitId: visit.id });
  }
  return { services, call };
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), ...args], { encoding: 'utf8' });
}

describe('register entries', () => {
  it('name the clerk who sealed, by name and account', async () => {
    const { services, call } = await counterWithSealedVisits([PEOPLE[0]!]);
    const { entries } = await call('register.list', { offset: 0, limit: 10 });
    expect(entries).toHaveLength(3);
    for (const e of entries) expect(e).toMatchObject({ kind: '签章', clerk: '王芳', clerkAccount: 'wangfang', correctsSeq: null, correctedBy: [] });
    services.close();
  });
});

describe('a 更正 entry', () => {
  it('restates the entry with the supervisor’s changes and reason, leaves the original as it was, and keeps the chain intact', async () => {
    const { services, call } = await counterWithSealedVisits([PEOPLE[0]!]);
    signInForTests(services, { username: 'zhao', displayName: '赵审核', role: 'supervisor' });
    const correction = await call('register.correct', { seq: 2, reason: '经办人电话登记错误', changes: { agentPhone: '13900000000', count: 1 } });
    expect(correction).toMatchObject({
      seq: 4, kind: '更正', correctsSeq: 2, agentPhone: '13900000000', count: 1, clerk: '赵审核', clerkAccount: 'zhao',
      remarks: '更正第 2 号登记：经办人电话登记错误', sealName: expect.any(String), visitId: 1,
    });
    const { entries } = await call('register.list', { offset: 0, limit: 10 });
    const original = entries.find((e) => e.seq === 2)!;
    expect(original).toMatchObject({ agentPhone: '13800000000', correctedBy: [4] });
    expect(await call('register.verify', {})).toEqual({ intact: true, count: 4 });
    services.close();
  });

  it('needs a change and may not correct a correction', async () => {
    const { services, call } = await counterWithSealedVisits([PEOPLE[0]!]);
    await expect(call('register.correct', { seq: 1, reason: '无变化', changes: { count: 1 } })).rejects.toThrow('更正内容与原登记相同');
    await call('register.correct', { seq: 1, reason: '单位名称有误', changes: { unit: '四川省建设厅' } });
    await expect(call('register.correct', { seq: 4, reason: '再次更正', changes: { unit: '某单位' } })).rejects.toThrow('本身是更正登记');
    services.close();
  });
});

describe('day close', () => {
  it('seals the entries since the last batch into a signed batch, and closing again changes nothing', async () => {
    const { services, call } = await counterWithSealedVisits([PEOPLE[0]!]);
    const first = await call('batches.closeDay', {});
    expect(first.created).toMatchObject({ batchNo: 1, firstSeq: 1, lastSeq: 3, entryCount: 3, workstationId: services.ctx.workstation.id, acknowledgedAt: null });
    expect(await call('batches.closeDay', {})).toEqual({ created: null, latest: first.created });

    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    await call('visits.importRoster', { visitId: visit.id, fileName: 'r.csv', dataBase64: Buffer.from(`${ROSTER_HEADER}\n${PEOPLE[1]}\n`).toString('base64') });
    await call('visits.seal', { visitId: visit.id });
    const second = await call('batches.closeDay', {});
    expect(second.created).toMatchObject({ batchNo: 2, firstSeq: 4, lastSeq: 6 });
    expect((await call('batches.list', {})).map((b) => b.batchNo)).toEqual([2, 1]);

    // What the hub will receive verifies on its own, with the workstation's public key.
    const payload = batchPayload(services.ctx.db, 2)!;
    expect(batchSignatureValid(payload.batch, services.ctx.workstation.publicKey)).toBe(true);
    expect(batchContentProblem(payload)).toBeNull();
    expect(certificatesIn(payload.records)).toEqual([expect.objectContaining({ certNo: 'C002', idNumber: '511902198206083788', entrySeq: 4 })]);
    expect(await call('batches.verify', {})).toEqual({ batches: [
      { batchNo: 1, firstSeq: 1, lastSeq: 3, ok: true, message: expect.any(String) },
      { batchNo: 2, firstSeq: 4, lastSeq: 6, ok: true, message: expect.any(String) },
    ] });
    services.close();
  });

  it('closes a day left open at the next start, and leaves today open', async () => {
    const { services } = await counterWithSealedVisits([PEOPLE[0]!]);
    expect(closeEarlierDays(services.ctx)).toBeNull();
    services.setNow(new Date('2026-11-25T08:50:00+08:00'));
    expect(closeEarlierDays(services.ctx)?.created).toMatchObject({ batchNo: 1, firstSeq: 1, lastSeq: 3 });
    expect(closeEarlierDays(services.ctx)).toBeNull();
    services.close();
  });

  it('is done by seal-counter close-day, and seal-counter batch-verify finds a batch edited behind the app', async () => {
    const { services } = await counterWithSealedVisits([PEOPLE[0]!]);
    services.close();
    const dbPath = services.ctx.dbPath;
    expect(cli('close-day', '--db', dbPath)).toMatchObject({ status: 0, stdout: expect.stringContaining('第 1 批，第 1–3 号登记共 3 条') });
    expect(cli('close-day', '--db', dbPath)).toMatchObject({ status: 0, stdout: expect.stringContaining('无需日结') });
    expect(cli('batch-verify', '--db', dbPath)).toMatchObject({ status: 0, stdout: expect.stringContaining('全部 1 批校验通过') });

    const db = new Database(dbPath);
    expect(() => db.exec('UPDATE batches SET entry_count = 2')).toThrow('不能修改');
    db.exec('DROP TRIGGER batches_no_update; UPDATE batches SET entry_count = 2');
    db.close();
    expect(cli('batch-verify', '--db', dbPath)).toMatchObject({ status: 1, stdout: expect.stringContaining('签名无效') });
    expect(cli('register-verify', '--db', dbPath)).toMatchObject({ status: 1, stdout: expect.stringContaining('第 1 批') });
  });
});

describe('the workstation key', () => {
  it('is made on first run, kept apart from the database in a file only its owner may read, and names the workstation', () => {
    const services = freshServices();
    const keyPath = workstationKeyPathFor(services.ctx.dbPath);
    expect(services.ctx.workstation).toMatchObject({ protection: 'owner-only-file', keyPath, id: workstationIdOf(services.ctx.workstation.publicKey) });
    if (process.platform !== 'win32') expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const dbBytes = readFileSync(services.ctx.dbPath);
    const seed = (JSON.parse(readFileSync(keyPath, 'utf8')) as { key: string }).key;
    expect(dbBytes.includes(Buffer.from(seed))).toBe(false);
    services.close();
  });

  it('is exported as a public-key file for enrolment with the hub', async () => {
    const { services, call } = await counterWithSealedVisits([]);
    const exported = JSON.parse((await call('workstation.exportKey', {})).json);
    expect(exported).toEqual({
      format: 'seal-counter-workstation-key/1', workstationId: services.ctx.workstation.id,
      publicKey: Buffer.from(services.ctx.workstation.publicKey).toString('base64'), officeName: '四川省人力资源和社会保障厅', exportedAt: expect.any(String),
    });
    services.close();
  });

  it('refuses to start with a key that is not this database’s, and says so', () => {
    const one = freshServices();
    const other = freshServices();
    one.close();
    other.close();
    writeFileSync(workstationKeyPathFor(one.ctx.dbPath), readFileSync(workstationKeyPathFor(other.ctx.dbPath)));
    expect(() => openServices(one.ctx.dbPath)).toThrow('与数据文件记载的工作站');
  });
});
