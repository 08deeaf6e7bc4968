import { Alert, App, Form, Modal } from 'antd';
import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import { call } from '../api';
import { useSubmit } from '../common/useSubmit';
import { MIN_PASSWORD_LENGTH, newPasswordProblem } from './passwordRules';
import { PasswordInput } from './PasswordInput';

type Field = 'current' | 'next' | 'repeated';

/** The signed-in person changes their own password; an administrator resets someone else's on the 账户 page. */
export function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const [values, setValues] = useState<Record<Field, string>>({ current: '', next: '', repeated: '' });
  const { busy, error, setError, submit } = useSubmit();
  const refs = { current: useRef<InputRef>(null), next: useRef<InputRef>(null), repeated: useRef<InputRef>(null) };
  const set = (field: Field, value: string) => setValues((v) => ({ ...v, [field]: value }));

  const save = async () => {
    if (busy) return;
    if (!values.current) {
      setError('请填写原密码');
      refs.current.current?.focus();
      return;
    }
    const problem = newPasswordProblem(values.next, values.repeated);
    if (problem) {
      setError(problem);
      (values.next.length < MIN_PASSWORD_LENGTH ? refs.next : refs.repeated).current?.focus();
      return;
    }
    await submit(async () => {
      await call('auth.changePassword', { currentPassword: values.current, newPassword: values.next });
      message.success('密码已修改，下次登录和解锁请使用新密码');
      onClose();
    });
  };

  return (
    <Modal
      open
      title="修改密码"
      okText="保存新密码"
      okButtonProps={{ loading: busy, ...{ 'data-testid': 'password-save' } }}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
      width={440}
    >
      <Form layout="vertical" component="div" requiredMark={false} style={{ marginTop: 16 }}>
        <Form.Item label="原密码">
          <PasswordInput ref={refs.current} testId="password-current" autoFocus value={values.current} onChange={(v) => set('current', v)} onEnter={() => refs.next.current?.focus()} />
        </Form.Item>
        <Form.Item label="新密码" extra={`至少 ${MIN_PASSWORD_LENGTH} 位`}>
          <PasswordInput ref={refs.next} testId="password-new" autoComplete="new-password" value={values.next} onChange={(v) => set('next', v)} onEnter={() => refs.repeated.current?.focus()} />
        </Form.Item>
        <Form.Item label="再次输入新密码">
          <PasswordInput ref={refs.repeated} testId="password-repeat" autoComplete="new-password" value={values.repeated} onChange={(v) => set('repeated', v)} onEnter={() => void save()} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="password-error" />}
      </Form>
    </Modal>
  );
}
