import { Alert, App, Form, Modal, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import type { AccountView } from '../../../core/contract';
import { call } from '../api';
import { PasswordInput } from './PasswordInput';
import { MIN_PASSWORD_LENGTH, newPasswordProblem } from './passwordRules';
import { useSubmit } from '../common/useSubmit';

/** An administrator sets a new password for someone who forgot theirs. */
export function ResetPasswordModal({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const { message } = App.useApp();
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const { busy, error, setError, submit } = useSubmit();
  const repeatedRef = useRef<InputRef>(null);

  const reset = async () => {
    if (busy) return;
    const problem = newPasswordProblem(password, repeated);
    if (problem) {
      setError(problem);
      return;
    }
    await submit(async () => {
      await call('accounts.resetPassword', { accountId: account.id, password });
      message.success(`已重置 ${account.displayName} 的密码`);
      onClose();
    });
  };

  return (
    <Modal
      open
      title={`重置密码：${account.displayName}（${account.username}）`}
      okText="重置密码"
      okButtonProps={{ danger: true, loading: busy, ...{ 'data-testid': 'account-reset-confirm' } }}
      onOk={() => void reset()}
      onCancel={onClose}
      destroyOnHidden
      width={460}
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>原密码将立即失效。请把新密码当面告知本人，并提醒其登录后修改。</Typography.Paragraph>
      <Form layout="vertical" component="div" requiredMark={false}>
        <Form.Item label="新密码" extra={`至少 ${MIN_PASSWORD_LENGTH} 位`}>
          <PasswordInput testId="account-reset-password" autoFocus autoComplete="new-password" value={password} onChange={setPassword} onEnter={() => repeatedRef.current?.focus()} />
        </Form.Item>
        <Form.Item label="再次输入新密码">
          <PasswordInput ref={repeatedRef} testId="account-reset-password-repeat" autoComplete="new-password" value={repeated} onChange={setRepeated} onEnter={() => void reset()} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="account-reset-error" />}
      </Form>
    </Modal>
  );
}
