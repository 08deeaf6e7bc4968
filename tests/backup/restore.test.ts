import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../db/database';
import { makeBackup, restoreBackup } from '../../services/backup/backup';
import { workstationKeyPathFor } from '../../services/paths';
import { verifyLiveRegister, verifyRegister } from '../../services/register/chain';
import { freshServices, REPO_DIR, tempDir } from '../support/services';
import { copyOfDatabase, filesIn, openAt, realRegister, sealVisit, sha256 } from '../support/backup';

/**
 * `seal-counter restore FILE`: the file is checked first; the current database is set aside,
 * never deleted; anything wrong is refused with one message and leaves the current file as it was.
 */
describe('restoring a backup', () => {
  let original: string;
  let entryCount: number;
  /** A good backup of the original register. */
  let backup: string;

  beforeAll(async () => {
    ({ dbPath: original, entryCount } = await realRegister());
    const services = openAt(copyOfDatabase(original));
    backup = (await makeBackup(services.ctx)).path;
    services.close();
  });

  /** The current database, three entries further on than the backup, closed. */
  async function currentDatabase(): Promise<string> {
    const dbPath = copyOfDatabase(original);
    const services = openAt(dbPath);
    await sealVisit(services, 300, 5);
    services.close();
    return dbPath;
  }

  it('puts the backup in place and keeps the current database aside under a dated name', async () => {
    const dbPath = await currentDatabase();
    const before = sha256(dbPath);
    const result = restoreBackup(backup, dbPath, () => new Date('2026-11-25T14:05:09+08:00'));
    const aside = join(dirname(dbPath), 'seal-counter.before-restore-20261125-140509.sqlite');
    // The register had gone three entries further (its witness says so): the restore names them.
    expect(result).toEqual({ dbPath, restoredFrom: backup, entryCount, keptAside: [aside], behind: { restoredSeq: entryCount, restoredBatchNo: 0, writtenSeq: entryCount + 3, writtenBatchNo: 0, hubBatchNo: 0 } });
    expect(sha256(aside)).toBe(before);

    const restored = openAt(dbPath);
    expect(verifyLiveRegister(restored.ctx)).toEqual({ intact: true, count: entryCount });
    // The set-aside file is the same workstation's register, three entries further on.
    const kept = new Database(aside, { readonly: true });
    expect(verifyRegister({ db: kept, workstation: restored.ctx.workstation }, 'not-applicable')).toEqual({ intact: true, count: entryCount + 3 });
    kept.close();
    restored.close();
  });

  it('refuses while the app has the database open', async () => {
    const dbPath = await currentDatabase();
    const running = openAt(dbPath);
    const listing = filesIn(dirname(dbPath));
    expect(() => restoreBackup(backup, dbPath)).toThrow(/^无法恢复：签章窗口（或其他程序）正在使用数据文件“.*”。请先关闭签章窗口再恢复。数据文件没有改动。$/);
    expect(filesIn(dirname(dbPath))).toEqual(listing);
    expect(verifyLiveRegister(running.ctx)).toEqual({ intact: true, count: entryCount + 3 });
    running.close();
  });

  it('refuses what is not a good seal-counter database, and leaves the current one untouched', async () => {
    const dbPath = await currentDatabase();
    const before = sha256(dbPath);
    const listing = filesIn(dirname(dbPath));
    const dir = tempDir();
    const bad = (name: string, make: (path: string) => void) => {
      const path = join(dir, name);
      make(path);
      return path;
    };
    const copyOfBackup = (path: string, change: (db: Database.Database) => void) => {
      copyFileSync(backup, path);
      const db = new Database(path);
      change(db);
      db.close();
    };

    const refusals: [string, RegExp][] = [
      [join(dir, 'missing.sqlite'), /找不到备份文件/],
      [bad('empty.sqlite', (p) => writeFileSync(p, '')), /空文件/],
      [bad('notes.sqlite', (p) => writeFileSync(p, '这不是数据库，而是一份很长的说明文字。'.repeat(200))), /不是 SQLite 数据库文件/],
      [bad('truncated.sqlite', (p) => { copyFileSync(backup, p); truncateSync(p, readFileSync(backup).length / 2); }), /已损坏/],
      [bad('other-app.sqlite', (p) => { const db = new Database(p); db.exec('CREATE TABLE notes (text TEXT)'); db.close(); }), /不是签章窗口的数据文件（其中没有印章使用登记簿）/],
      [bad('newer.sqlite', (p) => copyOfBackup(p, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`))), /由更新版本的签章窗口创建/],
      [bad('tampered.sqlite', (p) => copyOfBackup(p, (db) => {
        db.exec('DROP TRIGGER register_entries_no_update');
        db.exec("UPDATE register_entries SET canonical = CAST(json_set(CAST(canonical AS TEXT), '$.unit', '某单位') AS BLOB) WHERE seq = 4");
      })), /登记簿哈希链校验未通过：.*第 4 号/],
    ];
    for (const [file, reason] of refusals) {
      let message = '';
      try {
        restoreBackup(file, dbPath);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, file).toMatch(/^无法恢复：/);
      expect(message, file).toMatch(reason);
      expect(message, file).toMatch(/数据文件没有改动。$/);
      expect(sha256(dbPath)).toBe(before);
      expect(filesIn(dirname(dbPath))).toEqual(listing);
    }
  });

  it('refuses a damaged backup: a bad page that SQLite’s integrity check finds', async () => {
    const dbPath = await currentDatabase();
    const before = sha256(dbPath);
    const damaged = join(tempDir(), 'damaged.sqlite');
    copyFileSync(backup, damaged);
    const db = new Database(damaged, { readonly: true });
    const page = db.prepare("SELECT pageno, pgsize FROM dbstat WHERE name = 'entry_records' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 2").get() as { pageno: number; pgsize: number };
    db.close();
    const bytes = readFileSync(damaged);
    bytes.fill(0xff, (page.pageno - 1) * page.pgsize + 8, (page.pageno - 1) * page.pgsize + 24); // its cell pointers
    writeFileSync(damaged, bytes);
    expect(() => restoreBackup(damaged, dbPath)).toThrow(/^无法恢复：“.*damaged\.sqlite”已损坏，SQLite 完整性检查发现问题：.+数据文件没有改动。$/s);
    expect(sha256(dbPath)).toBe(before);
  });

  it('refuses another workstation’s backup where this workstation’s key is (the app could not open it)', () => {
    const other = freshServices();
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    copyFileSync(workstationKeyPathFor(other.dbPath), workstationKeyPathFor(dbPath));
    expect(() => restoreBackup(backup, dbPath)).toThrow(new RegExp(`是工作站 WS-\\w+ 的数据文件，而本机的工作站密钥“.*”属于 ${other.ctx.workstation.id}`));
    other.close();
    expect(filesIn(dirname(dbPath))).toEqual(['seal-counter.workstation-key.json']);
  });

  it('seal-counter restore FILE --db PATH restores without opening the current database first', async () => {
    const dbPath = await currentDatabase();
    // Damaged beyond opening: the command still restores over it, and keeps it aside.
    const bytes = readFileSync(dbPath);
    bytes.fill(0, 100, 4096);
    writeFileSync(dbPath, bytes);
    const cli = spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), 'restore', backup, '--db', dbPath],
      { encoding: 'utf8', env: { ...process.env, SEAL_COUNTER_CLOCK: '2026-11-25T08:00:00+08:00' } });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`已用 ${backup} 恢复数据文件 ${dbPath}（${entryCount} 条登记，哈希链完整）。`);
    expect(cli.stdout).toContain('seal-counter.before-restore-20261125-080000.sqlite');
    const restored = openAt(dbPath);
    expect(verifyLiveRegister(restored.ctx)).toEqual({ intact: true, count: entryCount });
    restored.close();
  });
});
