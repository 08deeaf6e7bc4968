import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors';
import { openDatabase } from '../../db/database';
import { makeBackup, restoreBackup } from '../../services/backup/backup';
import { openServices } from '../../services/open';
import { verifyLiveRegister } from '../../services/register/chain';
import { dispatch } from '../../services/dispatch';
import { startBackgroundWork } from '../../services/startup';
import { copyOfDatabase, openAt, realRegister, sha256 } from '../support/backup';
import { clientOf, eventually, signInForTests } from '../support/services';

/** Overwrites `length` bytes of the file at `offset` with 0xff. */
function overwrite(path: string, offset: number, length: number): void {
  const bytes = readFileSync(path);
  bytes.fill(0xff, offset, offset + length);
  writeFileSync(path, bytes);
}

/** Where a leaf page of `table` starts, and its size, found through SQLite's dbstat table. */
function leafPage(path: string, table: string): { offset: number; size: number } {
  const db = new Database(path, { readonly: true });
  try {
    const page = db.prepare("SELECT pageno, pgsize FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").all(table) as { pageno: number; pgsize: number }[];
    const middle = page[Math.floor(page.length / 2)]!;
    return { offset: (middle.pageno - 1) * middle.pgsize, size: middle.pgsize };
  } finally {
    db.close();
  }
}

function openingError(dbPath: string): Error {
  try {
    openServices(dbPath).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the damaged file opened');
}

/**
 * `PRAGMA integrity_check` runs each time the database is opened, before migrations: a damaged
 * file is refused with a message that says what to do, and is left exactly as it was.
 */
describe('a damaged database file', () => {
  let original: string;
  let entryCount: number;

  beforeAll(async () => {
    ({ dbPath: original, entryCount } = await realRegister());
  });

  it('is refused at open with the problems SQLite found and how to restore, and is not changed', () => {
    const dbPath = copyOfDatabase(original);
    // A page in the middle of the approved list (500 people): its cell pointers overwritten.
    const page = leafPage(dbPath, 'approved_people');
    overwrite(dbPath, page.offset + 8, 16);
    // Damaged, yet still a database: SQLite opens it and its integrity check reports the page.
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).not.toBe('ok');
    raw.close();
    const before = sha256(dbPath);

    const error = openingError(dbPath);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(new RegExp(`^数据文件“${dbPath}”已损坏，SQLite 完整性检查（integrity_check）发现问题：\\n  · .*(Page|page|cell|Offset|Tree|btree)`));
    expect(error.message).toContain('为保护数据，本程序没有改动该文件。');
    expect(error.message).toContain(`请关闭签章窗口，用 seal-counter restore 恢复最近一次备份（备份在“${join(dirname(dbPath), 'backups')}”文件夹中`);
    expect(error.message.split('\n').filter((line) => line.startsWith('  · ')).length).toBeLessThanOrEqual(5);
    expect(sha256(dbPath)).toBe(before);
    // The same at the store's own door.
    expect(() => openDatabase(dbPath)).toThrow(/已损坏/);
    expect(sha256(dbPath)).toBe(before);
  });

  it('whose schema page is unreadable, or that is no database at all, gets the same kind of message', () => {
    const schemaBroken = copyOfDatabase(original);
    overwrite(schemaBroken, 100, 200); // page 1 after the file header: the schema table's own page
    const before = sha256(schemaBroken);
    expect(openingError(schemaBroken).message).toMatch(/^数据文件“.*”已损坏.*\n.*seal-counter restore/s);
    expect(sha256(schemaBroken)).toBe(before);

    const notADatabase = copyOfDatabase(original);
    overwrite(notADatabase, 0, 16); // the "SQLite format 3" header
    const header = sha256(notADatabase);
    expect(openingError(notADatabase).message).toMatch(/^文件“.*”不是签章窗口的数据文件（或已损坏）。为保护数据，本程序没有改动该文件。请关闭签章窗口，用 seal-counter restore/);
    expect(sha256(notADatabase)).toBe(header);
  });

  it('comes back whole from the latest backup', async () => {
    const dbPath = copyOfDatabase(original);
    const services = openAt(dbPath);
    const backup = await makeBackup(services.ctx);
    services.close();
    const page = leafPage(dbPath, 'entry_records');
    overwrite(dbPath, page.offset + 8, 16);
    // The message names the backup to restore.
    expect(openingError(dbPath).message).toContain(`seal-counter restore "${backup.path}" --db "${dbPath}"`);

    restoreBackup(backup.path, dbPath);
    const restored = openAt(dbPath);
    expect(verifyLiveRegister(restored.ctx)).toEqual({ intact: true, count: entryCount });
    restored.close();
  });
});

/**
 * A register too large to check whole before it opens (CHECK_AT_OPEN_MAX_BYTES; here the limit is
 * set to nothing) opens at once, is checked in the background, and once found damaged the
 * register takes no more writes and the header says why.
 */
describe('a data file checked in the background', () => {
  let original: string;

  beforeAll(async () => {
    ({ dbPath: original } = await realRegister());
  });

  function openLarge(dbPath: string) {
    const services = openServices(dbPath, () => new Date('2026-11-24T09:30:00+08:00'), { checkAtOpenMaxBytes: 0 });
    signInForTests(services);
    return { services, call: clientOf((name, request) => dispatch(services, name, request)), background: startBackgroundWork(services, { backupFirstDelayMs: 3_600_000 }) };
  }

  it('opens a damaged file at once, finds the damage while the counter works, then refuses every register write and says so in the header', async () => {
    const dbPath = copyOfDatabase(original);
    const page = leafPage(dbPath, 'approved_people');
    overwrite(dbPath, page.offset + 8, 16);
    const { services, call, background } = openLarge(dbPath);
    try {
      expect(services.ctx.dataFile.checkedAtOpen).toBe(false);
      const failures = await eventually(() => call('log.failures', {}), (value) => value.length > 0, 30_000);
      expect(failures).toEqual([expect.objectContaining({ task: 'file-check', label: '数据文件完整性检查', message: expect.stringMatching(/^数据文件“.*”已损坏，SQLite 完整性检查（integrity_check）发现问题：\n {2}· /) })]);
      expect(failures[0]!.message).toContain('为保护数据，签章窗口从现在起不再向登记簿写入');
      expect(failures[0]!.message).toContain('seal-counter restore');
      const entries = services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get();
      await expect(call('batches.closeDay', {})).rejects.toThrow(/^本次日结已拒绝，什么也没有写入。数据文件“.*”已损坏/);
      expect(services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get()).toBe(entries);
    } finally {
      background.stop();
      services.close();
    }
  });

  it('a sound one passes the check and the counter carries on writing', async () => {
    const dbPath = copyOfDatabase(original);
    const { services, call, background } = openLarge(dbPath);
    try {
      const logged = await eventually(() => services.ctx.log.recent(20), (entries) => entries.some((e) => e.task === 'file-check'), 30_000);
      expect(logged).toContainEqual(expect.objectContaining({ task: 'file-check', level: 'info', message: '数据文件较大，启动后在后台完成了完整性检查：未发现问题。' }));
      expect(await call('log.failures', {})).toEqual([]);
      expect(services.ctx.dataFile.damage).toBeNull();
      await expect(call('batches.closeDay', {})).resolves.toBeDefined();
    } finally {
      background.stop();
      services.close();
    }
  });
});
