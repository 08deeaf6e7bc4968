import { z } from 'zod';
import { ROLES } from '../accounts/roles';
import { Empty, type CallSpecs } from './shared';

const RoleSchema = z.enum(ROLES);

export const AccountViewSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
  disabled: z.boolean(),
});

const AuthStatusSchema = z.object({
  /** No account exists yet: the first run creates the administrator. */
  needsSetup: z.boolean(),
  account: z.object({ id: z.number(), username: z.string(), displayName: z.string(), role: RoleSchema }).nullable(),
  locked: z.boolean(),
});

const Password = z.string().min(8, '密码至少 8 位').max(200);
const NewAccountFields = {
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, '用户名应为 2–32 位字母、数字或 _ . -'),
  displayName: z.string().trim().min(1, '请填写姓名').max(20),
  password: Password,
};


/** Signing in, locking, and the accounts an administrator manages. */
export const accountsCalls = {
  'auth.status': { access: 'public', request: Empty, response: AuthStatusSchema },
  'auth.setup': { access: 'public', request: z.object({ username: NewAccountFields.username, displayName: NewAccountFields.displayName, password: NewAccountFields.password }), response: AuthStatusSchema },
  'auth.signIn': { access: 'public', request: z.object({ username: z.string().trim().min(1, '请填写用户名').max(32), password: z.string().min(1, '请填写密码').max(200) }), response: AuthStatusSchema },
  'auth.signOut': { access: 'public', request: Empty, response: AuthStatusSchema },
  'auth.lock': { access: 'public', request: Empty, response: AuthStatusSchema },
  'auth.unlock': { access: 'public', request: z.object({ password: z.string().min(1, '请填写密码').max(200) }), response: AuthStatusSchema },
  'auth.changePassword': { access: 'clerk', request: z.object({ currentPassword: z.string().max(200), newPassword: Password }), response: AuthStatusSchema },
  'accounts.list': { access: 'admin', request: Empty, response: z.array(AccountViewSchema) },
  'accounts.create': { access: 'admin', request: z.object({ ...NewAccountFields, role: RoleSchema }), response: AccountViewSchema },
  'accounts.setDisabled': { access: 'admin', request: z.object({ accountId: z.number(), disabled: z.boolean() }), response: AccountViewSchema },
  'accounts.resetPassword': { access: 'admin', request: z.object({ accountId: z.number(), password: Password }), response: AccountViewSchema },
} as const satisfies CallSpecs;

export type AccountView = z.infer<typeof AccountViewSchema>;
