import { App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { AccountView } from '../../../core/contract';
import { ROLE_LABEL } from '../../../core/contract';
import { call } from '../api';
import { useSession } from './session';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';
import { NewAccountModal } from './NewAccountModal';
import { ResetPasswordModal } from './ResetPasswordModal';

const ROLE_COLOR = { clerk: 'default', supervisor: 'blue', admin: 'gold' } as const;

/** 账户 (administrators): who may use this counter, and as what. Accounts are disabled, never deleted: the register names them. */
export function AccountsPage() {
  const { modal, message } = App.useApp();
  const showError = useShowError();
  const { account: me } = useSession();
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AccountView | null>(null);

  const refresh = useCallback(() => {
    setLoading(true);
    return call('accounts.list', {})
      .then(setAccounts, showError)
      .finally(() => setLoading(false));
  }, [showError]);
  useEffect(() => void refresh(), [refresh]);

  const setDisabled = (account: AccountView, disabled: boolean) => {
    void modal.confirm({
      title: disabled ? `停用账户“${account.displayName}”？` : `启用账户“${account.displayName}”？`,
      content: disabled
        ? `${account.displayName}（${account.username}）将不能再登录。账户不会删除，登记簿中由其经办的登记保持不变；需要时可再启用。`
        : `${account.displayName}（${account.username}）将可以用原密码重新登录。`,
      okText: disabled ? '停用' : '启用',
      okButtonProps: { danger: disabled, ...{ 'data-testid': 'account-disable-confirm' } },
      cancelText: '取消',
      onOk: async () => {
        try {
          await call('accounts.setDisabled', { accountId: account.id, disabled });
          message.success(disabled ? `已停用 ${account.displayName}` : `已启用 ${account.displayName}`);
          await refresh();
        } catch (e) {
          showError(e);
        }
      },
    });
  };

  const columns: TableColumnsType<AccountView> = [
    { title: '用户名', dataIndex: 'username', width: 160, className: 'digits' },
    {
      title: '姓名',
      dataIndex: 'displayName',
      width: 160,
      render: (name: string, account) => (
        <>
          {name}
          {account.id === me.id && <Typography.Text type="secondary">（当前登录）</Typography.Text>}
        </>
      ),
    },
    { title: '角色', dataIndex: 'role', width: 120, render: (role: AccountView['role']) => <Tag color={ROLE_COLOR[role]}>{ROLE_LABEL[role]}</Tag> },
    { title: '创建时间', dataIndex: 'createdAt', width: 160, render: (value: string) => formatDateTime(value) },
    {
      title: '状态',
      dataIndex: 'disabled',
      width: 90,
      render: (disabled: boolean) => (disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">可用</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      render: (_, account) => (
        <Space>
          <Button size="small" data-testid={`account-reset-${account.username}`} onClick={() => setResetting(account)}>
            重置密码
          </Button>
          {account.id !== me.id &&
            (account.disabled ? (
              <Button size="small" data-testid={`account-enable-${account.username}`} onClick={() => setDisabled(account, false)}>
                启用
              </Button>
            ) : (
              <Button size="small" danger data-testid={`account-disable-${account.username}`} onClick={() => setDisabled(account, true)}>
                停用
              </Button>
            ))}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title="账户"
      extra={
        <Button type="primary" data-testid="account-new" onClick={() => setCreating(true)}>
          新建账户
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        窗口经办人办理签章；审核人还可导入批准名单、更正登记；管理员还可管理账户、导入基础数据、修改设置。账户不能删除，只能停用。
      </Typography.Paragraph>
      <div data-testid="accounts-table">
        <Table<AccountView>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={accounts}
          pagination={false}
          rowClassName={(account) => (account.disabled ? 'row-blocked' : '')}
        />
      </div>
      {creating && (
        <NewAccountModal
          onClose={() => setCreating(false)}
          onCreated={(account) => {
            setCreating(false);
            message.success(`已创建账户 ${account.displayName}（${ROLE_LABEL[account.role]}）`);
            void refresh();
          }}
        />
      )}
      {resetting && <ResetPasswordModal account={resetting} onClose={() => setResetting(null)} />}
    </Card>
  );
}
