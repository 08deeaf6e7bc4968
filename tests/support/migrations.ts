import Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrate, type Db } from '../../db/database';
import { migrations } from '../../db/migrations';
import { tempDir } from './services';

/**
 * Signal Desktop's habit: each migration is tested against a database that the migrations before
 * it made and filled, as a real workstation's file would be when the new version first opens it.
 */
export function databaseAtVersion(version: number): Db {
  const db = new Database(join(tempDir('seal-migration-'), 'seal-counter.sqlite'));
  db.pragma('foreign_keys = ON');
  if (version > 0) migrate(db, 'test', migrations.filter((m) => m.version <= version));
  return db;
}

/** Applies the one migration under test (and only it) the way openDatabase does. */
export function migrateTo(db: Db, version: number): void {
  migrate(db, 'test', migrations.filter((m) => m.version <= version));
}

export function tableNames(db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
}

export function columnNames(db: Db, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}
