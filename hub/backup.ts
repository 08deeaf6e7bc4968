import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { UserError } from '../core/errors';
import { migrateHub, schemaVersion, type HubDb } from './db';
import { hubMigrations } from './migrations';

/**
 * hub-backup and hub-restore: the hub's database to one file and back. The PostgreSQL that the
 * hub runs for itself ships without pg_dump, and a province's pg_dump must match its server's
 * version, so the hub writes its own logical backup through SQL: one consistent snapshot
 * (REPEATABLE READ, read-only), every table row by row as JSON, gzip. It restores into an empty
 * database of any PostgreSQL version the hub supports, after which every chain is verified again
 * (hub/verify.ts). A province running its own server may use pg_dump / pg_restore instead
 * (hub/README.md); hub-verify checks the result the same way.
 *
 * The file holds every certificate holder's name and ID number: it is written owner-only.
 */
export const BACKUP_FORMAT = 'seal-counter-hub-backup/1';

/** In an order that satisfies the foreign keys. Nonces are not kept: they only matter for minutes. */
const TABLES = [
  { name: 'hub_meta', order: 'key' },
  { name: 'workstations', order: 'id' },
  { name: 'admin_log', order: 'id' },
  { name: 'batches', order: 'workstation_id, batch_no' },
  { name: 'entries', order: 'workstation_id, seq' },
  { name: 'records', order: 'workstation_id, batch_no, position' },
  { name: 'certificates', order: 'id' },
  { name: 'conflict_checks', order: 'workstation_id, batch_no' },
  { name: 'conflicts', order: 'id' },
  { name: 'conflict_members', order: 'conflict_id, workstation_id' },
  { name: 'equivocations', order: 'id' },
  { name: 'refusal_counts', order: 'minute, remote_address, reason, workstation_id' },
  { name: 'publications', order: 'kind, version' },
] as const;
type TableName = (typeof TABLES)[number]['name'];

/** Sequences behind bigserial columns, set past the restored ids. */
const SEQUENCES = [
  { sequence: 'admin_log_id_seq', table: 'admin_log', column: 'id' },
  { sequence: 'certificates_id_seq', table: 'certificates', column: 'id' },
  { sequence: 'equivocations_id_seq', table: 'equivocations', column: 'id' },
  { sequence: 'conflict_changes', table: 'conflicts', column: 'change_no' },
] as const;

const HeaderSchema = z.object({ format: z.literal(BACKUP_FORMAT), schemaVersion: z.number().int().positive(), createdAt: z.string(), serverVersion: z.string() });
const TrailerSchema = z.object({ end: z.literal(true), counts: z.record(z.string(), z.number().int().nonnegative()) });
const LineSchema = z.object({ t: z.string(), r: z.record(z.string(), z.unknown()) });

const FETCH_ROWS = 2_000;

export async function backupHub(db: HubDb, outPath: string, createdAt: string): Promise<Record<TableName, number>> {
  const partial = `${outPath}.partial`;
  const gzip = createGzip();
  const file = createWriteStream(partial, { mode: 0o600 });
  gzip.pipe(file);
  const write = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`)) await once(gzip, 'drain');
  };
  const counts = {} as Record<TableName, number>;
  try {
    await db.transaction(async (tx) => {
      // One snapshot for every table: batches, entries and certificates agree with each other.
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await write({ format: BACKUP_FORMAT, schemaVersion: await schemaVersion(tx), createdAt, serverVersion: (await tx.one<{ server_version: string }>('SHOW server_version'))!.server_version });
      for (const { name, order } of TABLES) {
        counts[name] = 0;
        await tx.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT row_to_json(t) AS r FROM (SELECT * FROM ${name} ORDER BY ${order}) t`);
        for (;;) {
          const rows = await tx.query<{ r: Record<string, unknown> }>(`FETCH ${FETCH_ROWS} FROM backup_rows`);
          for (const row of rows) await write({ t: name, r: row.r });
          counts[name] += rows.length;
          if (rows.length < FETCH_ROWS) break;
        }
        await tx.query('CLOSE backup_rows');
      }
      await write({ end: true, counts });
    });
    gzip.end();
    await once(file, 'close');
    renameSync(partial, outPath);
    return counts;
  } catch (error) {
    gzip.destroy();
    file.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

const INSERT_ROWS = 1_000;

/**
 * Restores a backup into a database that holds no hub yet. Everything is one transaction: a file
 * that is cut short or damaged restores nothing.
 */
export async function restoreHub(db: HubDb, inPath: string): Promise<Record<string, number>> {
  if ((await schemaVersion(db)) > 0 && (await db.one<{ n: number }>('SELECT count(*) AS n FROM hub_meta'))!.n > 0) {
    throw new UserError('目标数据库中已有集中服务器的数据。恢复只能在新建的空数据库中进行，以免覆盖现有记录。');
  }
  const lines = createInterface({ input: createReadStream(inPath).on('error', () => {}).pipe(createGunzip()), crlfDelay: Infinity });
  const next = lines[Symbol.asyncIterator]();
  const read = async (): Promise<unknown> => {
    const result = await next.next();
    return result.done ? undefined : JSON.parse(result.value);
  };
  let header: z.infer<typeof HeaderSchema>;
  try {
    header = HeaderSchema.parse(await read());
  } catch {
    throw new UserError(`文件“${inPath}”不是集中服务器的备份文件（${BACKUP_FORMAT}），或已损坏。`);
  }
  const supported = hubMigrations[hubMigrations.length - 1]!.version;
  if (header.schemaVersion > supported) throw new UserError(`备份由更新版本的程序制作（数据版本 ${header.schemaVersion}，本程序支持到 ${supported}），请升级本程序后再恢复。`);
  await migrateHub(db, hubMigrations.filter((m) => m.version <= header.schemaVersion));
  const restored: Record<string, number> = {};
  await db.transaction(async (tx) => {
    let table: string | null = null;
    let rows: unknown[] = [];
    const known = new Set<string>(TABLES.map((t) => t.name));
    const flush = async () => {
      if (table && rows.length > 0) {
        await tx.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`, [JSON.stringify(rows)]);
        restored[table] = (restored[table] ?? 0) + rows.length;
      }
      rows = [];
    };
    for (;;) {
      let value: unknown;
      try {
        value = await read();
      } catch {
        throw new UserError(`备份文件“${inPath}”已损坏（解压或解析失败），未恢复任何内容。`);
      }
      if (value === undefined) throw new UserError(`备份文件“${inPath}”不完整（缺少结尾记录），未恢复任何内容。`);
      const trailer = TrailerSchema.safeParse(value);
      if (trailer.success) {
        await flush();
        for (const [name, count] of Object.entries(trailer.data.counts)) {
          if ((restored[name] ?? 0) !== count) throw new UserError(`备份文件“${inPath}”中 ${name} 应有 ${count} 行，实际读到 ${restored[name] ?? 0} 行，未恢复任何内容。`);
        }
        break;
      }
      const line = LineSchema.parse(value);
      if (!known.has(line.t)) throw new UserError(`备份文件“${inPath}”含有未知的表 ${line.t}，未恢复任何内容。`);
      if (line.t !== table || rows.length >= INSERT_ROWS) {
        await flush();
        table = line.t;
      }
      rows.push(line.r);
    }
    for (const { sequence, table: owner, column } of SEQUENCES) {
      await tx.query(`SELECT setval('${sequence}', coalesce((SELECT max(${column}) FROM ${owner}), 0) + 1, false)`);
    }
  });
  await migrateHub(db);
  return restored;
}
