import { afterAll, describe, expect, it } from 'vitest';
import { migrateHub, openHubDb, schemaVersion } from '../../hub/db';
import { hubMigrations } from '../../hub/migrations';
import { newTestDatabase } from '../support/postgres';

/** The hub's schema migrations: numbered, applied once each, never over a newer database. */
describe('hub migrations', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });
  const open = async (url: string, migrate: boolean) => {
    const db = await openHubDb(url, { migrate });
    opened.push(db);
    return db;
  };

  it('brings a new database to the newest version, and does nothing the second time', async () => {
    const url = await newTestDatabase('migrate');
    const db = await open(url, false);
    expect(await schemaVersion(db)).toBe(0);
    await migrateHub(db);
    const newest = hubMigrations.at(-1)!.version;
    expect(await schemaVersion(db)).toBe(newest);
    await migrateHub(db);
    expect((await db.query('SELECT version FROM hub_schema ORDER BY version')).map((r) => r.version)).toEqual(hubMigrations.map((m) => m.version));
  });

  it('applies each migration once when several nodes start on a new database at the same moment', async () => {
    const url = await newTestDatabase('concurrent');
    const nodes = await Promise.all(Array.from({ length: 4 }, () => open(url, false)));
    await Promise.all(nodes.map((db) => migrateHub(db)));
    expect(await nodes[0]!.query('SELECT version FROM hub_schema')).toHaveLength(hubMigrations.length);
  });

  it('refuses a database made by a newer hub, and changes nothing in it', async () => {
    const url = await newTestDatabase('newer');
    const db = await open(url, true);
    await db.query('INSERT INTO hub_schema (version) VALUES (999)');
    await expect(openHubDb(url)).rejects.toThrow(/更新版本的程序创建（数据版本 999，本程序支持到 \d+）/);
    expect(await schemaVersion(db)).toBe(999);
  });

  it('keeps what workstations sent as it was received: no update, delete or truncate', async () => {
    const db = await open(await newTestDatabase('immutable'), true);
    await db.query("INSERT INTO workstations (id, public_key, office_name, enrolled_at) VALUES ('WS-000000000001', 'k', '某局', 'x')");
    await db.query("INSERT INTO batches VALUES ('WS-000000000001', 1, 'b', 1, 1, 1, 'p', 'l', 'c', 'x', 's', 'x')");
    await expect(db.query("UPDATE batches SET last_hash = 'z'")).rejects.toThrow(/已接收的批次不能修改或删除/);
    await expect(db.query('DELETE FROM batches')).rejects.toThrow(/已接收的批次不能修改或删除/);
    await expect(db.query('TRUNCATE batches CASCADE')).rejects.toThrow(/不能删除/);
  });
});
