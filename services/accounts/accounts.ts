import { randomBytes, scrypt, scryptSync, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import type { AccountView, Request, Response } from '../../core/contract';
import { UserError } from '../../core/errors';
import type { Db } from '../../db/database';
import { type ServiceContext } from '../context';
import type { Role } from '../../core/accounts/roles';
import type { SignedInAccount } from './session';
import type { PasswordThrottle } from './throttle';

interface AccountRecord {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  created_by: string;
  disabled_at: string | null;
}

/**
 * scrypt with N = 2^15, r = 8, p = 1 (about 32 MiB and a tenth of a second per try): slow enough
 * that a copied database does not give up its passwords to a guessing program, quick enough for
 * signing in. The parameters are stored with each hash so they can be raised later.
 *
 * The app hashes on libuv's thread pool (crypto.scrypt), never on the main thread: a tenth of a
 * second per try, on the thread that answers every call, would let a guessing program stall the
 * counter.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

function scryptAsync(password: BinaryLike, salt: BinaryLike, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function formatHash(salt: Buffer, key: Buffer): string {
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const SCRYPT_OPTIONS = { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT_MAXMEM };

/** Synchronous, for seeding test databases; the app itself uses hashPasswordAsync. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return formatHash(salt, scryptSync(password.normalize('NFC'), salt, SCRYPT.keyLength, SCRYPT_OPTIONS));
}

export async function hashPasswordAsync(password: string): Promise<string> {
  const salt = randomBytes(16);
  return formatHash(salt, await scryptAsync(password.normalize('NFC'), salt, SCRYPT.keyLength, SCRYPT_OPTIONS));
}

export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT_MAXMEM });
  return timingSafeEqual(actual, expected);
}

/**
 * Checked instead when no account has the name: the same scrypt work, so an unknown name is not
 * answered faster than a known one (it was, 500 times, before). It matches no password.
 */
const NO_SUCH_ACCOUNT_HASH = formatHash(Buffer.alloc(16, 0x5a), Buffer.alloc(SCRYPT.keyLength, 0));

function toView(r: AccountRecord): AccountView {
  return { id: r.id, username: r.username, displayName: r.display_name, role: r.role, createdAt: r.created_at, disabled: r.disabled_at !== null };
}

function toSignedIn(r: AccountRecord): SignedInAccount {
  return { id: r.id, username: r.username, displayName: r.display_name, role: r.role };
}

function accountByName(db: Db, username: string): AccountRecord | undefined {
  return db.prepare('SELECT * FROM accounts WHERE username = ?').get(username.trim()) as AccountRecord | undefined;
}

function requireAccount(db: Db, id: number): AccountRecord {
  const record = db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRecord | undefined;
  if (!record) throw new UserError(`找不到编号为 ${id} 的账户。`);
  return record;
}

export function hasAccounts(db: Db): boolean {
  return db.prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
}

export function authStatus(ctx: ServiceContext): Response<'auth.status'> {
  const { account, locked } = ctx.session.state();
  return { needsSetup: !hasAccounts(ctx.db), account, locked };
}

function insertAccount(ctx: ServiceContext, request: Request<'accounts.create'>, passwordHash: string, createdBy: string): AccountRecord {
  if (accountByName(ctx.db, request.username)) throw new UserError(`用户名“${request.username.trim()}”已被使用。`);
  const id = Number(ctx.db.prepare(
    'INSERT INTO accounts (username, display_name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(request.username.trim(), request.displayName.trim(), request.role, passwordHash, ctx.clock.timestamp(), createdBy).lastInsertRowid);
  return requireAccount(ctx.db, id);
}

/** The first run: the person installing the app becomes its administrator, and is signed in. */
export async function setUpFirstAdmin(ctx: ServiceContext, request: Request<'auth.setup'>): Promise<Response<'auth.status'>> {
  const passwordHash = await hashPasswordAsync(request.password);
  const record = ctx.db.transaction(() => {
    if (hasAccounts(ctx.db)) throw new UserError('本机已设置管理员账户，请直接登录。');
    return insertAccount(ctx, { ...request, role: 'admin' }, passwordHash, '（首次运行）');
  }).immediate();
  ctx.session.signIn(toSignedIn(record));
  return authStatus(ctx);
}

/** One message for an unknown name and a wrong password, so the screen does not reveal which names exist. */
const BAD_CREDENTIALS = '用户名或密码不正确。';

/**
 * Whether `password` is the one of the account named `name` (null when there is none), counted by
 * the throttle either way. A name that must wait is refused before any hashing.
 */
export async function checkPassword(throttle: PasswordThrottle, name: string, record: AccountRecord | undefined, password: string): Promise<boolean> {
  throttle.assertMayTry(name);
  // Counted as a failure before hashing: tries sent all at once must not slip past the check
  // together while scrypt runs. The right password then clears it.
  throttle.failed(name);
  const matches = await passwordMatches(record?.password_hash ?? NO_SUCH_ACCOUNT_HASH, password);
  if (matches && record) throttle.cleared(name);
  return matches && record !== undefined;
}

export async function signIn(ctx: ServiceContext, throttle: PasswordThrottle, request: Request<'auth.signIn'>): Promise<Response<'auth.status'>> {
  const record = accountByName(ctx.db, request.username);
  if (!(await checkPassword(throttle, request.username, record, request.password)) || !record) throw new UserError(BAD_CREDENTIALS);
  if (record.disabled_at) throw new UserError(`账户“${record.username}”已于 ${record.disabled_at.slice(0, 10)} 停用，请联系管理员。`);
  ctx.session.signIn(toSignedIn(record));
  return authStatus(ctx);
}

export async function unlock(ctx: ServiceContext, throttle: PasswordThrottle, request: Request<'auth.unlock'>): Promise<Response<'auth.status'>> {
  const { account } = ctx.session.state();
  if (!account) throw new UserError('当前没有登录的账户，请登录。');
  const record = requireAccount(ctx.db, account.id);
  if (record.disabled_at) {
    ctx.session.signOut();
    throw new UserError(`账户“${record.username}”已停用，请联系管理员。`);
  }
  // The same count as signing in: a locked screen is no second door for guessing.
  if (!(await checkPassword(throttle, record.username, record, request.password))) throw new UserError('密码不正确。');
  ctx.session.unlock();
  return authStatus(ctx);
}

export async function changePassword(ctx: ServiceContext, request: Request<'auth.changePassword'>): Promise<Response<'auth.status'>> {
  const record = requireAccount(ctx.db, ctx.session.requireAccount().id);
  if (!(await passwordMatches(record.password_hash, request.currentPassword))) throw new UserError('原密码不正确。');
  ctx.db.prepare('UPDATE accounts SET password_hash = ? WHERE id = ?').run(await hashPasswordAsync(request.newPassword), record.id);
  return authStatus(ctx);
}

export function listAccounts(db: Db): AccountView[] {
  return (db.prepare('SELECT * FROM accounts ORDER BY id').all() as AccountRecord[]).map(toView);
}

export async function createAccount(ctx: ServiceContext, request: Request<'accounts.create'>): Promise<AccountView> {
  const createdBy = ctx.session.requireAccount().username;
  return toView(insertAccount(ctx, request, await hashPasswordAsync(request.password), createdBy));
}

/** Disabling keeps the account (its name stays on every entry it made); it only stops signing in. */
export function setAccountDisabled(ctx: ServiceContext, request: Request<'accounts.setDisabled'>): AccountView {
  const record = requireAccount(ctx.db, request.accountId);
  if (request.disabled) {
    if (record.id === ctx.session.requireAccount().id) throw new UserError('不能停用当前登录的账户。');
    const otherAdmins = ctx.db.prepare("SELECT count(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?").pluck().get(record.id) as number;
    if (record.role === 'admin' && otherAdmins === 0) throw new UserError('这是唯一可用的管理员账户，不能停用。');
  }
  ctx.db.prepare('UPDATE accounts SET disabled_at = ? WHERE id = ?').run(request.disabled ? ctx.clock.timestamp() : null, record.id);
  return toView(requireAccount(ctx.db, record.id));
}

/** A new password from the administrator; it also lifts the wait that wrong passwords put on the account. */
export async function resetPassword(ctx: ServiceContext, throttle: PasswordThrottle, request: Request<'accounts.resetPassword'>): Promise<AccountView> {
  const record = requireAccount(ctx.db, request.accountId);
  ctx.db.prepare('UPDATE accounts SET password_hash = ? WHERE id = ?').run(await hashPasswordAsync(request.password), record.id);
  throttle.cleared(record.username);
  return toView(record);
}
