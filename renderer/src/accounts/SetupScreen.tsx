import { Alert, Button, Form, Input, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import { call, errorText } from '../api';
import { AuthFrame } from './AuthFrame';
import { PasswordInput } from './PasswordInput';
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN, USERNAME_RULE, newPasswordProblem } from './passwordRules';
import type { AuthStatus } from './session';

type Field = 'username' | 'displayName' | 'password' | 'repeated';
const ORDER: Field[] = ['username', 'displayName', 'password', 'repeated'];

/** First run: no account exists yet, and the person installing the app creates the administrator. */
export function SetupScreen({ officeName, onDone }: { officeName: string | null; onDone: (status: AuthStatus) => void }) {
  const [values, setValues] = useState<Record<Field, string>>({ username: '', displayName: '', password: '', repeated: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refs = {
    username: useRef<InputRef>(null),
    displayName: useRef<InputRef>(null),
    password: useRef<InputRef>(null),
    repeated: useRef<InputRef>(null),
  };

  const set = (field: Field, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const focus = (field: Field) => refs[field].current?.focus();

  const problem = (): [Field, string] | null => {
    if (!USERNAME_PATTERN.test(values.username.trim())) return ['username', USERNAME_RULE];
    if (!values.displayName.trim()) return ['displayName', '请填写姓名'];
    const passwordProblem = newPasswordProblem(values.password, values.repeated);
    if (passwordProblem) return [values.password.length < MIN_PASSWORD_LENGTH ? 'password' : 'repeated', passwordProblem];
    return null;
  };

  const submit = async () => {
    if (busy) return;
    const found = problem();
    if (found) {
      setError(found[1]);
      focus(found[0]);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await call('auth.setup', { username: values.username.trim(), displayName: values.displayName.trim(), password: values.password }));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  // Enter walks the fields in order; on the last one it submits.
  const next = (field: Field) => {
    const following = ORDER[ORDER.indexOf(field) + 1];
    if (following) focus(following);
    else void submit();
  };

  return (
    <AuthFrame officeName={officeName} title="首次使用：设置管理员账户" testId="setup-screen">
      <Typography.Paragraph type="secondary">
        本机还没有任何账户。请为负责本窗口的管理员创建账户；管理员登录后可在“账户”页为窗口经办人和审核人创建账户。
      </Typography.Paragraph>
      <Form layout="vertical" component="div" requiredMark={false}>
        <Form.Item label="用户名" extra="登录时使用，字母、数字或 _ . -">
          <Input ref={refs.username} data-testid="setup-username" size="large" autoFocus autoComplete="username" maxLength={32} value={values.username}
            onChange={(e) => set('username', e.target.value)} onPressEnter={(e) => !e.nativeEvent.isComposing && next('username')} />
        </Form.Item>
        <Form.Item label="姓名" extra="显示在页面上方和登记簿的“窗口经办人”栏">
          <Input ref={refs.displayName} data-testid="setup-display-name" size="large" maxLength={20} value={values.displayName}
            onChange={(e) => set('displayName', e.target.value)} onPressEnter={(e) => !e.nativeEvent.isComposing && next('displayName')} />
        </Form.Item>
        <Form.Item label="密码" extra={`至少 ${MIN_PASSWORD_LENGTH} 位`}>
          <PasswordInput ref={refs.password} testId="setup-password" autoComplete="new-password" value={values.password} onChange={(v) => set('password', v)} onEnter={() => next('password')} />
        </Form.Item>
        <Form.Item label="再次输入密码">
          <PasswordInput ref={refs.repeated} testId="setup-password-repeat" autoComplete="new-password" value={values.repeated} onChange={(v) => set('repeated', v)} onEnter={() => next('repeated')} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="setup-error" style={{ marginBottom: 16 }} />}
        <Button type="primary" size="large" block loading={busy} data-testid="setup-submit" onClick={() => void submit()}>
          创建管理员并登录
        </Button>
      </Form>
    </AuthFrame>
  );
}
