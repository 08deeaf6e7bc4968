import type { HandlersOf } from '../../core/contract';
import type { accountsCalls } from '../../core/contract/accounts';
import type { ServiceContext } from '../context';
import { PasswordThrottle } from './throttle';
import { authStatus, changePassword, createAccount, listAccounts, resetPassword, setAccountDisabled, setUpFirstAdmin, signIn, unlock } from './accounts';

export function accountsHandlers(ctx: ServiceContext): HandlersOf<typeof accountsCalls> {
  const throttle = new PasswordThrottle(ctx.db);
  return {
    'auth.status': () => authStatus(ctx),
    'auth.setup': (request) => setUpFirstAdmin(ctx, request),
    'auth.signIn': (request) => signIn(ctx, throttle, request),
    'auth.signOut': () => { ctx.session.signOut(); return authStatus(ctx); },
    'auth.lock': () => { ctx.session.lock(); return authStatus(ctx); },
    'auth.unlock': (request) => unlock(ctx, throttle, request),
    'auth.changePassword': (request) => changePassword(ctx, request),
    'accounts.list': () => listAccounts(ctx.db),
    'accounts.create': (request) => createAccount(ctx, request),
    'accounts.setDisabled': (request) => setAccountDisabled(ctx, request),
    'accounts.resetPassword': (request) => resetPassword(ctx, throttle, request),
  };
}
