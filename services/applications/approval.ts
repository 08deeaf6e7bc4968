import type { SupervisorConfirmation } from '../../core/applications/records';
import type { ApplicationFinding } from '../../core/applications/terms';
import { roleAtLeast } from '../../core/accounts/roles';
import { UserError } from '../../core/errors';
import { checkPassword } from '../accounts/accounts';
import { PasswordThrottle } from '../accounts/throttle';
import type { ServiceContext } from '../context';

interface Approval {
  reason: string;
  username?: string | undefined;
  password?: string | undefined;
}

/**
 * What only a supervisor may let through (an original sealed before this app, a barred applicant)
 * is confirmed by one: the signed-in account if it is a supervisor, otherwise a supervisor called to
 * the counter who types their own user name and password — the clerk's session is not enough.
 */
export async function supervisorConfirmation(ctx: ServiceContext, approval: Approval | undefined, warnings: readonly ApplicationFinding[]): Promise<SupervisorConfirmation> {
  const why = warnings.map((w) => w.message).join('');
  if (!approval) throw new UserError(`须经审核人确认后才能受理：${why}请审核人核实后填写确认理由。`);
  const signedIn = ctx.session.requireAccount();
  const codes = warnings.map((w) => w.code);
  if (!approval.username || approval.username === signedIn.username) {
    if (!roleAtLeast(signedIn.role, 'supervisor')) throw new UserError(`须经审核人确认：当前账户是窗口经办人，请审核人在此输入自己的用户名和密码。${why}`);
    return { account: signedIn.username, name: signedIn.displayName, reason: approval.reason, codes };
  }
  const account = ctx.db.prepare('SELECT * FROM accounts WHERE username = ?').get(approval.username) as Parameters<typeof checkPassword>[2];
  // The sign-in's own count of wrong passwords: the counter's confirmation is no second door for guessing.
  if (!(await checkPassword(new PasswordThrottle(ctx.db), approval.username, account, approval.password ?? '')) || !account) throw new UserError('审核人的用户名或密码不正确，未受理。');
  if (account.disabled_at) throw new UserError(`账户“${account.username}”已停用，不能确认。`);
  if (!roleAtLeast(account.role, 'supervisor')) throw new UserError(`账户“${account.username}”不是审核人，不能确认。`);
  return { account: account.username, name: account.display_name, reason: approval.reason, codes };
}
