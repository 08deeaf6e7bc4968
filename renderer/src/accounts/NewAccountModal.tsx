import { Alert, Form, Input, Modal, Select } from 'antd';
import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import type { AccountView, Role } from '../../../core/contract';
import { ROLES, ROLE_LABEL } from '../../../core/contract';
import { call } from '../api';
import { PasswordInput } from './PasswordInput';
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN, USERNAME_RULE, newPasswordProblem } from './passwordRules';
import { useSubmit } from '../common/useSubmit';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABEL[role] }));

interface NewAccountModalProps {
  onClose: () => void;
  onCreated: (account: AccountView) => void;
}

export function NewAccountModal({ onClose, onCreated }: NewAccountModalProps) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const { busy, error, setError, submit } = useSubmit();
  const refs = { displayName: useRef<InputRef>(null), password: useRef<InputRef>(null), repeated: useRef<InputRef>(null) };

  const create = async () => {
    if (busy) return;
    const problem = !USERNAME_PATTERN.test(username.trim()) ? USERNAME_RULE : !displayName.trim() ? '请填写姓名' : newPasswordProblem(password, repeated);
    if (problem) {
      setError(problem);
      return;
    }
    await submit(async () => onCreated(await call('accounts.create', { username: username.trim(), displayName: displayName.trim(), role, password })));
  };

  return (
    <Modal
      open
      title="新建账户"
      okText="创建账户"
      okButtonProps={{ loading: busy, ...{ 'data-testid': 'account-create' } }}
      onOk={() => void create()}
      onCancel={onClose}
      destroyOnHidden
      width={480}
    >
      <Form layout="vertical" component="div" requiredMark={false} style={{ marginTop: 16 }}>
        <Form.Item label="用户名" extra="登录时使用，字母、数字或 _ . -">
          <Input data-testid="account-username" autoFocus autoComplete="off" maxLength={32} value={username} onChange={(e) => setUsername(e.target.value)}
            onPressEnter={(e) => !e.nativeEvent.isComposing && refs.displayName.current?.focus()} />
        </Form.Item>
        <Form.Item label="姓名" extra="显示在登记簿的“窗口经办人”栏">
          <Input ref={refs.displayName} data-testid="account-display-name" maxLength={20} value={displayName} onChange={(e) => setDisplayName(e.target.value)}
            onPressEnter={(e) => !e.nativeEvent.isComposing && refs.password.current?.focus()} />
        </Form.Item>
        <Form.Item label="角色">
          <Select<Role> data-testid="account-role" options={ROLE_OPTIONS} value={role} onChange={setRole} />
        </Form.Item>
        <Form.Item label="初始密码" extra={`至少 ${MIN_PASSWORD_LENGTH} 位；请当面告知本人，登录后可在右上角“修改密码”`}>
          <PasswordInput ref={refs.password} testId="account-password" autoComplete="new-password" value={password} onChange={setPassword} onEnter={() => refs.repeated.current?.focus()} />
        </Form.Item>
        <Form.Item label="再次输入初始密码">
          <PasswordInput ref={refs.repeated} testId="account-password-repeat" autoComplete="new-password" value={repeated} onChange={setRepeated} onEnter={() => void create()} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="account-error" />}
      </Form>
    </Modal>
  );
}
