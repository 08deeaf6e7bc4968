import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { backupsDirFor } from '../../db/database';
import { makeBackup, restoreBackup, runDailyBackup, startAutomaticBackup } from '../../services/backup/backup';
import { workstationKeyPathFor } from '../../services/paths';
import { verifyLiveRegister } from '../../services/register/chain';
import { REPO_DIR, tempDir } from '../support/services';
import { copyOfDatabase, filesIn, openAt, realRegister, sealVisit, sha256 } from '../support/backup';

/**
 * The daily backup: SQLite's online backup into a temporary file, checked (integrity, entry
 * count, hash chain) before it is renamed over the day's file, and the last 30 days kept.
 */
describe('backups of the register database', () => {
  let original: string;
  let entryCount: number;

  beforeAll(async () => {
    ({ dbPath: original, entryCount } = await realRegister());
  });

  it('makes a checked backup that restores to the same, intact register', async () => {
    const services = openAt(copyOfDatabase(original));
    const backup = await makeBackup(services.ctx);
    const backups = backupsDirFor(services.ctx.dbPath);
    expect(backup).toMatchObject({ path: join(backups, 'seal-counter-2026-11-24.sqlite'), entryCount, removed: [] });
    // One self-contained file: no temporary file, no -wal or -shm beside it.
    expect(filesIn(backups)).toEqual(['seal-counter-2026-11-24.sqlite']);
    services.close();

    // Restored on another machine: the backup and the workstation's key file.
    const elsewhere = join(tempDir(), 'seal-counter.sqlite');
    copyFileSync(workstationKeyPathFor(services.ctx.dbPath), workstationKeyPathFor(elsewhere));
    expect(restoreBackup(backup.path, elsewhere)).toMatchObject({ dbPath: elsewhere, entryCount, keptAside: [] });
    const restored = openAt(elsewhere);
    expect(verifyLiveRegister(restored.ctx)).toEqual({ intact: true, count: entryCount });
    restored.close();
  });

  it('checks the copy off the counter\'s thread: the host keeps answering while the register is walked', async () => {
    const services = openAt(copyOfDatabase(original));
    // Counts the turns of the event loop from the moment the copy is on disk until the backup is done.
    let turns = 0;
    let counting = true;
    const count = () => {
      if (!counting) return;
      turns++;
      setImmediate(count);
    };
    const backup = await makeBackup(services.ctx, {
      copy: async (db, destination) => {
        await db.backup(destination);
        setImmediate(count);
      },
    });
    counting = false;
    expect(backup.entryCount).toBe(entryCount);
    // Checked on this thread, the check would run straight after the copy, with no turn in between.
    expect(turns).toBeGreaterThan(0);
    services.close();
  });

  it('backs up at start-up when today has no backup, and again only once the register has grown', async () => {
    const services = openAt(copyOfDatabase(original));
    expect(await runDailyBackup(services.ctx)).toMatchObject({ made: true, backup: { entryCount } });
    expect(await runDailyBackup(services.ctx)).toMatchObject({ made: false });
    await sealVisit(services, 300, 5);
    expect(await runDailyBackup(services.ctx)).toMatchObject({ made: true, backup: { entryCount: entryCount + 3 } });
    services.setNow(new Date('2026-11-25T08:00:00+08:00'));
    expect(await runDailyBackup(services.ctx)).toMatchObject({ made: true, backup: { path: expect.stringMatching(/seal-counter-2026-11-25\.sqlite$/) } });
    expect(filesIn(backupsDirFor(services.ctx.dbPath))).toEqual(['seal-counter-2026-11-24.sqlite', 'seal-counter-2026-11-25.sqlite']);
    services.close();
  });

  it('keeps the last 30 daily backups and deletes only older files of its own naming', async () => {
    const services = openAt(copyOfDatabase(original));
    const backups = backupsDirFor(services.ctx.dbPath);
    mkdirSync(backups);
    writeFileSync(join(backups, 'notes.txt'), 'kept');
    writeFileSync(join(backups, 'seal-counter-2026-01-01.sqlite.copy'), 'kept');
    writeFileSync(join(backups, 'office-2-2026-09-01.sqlite'), 'another database’s backup, kept');
    const removed: string[] = [];
    for (let day = 0; day < 31; day++) {
      services.setNow(new Date(Date.UTC(2026, 9, 1 + day, 2))); // 10:00 in Sichuan, 1 to 31 October
      const outcome = await runDailyBackup(services.ctx);
      if (outcome.made) removed.push(...outcome.backup.removed);
    }
    expect(removed).toEqual(['seal-counter-2026-10-01.sqlite']);
    const kept = filesIn(backups).filter((name) => /^seal-counter-\d{4}-\d{2}-\d{2}\.sqlite$/.test(name));
    expect(kept).toHaveLength(30);
    expect(kept[0]).toBe('seal-counter-2026-10-02.sqlite');
    expect(kept[29]).toBe('seal-counter-2026-10-31.sqlite');
    expect(filesIn(backups)).toEqual(expect.arrayContaining(['notes.txt', 'seal-counter-2026-01-01.sqlite.copy', 'office-2-2026-09-01.sqlite']));
    services.close();
  });

  it('never lets a damaged candidate replace the previous good backup', async () => {
    const services = openAt(copyOfDatabase(original));
    const good = await makeBackup(services.ctx);
    const goodBytes = sha256(good.path);
    await sealVisit(services, 300, 5);

    // A copy cut short (as by a crash or a failing disk), and a copy that is not a database at all.
    const truncated = makeBackup(services.ctx, { copy: async (db, destination) => { await db.backup(destination); truncateSync(destination, 40_960); } });
    await expect(truncated).rejects.toThrow(/备份未通过检查，已丢弃，原有备份未被替换：.*(已损坏|完整性)/);
    const garbage = makeBackup(services.ctx, { copy: (_db, destination) => Promise.resolve(writeFileSync(destination, Buffer.alloc(65_536, 0x5a))) });
    await expect(garbage).rejects.toThrow(/备份未通过检查.*不是 SQLite 数据库文件/);

    // A register changed behind the app's back: its chain no longer verifies, so it is not backed up over the good one.
    const raw = new Database(services.ctx.dbPath);
    raw.exec('DROP TRIGGER register_entries_no_update');
    raw.exec("UPDATE register_entries SET canonical = CAST(json_set(CAST(canonical AS TEXT), '$.count', 99) AS BLOB) WHERE seq = 2");
    raw.close();
    await expect(makeBackup(services.ctx)).rejects.toThrow(/备份未通过检查.*哈希链校验未通过.*第 2 号/);

    expect(sha256(good.path)).toBe(goodBytes);
    expect(filesIn(backupsDirFor(services.ctx.dbPath))).toEqual(['seal-counter-2026-11-24.sqlite']);
    services.close();
  });

  it('says so when the backups folder cannot be written, and changes nothing', async () => {
    const services = openAt(copyOfDatabase(original));
    // A file where the folder should be: refused alike by root and by anyone else.
    writeFileSync(backupsDirFor(services.ctx.dbPath), 'not a folder');
    await expect(makeBackup(services.ctx)).rejects.toThrow(/^备份失败：无法使用备份文件夹“.*backups”（该路径已被一个文件占用，不是文件夹/);
    expect(readFileSync(backupsDirFor(services.ctx.dbPath), 'utf8')).toBe('not a folder');
    expect(verifyLiveRegister(services.ctx)).toEqual({ intact: true, count: entryCount });

    // The automatic backup logs the failure and the counter carries on.
    const logged: [string, boolean][] = [];
    const automatic = startAutomaticBackup(services.ctx, { firstDelayMs: 0, log: (message, failed) => logged.push([message, failed]) });
    await expect.poll(() => logged.length).toBe(1);
    automatic.stop();
    expect(logged[0]).toEqual([expect.stringMatching(/^自动备份失败：备份失败：无法使用备份文件夹/), true]);
    services.close();
  });

  it('seal-counter backup: a full disk midway gives a clear message and keeps the previous backup', () => {
    const dbPath = copyOfDatabase(original);
    const cli = (limitKb?: number) => spawnSync('bash', ['-c', `${limitKb ? `trap '' XFSZ; ulimit -f ${limitKb}; ` : ''}exec "$0" "$@"`,
      process.execPath, join(REPO_DIR, 'bin', 'seal-counter.mjs'), 'backup', '--db', dbPath], { encoding: 'utf8', env: { ...process.env, SEAL_COUNTER_CLOCK: '2026-11-24T09:30:00+08:00' } });
    const first = cli();
    expect(first).toMatchObject({ status: 0, stdout: expect.stringContaining(join(backupsDirFor(dbPath), 'seal-counter-2026-11-24.sqlite')) });
    const goodBytes = sha256(join(backupsDirFor(dbPath), 'seal-counter-2026-11-24.sqlite'));

    // RLIMIT_FSIZE stops every write past 128 KiB, as a full disk would (and it binds root too).
    const full = cli(128);
    expect(full.status).toBe(1);
    expect(full.stderr).toMatch(/^备份失败：(磁盘已满|读写磁盘出错).*未完成的备份文件已删除，数据文件和原有备份都没有改动。/);
    expect(filesIn(backupsDirFor(dbPath))).toEqual(['seal-counter-2026-11-24.sqlite']);
    expect(sha256(join(backupsDirFor(dbPath), 'seal-counter-2026-11-24.sqlite'))).toBe(goodBytes);
    expect(existsSync(dbPath)).toBe(true);
  });
});
