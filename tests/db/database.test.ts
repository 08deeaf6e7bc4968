import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../db/database';
import { resolveDbPath } from '../../services/paths';
import { tempDir } from '../support/services';

describe('the database file', () => {
  it('records its schema version and uses WAL with synchronous=FULL', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('refuses a file made by a newer version and leaves it untouched', () => {
    const path = join(tempDir(), 'newer.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(/更新版本/);
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(again.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    again.close();
  });

  it('says clearly when a file is not a database', async () => {
    const path = join(tempDir(), 'not.sqlite');
    (await import('node:fs')).writeFileSync(path, 'this is a text file, not SQLite, and long enough to have a header');
    expect(() => openDatabase(path)).toThrow(/不是签章窗口的数据文件/);
  });

  it('lives where --db or SEAL_COUNTER_DB says, else in the user data folder', () => {
    expect(resolveDbPath('/tmp/x.sqlite', {})).toBe('/tmp/x.sqlite');
    expect(resolveDbPath(undefined, { SEAL_COUNTER_DB: '/tmp/y.sqlite' })).toBe('/tmp/y.sqlite');
    expect(resolveDbPath(undefined, {})).toMatch(/seal-counter[\\/]seal-counter\.sqlite$/);
  });
});
