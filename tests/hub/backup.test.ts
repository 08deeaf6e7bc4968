import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, enrol, hubFolder, hubQuery, hubRows, runCli, runHubInProcess, startHub, tempDir, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';
import { newTestDatabase } from '../support/postgres';

/**
 * The hub's backup: hub-backup writes one consistent file of the whole database, hub-restore
 * brings it back into a new database and checks every chain again. After a restore the hub is
 * the same hub: same province key, same answer key, the same batches, entries, refusals,
 * publications and enrolments, and workstations carry on where they were.
 */
describe('backing up and restoring the hub', () => {
  let hub: HubProcess;
  let dataDir: string;
  const files = tempDir('seal-backup-');
  const backup = join(files, 'hub-backup.jsonl.gz');
  const mianyang = new TestWorkstation('绵阳市人力资源和社会保障局');
  const zigong = new TestWorkstation('自贡市人力资源和社会保障局');
  const revoked = new TestWorkstation('内江市人力资源和社会保障局');

  const tables = ['workstations', 'batches', 'entries', 'certificates', 'conflicts', 'conflict_members', 'publications', 'admin_log', 'equivocations'] as const;
  const counts = async (dir: string) => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await hubRows(dir, `SELECT count(*) FROM ${t}`)] as const)));

  beforeAll(async () => {
    dataDir = await hubFolder('backup');
    hub = await startHub(dataDir);
    for (const ws of [mianyang, zigong, revoked]) await enrol(dataDir, ws);
    for (let day = 0; day < 3; day++) {
      mianyang.addEntries(4).seal({ certNo: `M-${day}`, idNumber: `51070319850312${String(4400 + day)}`, name: '赵子龙', qualification: '高级工程师' });
      zigong.addEntries(2).seal({ certNo: day === 0 ? 'M-0' : `Z-${day}`, idNumber: `51030419880721${String(3300 + day)}`, name: '马超', qualification: '高级工程师' });
      for (const ws of [mianyang, zigong]) expect((await ws.client(hub).pushBatch(ws.closeBatch())).kind).toBe('accepted');
    }
    // An equivocation, a refusal, a revocation and a publication: all of it must come back.
    const rival = new TestWorkstation(mianyang.officeName, mianyang.keys, '另一个历史').addEntries(1).closeBatch();
    expect((await mianyang.client(hub).pushBatch(rival)).kind).toBe('equivocation');
    expect((await runHubInProcess(['hub-revoke', '--data', dataDir, revoked.id])).code).toBe(0);
    expect((await runHubInProcess(['hub-publish', '--data', dataDir, '--slips', join(FIXTURES_DIR, 'slips.csv')])).code).toBe(0);
    // The equivocation's refusal is counted at once (the first of its minute).
    expect(await hubRows(dataDir, 'SELECT count(*) FROM refusal_counts')).toBeGreaterThan(0);
  }, 60_000);
  afterAll(async () => {
    await hub.stop();
  });

  it('writes the whole database to one owner-only file while the hub runs, and restores it into a new database with every chain verified', async () => {
    const made = await runCli(['hub-backup', '--data', dataDir, '--out', backup]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/已备份到 .*3 台工作站、6 批/);
    if (process.platform !== 'win32') expect(statSync(backup).mode & 0o777).toBe(0o600);

    // A new node folder with the same answer key, on a new, empty database.
    const restoredDir = tempDir();
    writeFileSync(join(restoredDir, 'hub-key.json'), readFileSync(join(dataDir, 'hub-key.json')), { mode: 0o600 });
    const restored = await runCli(['hub-restore', '--data', restoredDir, '--database-url', await newTestDatabase('restored'), '--in', backup]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/已恢复：3 台工作站、6 批/);
    expect(restored.stdout).toMatch(/登记链验证通过：3 台工作站、6 批/);

    // Everything as it was, and one more line in the admin log: the restore.
    const original = await counts(dataDir);
    expect(await counts(restoredDir)).toEqual({ ...original, admin_log: original.admin_log! + 1 });
    const refusals = 'SELECT reason, workstation_id, count FROM refusal_counts ORDER BY 1, 2';
    expect(await hubQuery(restoredDir, refusals)).toEqual(await hubQuery(dataDir, refusals));
    expect(await hubQuery(restoredDir, 'SELECT id, revoked_at FROM workstations ORDER BY id')).toEqual(await hubQuery(dataDir, 'SELECT id, revoked_at FROM workstations ORDER BY id'));
    expect(await hubQuery(restoredDir, "SELECT value FROM hub_meta ORDER BY key")).toEqual(await hubQuery(dataDir, "SELECT value FROM hub_meta ORDER BY key"));
    expect(await hubRows(restoredDir, "SELECT count(*) FROM admin_log WHERE action = 'restore'")).toBe(1);

    // A node on the restored database is the same hub to its workstations: they carry on.
    const again = await startHub(restoredDir);
    try {
      expect(await mianyang.client(again).state()).toMatchObject({ kind: 'state', lastBatchNo: 3, lastHash: mianyang.batches.at(-1)!.batch.lastHash });
      expect((await mianyang.client(again).pushBatch(mianyang.addEntries(1).closeBatch())).kind).toBe('accepted');
      expect((await revoked.client(again).state()).kind).toBe('refused');
      const conflicts = await zigong.client(again).conflicts();
      expect(conflicts.kind === 'conflicts' && conflicts.conflicts.map((c) => c.certNo)).toEqual(['M-0']);
      // New rows after the restore get new ids (the sequences were moved past the restored ones).
      expect((await runHubInProcess(['hub-publish', '--data', restoredDir, '--province-key', join(dataDir, 'province-key.json'), '--slips', join(FIXTURES_DIR, 'slips.csv')])).code).toBe(0);
    } finally {
      await again.stop();
    }
  });

  it('finds a changed entry when the chains are checked again (hub-verify), naming the batch', async () => {
    const copyDir = tempDir();
    writeFileSync(join(copyDir, 'hub-key.json'), readFileSync(join(dataDir, 'hub-key.json')), { mode: 0o600 });
    expect((await runHubInProcess(['hub-restore', '--data', copyDir, '--database-url', await newTestDatabase('tampered'), '--in', backup])).code).toBe(0);
    // Someone with the database's owner rights goes around the triggers.
    await hubQuery(copyDir, 'ALTER TABLE entries DISABLE TRIGGER USER');
    await hubQuery(copyDir, `UPDATE entries SET entry_json = replace(entry_json, '王建国', '王建军') WHERE workstation_id = $1 AND seq = 2`, zigong.id);
    const verified = await runHubInProcess(['hub-verify', '--data', copyDir]);
    expect(verified.code).toBe(1);
    expect(verified.stderr).toContain(`工作站 ${zigong.id} 第 1 批`);
    expect(verified.stderr).toMatch(/哈希/);
  });

  it('restores nothing from a file cut short or damaged, and will not restore over a hub', async () => {
    const whole = gunzipSync(readFileSync(backup)).toString('utf8').trimEnd().split('\n');
    const cut = join(files, 'cut.jsonl.gz');
    writeFileSync(cut, gzipSync(`${whole.slice(0, -1).join('\n')}\n`));
    const target = tempDir();
    const url = await newTestDatabase('cut');
    const refused = await runHubInProcess(['hub-restore', '--data', target, '--database-url', url, '--in', cut]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/不完整（缺少结尾记录），未恢复任何内容/);
    writeFileSync(join(target, 'hub-key.json'), readFileSync(join(dataDir, 'hub-key.json')), { mode: 0o600 });
    expect(await hubRows(target, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'batches'")).toBe(1);
    expect(await hubRows(target, 'SELECT count(*) FROM batches')).toBe(0);

    const over = await runHubInProcess(['hub-restore', '--data', dataDir, '--in', backup]);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/已有集中服务器的数据。恢复只能在新建的空数据库中进行/);
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
