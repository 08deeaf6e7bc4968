import { createContext, useContext } from 'react';
import type { Response, Role } from '../../../core/contract';
import { ROLE_LABEL, roleAtLeast } from '../../../core/contract';

export type AuthStatus = Response<'auth.status'>;
export type Account = NonNullable<AuthStatus['account']>;

export interface SessionValue {
  account: Account;
  /** Minutes without keyboard or mouse before the screen locks, from the settings. */
  idleLockMinutes: number;
  lock: () => void;
  signOut: () => void;
  /** Re-reads what the session depends on in the settings (the idle-lock minutes) after they change. */
  settingsChanged: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in account; only used below the auth gate, which renders the app only when someone is signed in. */
export function useSession(): SessionValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession 只能在登录后的页面中使用');
  return session;
}

/** Whether the signed-in account may use what needs `role`: the UI hides it otherwise (the backend refuses it anyway). */
export function useCan(role: Role): boolean {
  return roleAtLeast(useSession().account.role, role);
}

export function accountLabel(account: Account): string {
  return `${account.displayName} · ${ROLE_LABEL[account.role]}`;
}
