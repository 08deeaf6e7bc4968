import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubConflict } from '../../core/hub/protocol';
import { enrol, hubFolder, startHub, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * DOMAIN.md §9: the hub reports what only the centre can see — the same certificate number, or
 * the same person and 资格名称, sealed at two offices while both were offline. Both offices see it.
 */
describe('cross-office conflicts', () => {
  let hub: HubProcess;
  let dataDir: string;
  const mianyang = new TestWorkstation('绵阳市人力资源和社会保障局');
  const zigong = new TestWorkstation('自贡市人力资源和社会保障局');
  const luzhou = new TestWorkstation('泸州市人力资源和社会保障局');

  const conflictsOf = async (ws: TestWorkstation): Promise<HubConflict[]> => {
    const result = await ws.client(hub).conflicts();
    if (result.kind !== 'conflicts') throw new Error(`conflicts: ${JSON.stringify(result)}`);
    return result.conflicts;
  };

  beforeAll(async () => {
    dataDir = await hubFolder('conflicts');
    hub = await startHub(dataDir);
    await Promise.all([enrol(dataDir, mianyang), enrol(dataDir, zigong), enrol(dataDir, luzhou)]);

    // Both offline, both seal: one certificate number given twice, and one person's 中级会计师 twice.
    mianyang
      .seal({ certNo: '51202502000101', idNumber: '510703198503124419', name: '赵子龙', qualification: '高级工程师' })
      .seal({ certNo: 'K2025-000777', idNumber: '510302199001015625', name: '孙尚香', qualification: '中级会计师' })
      // A reissue at the same office replaces a certificate: not a conflict.
      .seal({ certNo: 'K2025-000900', idNumber: '510107199206205820', name: '向莉芳', qualification: '中级会计师' })
      .seal({ certNo: 'K2025-000901', idNumber: '510107199206205820', name: '向莉芳', qualification: '中级会计师', reissue: true, replacesCertNo: 'K2025-000900' });
    zigong
      .seal({ certNo: '51202502000101', idNumber: '510304198807213317', name: '马超', qualification: '高级工程师' })
      .seal({ certNo: 'K2025-003120', idNumber: '510302199001015625', name: '孙尚香', qualification: '中级会计师' });
    luzhou.seal({ certNo: '51202505000001', idNumber: '510502197912127711', name: '黄忠', qualification: '正高级工程师' });

    for (const ws of [mianyang, zigong, luzhou]) {
      const answer = await ws.client(hub).pushBatch(ws.closeBatch());
      expect(answer.kind).toBe('accepted');
    }
  }, 60_000);
  afterAll(async () => {
    expect(await hub.stop()).toBe(0);
  });

  it('shows both offices the certificate number sealed at each of them, with every sighting', async () => {
    for (const ws of [mianyang, zigong]) {
      const conflict = (await conflictsOf(ws)).find((c) => c.kind === 'cert-no');
      expect(conflict).toMatchObject({ kind: 'cert-no', certNo: '51202502000101' });
      expect(conflict!.sightings.map((s) => [s.workstationId, s.officeName, s.entrySeq, s.certNo, s.name]).sort()).toEqual([
        [mianyang.id, '绵阳市人力资源和社会保障局', 1, '51202502000101', '赵子龙'],
        [zigong.id, '自贡市人力资源和社会保障局', 1, '51202502000101', '马超'],
      ].sort());
      expect(conflict!.sightings.every((s) => s.unit === '四川华西集团有限公司' && s.sealedAt.startsWith('2026-11-24T'))).toBe(true);
    }
  });

  it('shows both offices the same person and 资格名称 sealed under two numbers', async () => {
    for (const ws of [mianyang, zigong]) {
      const conflict = (await conflictsOf(ws)).find((c) => c.kind === 'person');
      expect(conflict).toMatchObject({ kind: 'person', idNumber: '510302199001015625', name: '孙尚香', qualification: '中级会计师' });
      expect(conflict!.sightings.map((s) => `${s.workstationId} ${s.certNo}`).sort()).toEqual([`${mianyang.id} K2025-000777`, `${zigong.id} K2025-003120`].sort());
    }
  });

  it('does not count a reissue at the same office, and shows an uninvolved office nothing', async () => {
    const ids = (await conflictsOf(mianyang)).map((c) => c.kind);
    expect(ids.sort()).toEqual(['cert-no', 'person']);
    expect(await conflictsOf(luzhou)).toEqual([]);
  });

  it('gives each conflict the same id on every request and for every office', async () => {
    const first = (await conflictsOf(mianyang)).map((c) => c.id).sort();
    const again = (await conflictsOf(mianyang)).map((c) => c.id).sort();
    const other = (await conflictsOf(zigong)).map((c) => c.id).sort();
    expect(new Set(first).size).toBe(2);
    expect(again).toEqual(first);
    expect(other).toEqual(first);
  });

  it('adds a later sighting to the conflict already known, without a second conflict, and tells the offices already in it that it changed', async () => {
    const before = await mianyang.client(hub).conflicts();
    const tag = before.kind === 'conflicts' ? before.etag : null;
    expect(tag).toMatch(/^"c2-\d+"$/);
    // Asked again with the tag, nothing changed: 304, no body.
    expect(await mianyang.client(hub).conflicts(tag)).toEqual({ kind: 'unchanged' });
    luzhou.seal({ certNo: '51202502000101', idNumber: '510502197912127711', name: '黄忠', qualification: '高级工程师' });
    expect((await luzhou.client(hub).pushBatch(luzhou.closeBatch())).kind).toBe('accepted');
    const seen = await conflictsOf(luzhou);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.sightings.map((s) => s.workstationId).sort()).toEqual([mianyang.id, zigong.id, luzhou.id].sort());
    expect((await conflictsOf(mianyang)).find((c) => c.kind === 'cert-no')!.id).toBe(seen[0]!.id);
    const after = await mianyang.client(hub).conflicts(tag);
    expect(after.kind === 'conflicts' && after.conflicts.find((c) => c.kind === 'cert-no')!.sightings).toHaveLength(3);
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
