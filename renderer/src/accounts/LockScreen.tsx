import { Alert, Button, Form, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import { ROLE_LABEL } from '../../../core/contract';
import { call, errorText } from '../api';
import { AuthFrame } from './AuthFrame';
import { PasswordInput } from './PasswordInput';
import type { Account, AuthStatus } from './session';

interface LockScreenProps {
  officeName: string | null;
  account: Account;
  onStatus: (status: AuthStatus) => void;
  /** After a failed unlock: the account may have been disabled meanwhile, which signs it out. */
  onUnlockFailed: () => void;
}

/** Hides the counter while the clerk is away; only the signed-in person's password opens it again. */
export function LockScreen({ officeName, account, onStatus, onUnlockFailed }: LockScreenProps) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'unlock' | 'switch' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<InputRef>(null);

  const unlock = async () => {
    if (busy) return;
    if (!password) {
      passwordRef.current?.focus();
      return;
    }
    setBusy('unlock');
    setError(null);
    try {
      onStatus(await call('auth.unlock', { password }));
    } catch (e) {
      setError(errorText(e));
      setPassword('');
      setBusy(null);
      passwordRef.current?.focus();
      onUnlockFailed();
    }
  };

  const switchAccount = async () => {
    if (busy) return;
    setBusy('switch');
    try {
      onStatus(await call('auth.signOut', {}));
    } catch (e) {
      setError(errorText(e));
      setBusy(null);
    }
  };

  return (
    <AuthFrame officeName={officeName} title="屏幕已锁定" testId="lock-screen">
      <Form layout="vertical" component="div" requiredMark={false}>
        <div style={{ marginBottom: 16, fontSize: 16 }}>
          <span data-testid="lock-account" style={{ fontSize: 20, fontWeight: 600 }}>
            {account.displayName}
          </span>
          <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
            {ROLE_LABEL[account.role]}（{account.username}）
          </Typography.Text>
          <div style={{ color: '#595959', marginTop: 4 }}>正在使用本窗口。请输入密码解锁。</div>
        </div>
        <Form.Item label="密码">
          <PasswordInput ref={passwordRef} testId="lock-password" autoFocus value={password} onChange={setPassword} onEnter={() => void unlock()} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="lock-error" style={{ marginBottom: 16 }} />}
        <Button type="primary" size="large" block loading={busy === 'unlock'} data-testid="lock-unlock" onClick={() => void unlock()}>
          解锁
        </Button>
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button type="link" data-testid="lock-switch-account" loading={busy === 'switch'} onClick={() => void switchAccount()}>
            切换账户
          </Button>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13 }}>
            切换账户会退出 {account.displayName} 的登录
          </Typography.Text>
        </div>
      </Form>
    </AuthFrame>
  );
}
