import { Button, Dropdown, Layout, Menu, Result, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Response } from '../../core/contract';
import { AccountsPage } from './accounts/AccountsPage';
import { call, errorText } from './api';
import { ChangePasswordModal } from './accounts/ChangePasswordModal';
import { accountLabel, useCan, useSession } from './accounts/session';
import { useShowError } from './common/feedback';
import { formatLongDate } from './common/format';
import { ListsPage } from './lists/ListsPage';
import { RegisterPage } from './register/RegisterPage';
import { BackgroundFailureNotice } from './settings/BackgroundFailureNotice';
import { SettingsPage } from './settings/SettingsPage';
import { ConflictsDrawer } from './sync/ConflictsDrawer';
import { SyncIndicator } from './sync/SyncIndicator';
import { useSyncStatus } from './sync/useSyncStatus';
import { useShortcuts } from './common/shortcuts';
import { VisitsPage } from './visits/VisitsPage';
import type { VisitsView } from './visits/VisitsPage';

type PageKey = 'visits' | 'lists' | 'register' | 'settings' | 'accounts';
type AppInfo = Response<'app.info'>;

/** Which page and visit are open: kept by the auth gate, so locking the screen and unlocking it returns here. */
export interface ShellNav {
  page: PageKey;
  visitsView: VisitsView;
}

export const START_NAV: ShellNav = { page: 'visits', visitsView: { kind: 'list' } };

const NAV_ITEMS: { key: PageKey; label: string; shortcut: string; adminOnly?: boolean }[] = [
  { key: 'visits', label: '办证', shortcut: 'Alt+1' },
  { key: 'lists', label: '名单管理', shortcut: 'Alt+2' },
  { key: 'register', label: '登记簿', shortcut: 'Alt+3' },
  { key: 'settings', label: '设置', shortcut: 'Alt+4' },
  { key: 'accounts', label: '账户', shortcut: 'Alt+5', adminOnly: true },
];

interface ShellProps {
  nav: ShellNav;
  onNavChange: (nav: ShellNav) => void;
}

export function Shell({ nav, onNavChange }: ShellProps) {
  const session = useSession();
  const isAdmin = useCan('admin');
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [changingPassword, setChangingPassword] = useState(false);
  const [conflictsOpen, setConflictsOpen] = useState(false);
  const showError = useShowError();
  // The shell is mounted only while someone is signed in and the screen is unlocked: so is the poll.
  const sync = useSyncStatus(showError);
  const page: PageKey = nav.page === 'accounts' && !isAdmin ? 'visits' : nav.page;
  const navItems = NAV_ITEMS.filter((item) => isAdmin || !item.adminOnly);

  const loadInfo = useCallback(() => {
    setInfoError(null);
    call('app.info', {}).then(setInfo, (error: unknown) => setInfoError(errorText(error)));
  }, []);
  useEffect(loadInfo, [loadInfo]);

  const settingsChanged = () => {
    loadInfo();
    session.settingsChanged();
    sync.refresh();
  };

  // 办证 clicked while already there means "back to the list"; from elsewhere it returns to the open visit.
  // Kept above the pages so that looking something up in 登记簿 or 名单管理 does not lose the visit being worked on.
  const openPage = (next: PageKey) => {
    if (!navItems.some((item) => item.key === next)) return;
    onNavChange({ page: next, visitsView: next === 'visits' && page === 'visits' ? { kind: 'list' } : nav.visitsView });
  };
  const setVisitsView = (visitsView: VisitsView) => onNavChange({ ...nav, visitsView });

  useShortcuts(navItems.map((item, index) => ({ key: String(index + 1), alt: true, run: () => openPage(item.key) })));

  const accountMenu: MenuProps['items'] = [
    { key: 'lock', label: <span data-testid="menu-lock">锁定屏幕</span>, extra: 'Ctrl+L' },
    { key: 'password', label: <span data-testid="menu-change-password">修改密码</span> },
    { type: 'divider' },
    { key: 'signOut', label: <span data-testid="menu-sign-out">退出登录</span>, danger: true },
  ];
  const onAccountMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'lock') session.lock();
    else if (key === 'password') setChangingPassword(true);
    else if (key === 'signOut') session.signOut();
  };

  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          签章窗口
        </Typography.Title>
        <span style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16 }}>{info?.officeName}</span>
        <span style={{ color: 'rgba(255,255,255,0.85)', marginLeft: 'auto', fontSize: 16, whiteSpace: 'nowrap' }}>{info ? formatLongDate(info.today) : ''}</span>
        <BackgroundFailureNotice onOpenLog={isAdmin ? () => openPage('settings') : null} />
        <SyncIndicator sync={sync} onOpenConflicts={() => setConflictsOpen(true)} />
        <Dropdown menu={{ items: accountMenu, onClick: onAccountMenu }} trigger={['click']} placement="bottomRight">
          <Button type="text" data-testid="account-menu" style={{ color: '#fff', fontSize: 16 }} title="账户菜单：锁定屏幕（Ctrl+L）、修改密码、退出登录">
            <span data-testid="account-name">{accountLabel(session.account)}</span> ▾
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={160} theme="light">
          <Menu
            mode="inline"
            selectedKeys={[page]}
            items={navItems.map((item) => ({ key: item.key, label: <span data-testid={`nav-${item.key}`}>{item.label}</span>, title: `${item.label}（${item.shortcut}）` }))}
            onClick={({ key }) => openPage(key as PageKey)}
            style={{ height: '100%', fontSize: 16 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 16, overflow: 'auto' }}>
          {infoError ? (
            <Result status="error" title="无法连接签章窗口服务" subTitle={infoError} extra={<Button onClick={loadInfo}>重试</Button>} />
          ) : !info ? (
            <Spin size="large" style={{ display: 'block', marginTop: 120 }} />
          ) : page === 'visits' ? (
            <VisitsPage today={info.today} view={nav.visitsView} onViewChange={setVisitsView} />
          ) : page === 'lists' ? (
            <ListsPage />
          ) : page === 'register' ? (
            <RegisterPage today={info.today} />
          ) : page === 'accounts' ? (
            <AccountsPage />
          ) : (
            <SettingsPage onSettingsChanged={settingsChanged} />
          )}
        </Layout.Content>
      </Layout>
      {changingPassword && <ChangePasswordModal onClose={() => setChangingPassword(false)} />}
      <ConflictsDrawer open={conflictsOpen} count={sync.status?.conflicts ?? 0} onClose={() => setConflictsOpen(false)} />
    </Layout>
  );
}
