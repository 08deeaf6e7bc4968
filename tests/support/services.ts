import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallName, CallResult, Request, Response } from '../../core/contract';
import { SettingsSchema } from '../../core/settings/settings';
import { hashPassword } from '../../services/accounts/accounts';
import { openServices, type Services } from '../../services/open';

export const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** The shared fixtures sit beside the checkout (../shared/fixtures). */
export const FIXTURES_DIR = join(REPO_DIR, '..', 'shared', 'fixtures');

export function fixtureBytes(relativePath: string): Buffer {
  return readFileSync(join(FIXTURES_DIR, relativePath));
}

export function upload(relativePath: string): { fileName: string; dataBase64: string } {
  return { fileName: relativePath.split('/').pop()!, dataBase64: fixtureBytes(relativePath).toString('base64') };
}

export interface Expected {
  roster: string;
  list: string;
  unit: string;
  rows: { row: number; codes: string[]; verdict: string }[];
}

export function expectedFor(name: string): Expected {
  return JSON.parse(fixtureBytes(`rosters/${name}.expected.json`).toString('utf8')) as Expected;
}

/** The fixtures' own certificate-number convention, kept as an office settings file. */
export const SENIOR14_SETTINGS = SettingsSchema.parse(JSON.parse(readFileSync(join(REPO_DIR, 'tests', 'fixtures', 'settings-senior14.json'), 'utf8')));

export function tempDir(prefix = 'seal-counter-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The account tests work as: an administrator, so every call is allowed. */
export const TEST_ADMIN = { username: 'wangfang', displayName: '王芳', password: 'counter-test-1' };

/** One scrypt hash for all tests: hashing is deliberately slow, and tests make many databases. */
let testAdminHash: string | undefined;

/**
 * Signs `services` in as `account`, creating it first when the database has no such account.
 * Goes straight to the store: the sign-in screen itself is tested in tests/accounts.test.ts.
 */
export function signInForTests(services: Services, account: { username: string; displayName: string; role?: 'clerk' | 'supervisor' | 'admin' } = TEST_ADMIN): void {
  const { db, session } = services.ctx;
  const role = account.role ?? 'admin';
  testAdminHash ??= hashPassword(TEST_ADMIN.password);
  db.prepare(`INSERT INTO accounts (username, display_name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00+08:00', 'tests')
    ON CONFLICT (username) DO NOTHING`).run(account.username, account.displayName, role, testAdminHash);
  const id = db.prepare('SELECT id FROM accounts WHERE username = ?').pluck().get(account.username) as number;
  session.signIn({ id, username: account.username, displayName: account.displayName, role });
}

/** A fresh database in a temp folder, signed in as TEST_ADMIN, with a clock the test can move. */
export function freshServices(start = new Date('2026-11-24T09:30:00+08:00')) {
  let now = start;
  const dbPath = join(tempDir(), 'seal-counter.sqlite');
  const services = openServices(dbPath, () => now);
  signInForTests(services);
  return { ...services, dbPath, setNow: (at: Date) => { now = at; } };
}

/** A contract client: every call goes through a transport and unwraps the result envelope. */
export type Transport = (name: CallName, request: unknown) => Promise<CallResult<CallName>>;

export function clientOf(transport: Transport) {
  return async function call<N extends CallName>(name: N, request: Request<N>): Promise<Response<N>> {
    const result = await transport(name, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as Response<N>;
  };
}

/** Reads until `done` says yes or the time is up, and returns the last value read (for the test to assert on). */
export async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
