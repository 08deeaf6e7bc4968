import { UserError } from '../../core/errors';
import { ROLE_LABEL, roleAtLeast, type Access, type Role } from '../../core/accounts/roles';

export interface SignedInAccount {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

/** Why a call was refused; the renderer shows the sign-in or lock screen for the first two. */
export type AccessDenial = { kind: 'signed-out' | 'locked' | 'forbidden'; message: string };

/**
 * The one signed-in account of this app instance (one window, one counter). Locking keeps the
 * account but refuses every call until its password is given again.
 */
export class Session {
  private account: SignedInAccount | null = null;
  private locked = false;

  state(): { account: SignedInAccount | null; locked: boolean } {
    return { account: this.account, locked: this.locked };
  }

  signIn(account: SignedInAccount): void {
    this.account = account;
    this.locked = false;
  }

  signOut(): void {
    this.account = null;
    this.locked = false;
  }

  lock(): void {
    if (this.account) this.locked = true;
  }

  unlock(): void {
    this.locked = false;
  }

  denial(access: Access): AccessDenial | null {
    if (access === 'public') return null;
    if (!this.account) return { kind: 'signed-out', message: '请先登录。' };
    if (this.locked) return { kind: 'locked', message: '屏幕已锁定，请输入密码解锁。' };
    if (!roleAtLeast(this.account.role, access)) return { kind: 'forbidden', message: `此操作需要${ROLE_LABEL[access]}权限，当前账户是${ROLE_LABEL[this.account.role]}。` };
    return null;
  }

  /** The account a service acts for; dispatch has already refused the call if there is none. */
  requireAccount(): SignedInAccount {
    if (!this.account || this.locked) throw new UserError('请先登录。');
    return this.account;
  }
}
