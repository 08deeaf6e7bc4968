import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../core/register/entries';
import { clone, enrol, hubFolder, hubQuery, hubRows, refusalCount, startHub, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * DOMAIN.md §9: the hub accepts a batch only if the workstation is enrolled, the signature
 * verifies, every entry hash recomputes and the batch continues that workstation's chain; a batch
 * it already has is acknowledged again without change; a gap is answered with what it expects; a
 * forgery is refused.
 */
describe('the hub receiving batches', () => {
  let hub: HubProcess;
  let dataDir: string;
  const batchesOf = (ws: TestWorkstation) => hubRows(dataDir, 'SELECT COUNT(*) FROM batches WHERE workstation_id = $1', ws.id);
  const entriesOf = (ws: TestWorkstation) => hubRows(dataDir, 'SELECT COUNT(*) FROM entries WHERE workstation_id = $1', ws.id);

  beforeAll(async () => {
    dataDir = await hubFolder('batches');
    hub = await startHub(dataDir);
  }, 60_000);
  afterAll(async () => {
    expect(await hub.stop()).toBe(0);
  });

  it('accepts a valid batch, and acknowledges the same batch delivered three more times as a duplicate, storing it once', async () => {
    const ws = new TestWorkstation('绵阳市人力资源和社会保障局');
    await enrol(dataDir, ws);
    const client = ws.client(hub);
    const payload = ws.addEntries(3).seal({ certNo: '51202502000101', idNumber: '510703198503124419', name: '赵子龙', qualification: '高级工程师' }).closeBatch();

    expect(await client.state()).toEqual({ kind: 'state', workstationId: ws.id, lastBatchNo: 0, lastSeq: 0, lastHash: GENESIS_HASH });
    expect(await client.pushBatch(payload)).toEqual({ kind: 'accepted', batchNo: 1, nextBatchNo: 2, nextSeq: 5 });
    for (let i = 0; i < 3; i++) {
      expect(await client.pushBatch(payload)).toEqual({ kind: 'duplicate', batchNo: 1, nextBatchNo: 2, nextSeq: 5 });
    }

    expect(await batchesOf(ws)).toBe(1);
    expect(await entriesOf(ws)).toBe(4);
    expect(await hubRows(dataDir, 'SELECT COUNT(*) FROM certificates WHERE workstation_id = $1', ws.id)).toBe(1);
    expect(await client.state()).toEqual({ kind: 'state', workstationId: ws.id, lastBatchNo: 1, lastSeq: 4, lastHash: payload.batch.lastHash });
  });

  it('answers a batch that arrives before its predecessor with the batch and entry it expects, then takes both in order', async () => {
    const ws = new TestWorkstation('南充市人力资源和社会保障局');
    await enrol(dataDir, ws);
    const client = ws.client(hub);
    const first = ws.addEntries(5).closeBatch();
    const second = ws.addEntries(2).closeBatch();

    const gap = await client.pushBatch(second);
    expect(gap).toMatchObject({ kind: 'gap', expectedBatchNo: 1, expectedFirstSeq: 1 });
    expect(gap.kind === 'gap' && gap.message).toMatch(/第 1 批/);
    expect(await batchesOf(ws)).toBe(0);

    expect(await client.pushBatch(first)).toEqual({ kind: 'accepted', batchNo: 1, nextBatchNo: 2, nextSeq: 6 });
    expect(await client.pushBatch(second)).toEqual({ kind: 'accepted', batchNo: 2, nextBatchNo: 3, nextSeq: 8 });
    expect(await batchesOf(ws)).toBe(2);
    expect(await entriesOf(ws)).toBe(7);
  });

  it('refuses a different batch 1 signed by the same workstation after batch 1 was accepted, and keeps it as evidence', async () => {
    const original = new TestWorkstation('宜宾市人力资源和社会保障局');
    // The same key with another history: a register restored from an old copy and sealed on.
    const restored = new TestWorkstation(original.officeName, original.keys, '宜宾市第一人民医院');
    await enrol(dataDir, original);
    const accepted = original.addEntries(2).closeBatch();
    const rival = restored.addEntries(3).closeBatch();
    expect(rival.batch.batchNo).toBe(1);

    expect((await original.client(hub).pushBatch(accepted)).kind).toBe('accepted');
    const answer = await restored.client(hub).pushBatch(rival);
    expect(answer).toMatchObject({ kind: 'equivocation', batchNo: 1 });
    expect(answer.kind === 'equivocation' && answer.message).toMatch(/第 1 批/);

    const evidence = await hubQuery<{ workstation_id: string; batch_no: number; payload_json: string }>(dataDir, 'SELECT workstation_id, batch_no, payload_json FROM equivocations WHERE workstation_id = $1', original.id);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.batch_no).toBe(1);
    expect(JSON.parse(evidence[0]!.payload_json)).toEqual(rival);
    // What the hub holds is unchanged.
    expect(await batchesOf(original)).toBe(1);
    expect(await entriesOf(original)).toBe(2);
    expect(hub.stderr()).toContain(original.id);
  });

  it('rejects a batch with one character of one entry changed, stores nothing of it and logs the refusal', async () => {
    const ws = new TestWorkstation('达州市人力资源和社会保障局');
    await enrol(dataDir, ws);
    const client = ws.client(hub);
    const payload = ws.addEntries(6).closeBatch();

    const unitChanged = clone(payload);
    unitChanged.entries[3]!.unit = unitChanged.entries[3]!.unit.replace('华西', '华东');
    const countChanged = clone(payload);
    countChanged.entries[0]!.count = 2;

    for (const forged of [unitChanged, countChanged]) {
      const answer = await client.pushBatch(forged);
      expect(answer).toMatchObject({ kind: 'rejected', reason: 'content' });
      expect(answer.kind === 'rejected' && answer.message).toMatch(/哈希/);
    }
    expect(await batchesOf(ws)).toBe(0);
    expect(await entriesOf(ws)).toBe(0);
    await expect.poll(() => refusalCount(dataDir, 'content', ws.id)).toBe(2);

    // The genuine batch still goes through afterwards.
    expect((await client.pushBatch(payload)).kind).toBe('accepted');
  });

  it('rejects a batch whose header was changed after signing, one pushed on behalf of another workstation, and a malformed body', async () => {
    const ws = new TestWorkstation('广安市人力资源和社会保障局');
    const other = new TestWorkstation('巴中市人力资源和社会保障局');
    await enrol(dataDir, ws);
    await enrol(dataDir, other);
    const client = ws.client(hub);
    const payload = ws.addEntries(2).closeBatch();

    const resigned = clone(payload);
    resigned.batch.createdAt = '2026-11-25T08:00:00+08:00';
    expect(await client.pushBatch(resigned)).toMatchObject({ kind: 'rejected', reason: 'bad-batch-signature' });

    expect(await other.client(hub).pushBatch(payload)).toMatchObject({ kind: 'rejected', reason: 'wrong-workstation' });

    const extraField = clone(payload) as unknown as { entries: Record<string, unknown>[] };
    extraField.entries[0]!.injected = '<script>';
    const malformed = await client.pushBatch(extraField as unknown as typeof payload);
    expect(malformed).toMatchObject({ kind: 'rejected', reason: 'malformed' });

    expect(await batchesOf(ws)).toBe(0);
    await expect.poll(() => hubRows(dataDir, "SELECT coalesce(sum(count), 0) FROM refusal_counts WHERE reason IN ('bad-batch-signature', 'wrong-workstation', 'malformed')")).toBe(3);
  });

  it('rejects a batch that does not continue the chain the hub holds', async () => {
    const ws = new TestWorkstation('眉山市人力资源和社会保障局');
    const restored = new TestWorkstation(ws.officeName, ws.keys, '眉山职业技术学院');
    await enrol(dataDir, ws);
    const client = ws.client(hub);
    expect((await client.pushBatch(ws.addEntries(2).closeBatch())).kind).toBe('accepted');
    // Batch 2 of another history: right number and sequence, but it links to a different batch 1.
    restored.addEntries(2).closeBatch();
    const unlinked = restored.addEntries(1).closeBatch();
    expect(await client.pushBatch(unlinked)).toMatchObject({ kind: 'rejected', reason: 'broken-link' });
    expect(await batchesOf(ws)).toBe(1);
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
