import { Alert, Button, Form, Input } from 'antd';
import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import { call, errorText } from '../api';
import { AuthFrame } from './AuthFrame';
import { PasswordInput } from './PasswordInput';
import type { AuthStatus } from './session';

interface SignInScreenProps {
  officeName: string | null;
  /** A notice shown above the form, e.g. why the clerk was signed out. */
  notice?: string | null;
  onSignedIn: (status: AuthStatus) => void;
}

export function SignInScreen({ officeName, notice, onSignedIn }: SignInScreenProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const usernameRef = useRef<InputRef>(null);
  const passwordRef = useRef<InputRef>(null);

  const submit = async () => {
    if (busy) return;
    if (!username.trim()) {
      setError('请填写用户名');
      usernameRef.current?.focus();
      return;
    }
    if (!password) {
      passwordRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await call('auth.signIn', { username: username.trim(), password }));
    } catch (e) {
      setError(errorText(e));
      setPassword('');
      setBusy(false);
      passwordRef.current?.focus();
    }
  };

  return (
    <AuthFrame officeName={officeName} title="登录" testId="signin-screen">
      <Form layout="vertical" component="div" requiredMark={false}>
        {notice && <Alert type="info" showIcon title={notice} style={{ marginBottom: 16 }} />}
        <Form.Item label="用户名">
          <Input
            ref={usernameRef}
            data-testid="signin-username"
            size="large"
            autoFocus
            autoComplete="username"
            maxLength={32}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            onPressEnter={(e) => {
              if (e.nativeEvent.isComposing) return;
              if (password) void submit();
              else passwordRef.current?.focus();
            }}
          />
        </Form.Item>
        <Form.Item label="密码">
          <PasswordInput ref={passwordRef} testId="signin-password" value={password} onChange={setPassword} onEnter={() => void submit()} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="signin-error" style={{ marginBottom: 16 }} />}
        <Button type="primary" size="large" block loading={busy} data-testid="signin-submit" onClick={() => void submit()}>
          登录
        </Button>
      </Form>
    </AuthFrame>
  );
}
