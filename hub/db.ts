import pg from 'pg';
import { UserError } from '../core/errors';
import { hubMigrations, type HubMigration } from './migrations';

/**
 * The hub's one store: PostgreSQL through `pg`, plain SQL. Every node of a hub talks to the same
 * database; what must not happen twice (a batch stored, a nonce spent, a migration applied) is
 * decided by the database, in transactions, never by a node's memory.
 */
// COUNT(*) and SUM are bigint; the hub's counts fit a JS number by far.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  one<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
}

export interface HubDb extends Queryable {
  /** Runs `work` in one transaction (READ COMMITTED), committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

export type DatabaseTarget = string | pg.ClientConfig;

function configOf(target: DatabaseTarget): pg.PoolConfig {
  return typeof target === 'string' ? { connectionString: target } : { ...target };
}

const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
  async query<T extends object>(sql: string, params: readonly unknown[] = []) {
    return (await client.query(sql, params as unknown[])).rows as T[];
  },
  async one<T extends object>(sql: string, params: readonly unknown[] = []) {
    return (await client.query(sql, params as unknown[])).rows[0] as T | undefined;
  },
});

/** Says in Chinese why the database cannot be reached, naming the target without its password. */
function connectionProblem(target: DatabaseTarget, error: unknown): UserError {
  const where = typeof target === 'string' ? target.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : `${target.host ?? ''}/${target.database ?? ''}`;
  const code = (error as { code?: string }).code ?? '';
  const why = code === 'ECONNREFUSED' ? '连接被拒绝（服务器未启动或地址不对）'
    : code === 'ENOTFOUND' ? '找不到该主机'
    : code === '28P01' ? '用户名或密码错误'
    : code === '3D000' ? '数据库不存在'
    : code === 'ENOENT' ? '套接字不存在（服务器未启动）'
    : (error as Error).message;
  return new UserError(`无法连接集中服务器的数据库 ${where}：${why}。`);
}

export async function openHubDb(target: DatabaseTarget, options: { poolSize?: number; migrate?: boolean } = {}): Promise<HubDb> {
  const pool = new pg.Pool({ ...configOf(target), max: options.poolSize ?? 10, application_name: 'seal-counter-hub' });
  // An idle client losing its connection (the server restarted) must not crash the node.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw connectionProblem(target, error);
  }
  const db: HubDb = {
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async serverVersion() {
      return (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    },
    close: () => pool.end(),
  };
  if (options.migrate !== false) {
    try {
      await migrateHub(db);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }
  return db;
}

// Any fixed number: the key of the advisory lock under which one node at a time migrates.
const MIGRATION_LOCK = 517_001;

export async function schemaVersion(db: Queryable): Promise<number> {
  const exists = await db.one<{ present: boolean }>("SELECT to_regclass('hub_schema') IS NOT NULL AS present");
  if (!exists?.present) return 0;
  return (await db.one<{ version: number | null }>('SELECT max(version) AS version FROM hub_schema'))?.version ?? 0;
}

/**
 * Brings the schema to the newest version, each migration in its own transaction, under a lock,
 * so two nodes starting at once apply each migration once. A database from a newer hub is left
 * alone.
 */
export async function migrateHub(db: HubDb, list: readonly HubMigration[] = hubMigrations): Promise<void> {
  const supported = list[list.length - 1]!.version;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS hub_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const current = await schemaVersion(tx);
    if (current > supported) {
      throw new UserError(`集中服务器的数据库由更新版本的程序创建（数据版本 ${current}，本程序支持到 ${supported}），请升级本程序。为保护数据，本程序不会改动该数据库。`);
    }
    for (const migration of list.filter((m) => m.version > current)) {
      await tx.query(migration.up);
      await tx.query('INSERT INTO hub_schema (version) VALUES ($1)', [migration.version]);
    }
  });
}
