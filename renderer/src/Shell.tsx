import { Alert, App, Button, Dropdown, Layout, Menu, Modal, Result, Spin, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Response } from '../../core/contract';
import { AccountsPage } from './accounts/AccountsPage';
import { ApplicationsPage } from './applications/ApplicationsPage';
import { call, errorText } from './api';
import { ChangePasswordModal } from './accounts/ChangePasswordModal';
import { accountLabel, useCan, useSession } from './accounts/session';
import { useShowError } from './common/feedback';
import { formatLongDate } from './common/format';
import { ListsPage } from './lists/ListsPage';
import { RegisterPage } from './register/RegisterPage';
import { BackgroundFailureNotice } from './settings/BackgroundFailureNotice';
import { SettingsPage } from './settings/SettingsPage';
import { StockPage } from './stock/StockPage';
import { ConflictsDrawer } from './sync/ConflictsDrawer';
import { SyncIndicator } from './sync/SyncIndicator';
import { useSyncStatus } from './sync/useSyncStatus';
import { useShortcuts } from './common/shortcuts';
import { PrecheckPage } from './supervision/PrecheckPage';
import { SpotcheckPage } from './supervision/SpotcheckPage';
import { VisitsPage } from './visits/VisitsPage';
import type { VisitsView } from './visits/VisitsPage';
import { CertificateModal } from './common/CertificateModal';
import { HelpOverlay } from './common/HelpOverlay';
import { useScanner } from './common/scanner';
import { TrainingWatermark } from './common/TrainingWatermark';
import { useBackendLink } from './common/useBackendLink';

// The charts library is most of the statistics page's weight: loaded when a supervisor opens it, not with every start.
const StatsPage = lazy(() => import('./supervision/StatsPage').then((module) => ({ default: module.StatsPage })));

type PageKey = 'visits' | 'lists' | 'register' | 'settings' | 'stock' | 'applications' | 'precheck' | 'spotcheck' | 'stats' | 'accounts';
type AppInfo = Response<'app.info'>;

/** Which page and visit are open: kept by the auth gate, so locking the screen and unlocking it returns here. */
export interface ShellNav {
  page: PageKey;
  visitsView: VisitsView;
}

export const START_NAV: ShellNav = { page: 'visits', visitsView: { kind: 'list' } };

const NAV_ITEMS: { key: PageKey; label: string; shortcut: string; adminOnly?: boolean; supervisorOnly?: boolean }[] = [
  { key: 'visits', label: '办证', shortcut: 'Alt+1' },
  { key: 'lists', label: '名单管理', shortcut: 'Alt+2' },
  { key: 'register', label: '登记簿', shortcut: 'Alt+3' },
  { key: 'settings', label: '设置', shortcut: 'Alt+4' },
  { key: 'stock', label: '证书库存', shortcut: 'Alt+5' },
  { key: 'applications', label: '补换与确认', shortcut: 'Alt+6' },
  { key: 'precheck', label: '预审', shortcut: 'Alt+7' },
  { key: 'spotcheck', label: '抽查', shortcut: 'Alt+8', supervisorOnly: true },
  { key: 'stats', label: '统计', shortcut: 'Alt+9', supervisorOnly: true },
  { key: 'accounts', label: '账户', shortcut: 'Alt+0', adminOnly: true },
];

interface ShellProps {
  nav: ShellNav;
  onNavChange: (nav: ShellNav) => void;
}

export function Shell({ nav, onNavChange }: ShellProps) {
  const session = useSession();
  const isAdmin = useCan('admin');
  const isSupervisor = useCan('supervisor');
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [changingPassword, setChangingPassword] = useState(false);
  const [conflictsOpen, setConflictsOpen] = useState(false);
  const showError = useShowError();
  const { message } = App.useApp();
  const backendLost = useBackendLink();
  const [training, setTraining] = useState(false);
  const [trainingHelpOpen, setTrainingHelpOpen] = useState(false);
  const [certificateQuery, setCertificateQuery] = useState<string | null>(null);
  useEffect(() => {
    call('training.status', {}).then((status) => setTraining(status.training), () => undefined);
  }, []);
  // The shell is mounted only while someone is signed in and the screen is unlocked: so is the poll.
  const sync = useSyncStatus(showError);
  const navItems = NAV_ITEMS.filter((item) => (isAdmin || !item.adminOnly) && (isSupervisor || !item.supervisorOnly));
  const page: PageKey = navItems.some((item) => item.key === nav.page) ? nav.page : 'visits';

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

  // Each page keeps its own digit whichever pages the account may see.
  useShortcuts(navItems.map((item) => ({ key: item.shortcut.slice('Alt+'.length), alt: true, run: () => openPage(item.key) })));

  // A slip scanned anywhere opens a visit filled from the issuance list (or the visit it already
  // has); a certificate number opens the ledger.
  useScanner((code) => {
    call('visits.scan', { code }).then((found) => {
      if (found.kind === 'slip') {
        onNavChange({ page: 'visits', visitsView: found.openVisitId !== null ? { kind: 'visit', visitId: found.openVisitId } : { kind: 'new', prefill: { slipNo: found.slipNo, unit: found.unit, certificateType: found.certificateType } } });
        if (found.openVisitId !== null) void message.info(`凭条 ${found.slipNo} 已有办理中的办证，已打开`);
      } else if (found.kind === 'certificate') {
        setCertificateQuery(found.certNo);
      } else {
        void message.warning({ content: found.message, duration: 6 });
      }
    }, showError);
  }, certificateQuery === null);

  const accountMenu: MenuProps['items'] = [
    { key: 'lock', label: <span data-testid="menu-lock">锁定屏幕</span>, extra: 'Ctrl+L' },
    { key: 'password', label: <span data-testid="menu-change-password">修改密码</span> },
    ...(isAdmin ? [{ key: 'training', label: <span data-testid="menu-training">培训模式</span> }] : []),
    { type: 'divider' },
    { key: 'signOut', label: <span data-testid="menu-sign-out">退出登录</span>, danger: true },
  ];
  const onAccountMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'lock') session.lock();
    else if (key === 'password') setChangingPassword(true);
    else if (key === 'training') setTrainingHelpOpen(true);
    else if (key === 'signOut') session.signOut();
  };

  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          签章窗口
        </Typography.Title>
        <span style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16 }}>{info?.officeName}</span>
        {training && <Tag color="red" data-testid="training-tag">培训模式：练习数据，不上报</Tag>}
        <span style={{ color: 'rgba(255,255,255,0.85)', marginLeft: 'auto', fontSize: 16, whiteSpace: 'nowrap' }}>{info ? formatLongDate(info.today) : ''}</span>
        <BackgroundFailureNotice onOpenLog={isAdmin ? () => openPage('settings') : null} />
        <SyncIndicator sync={sync} onOpenConflicts={() => setConflictsOpen(true)} />
        <Dropdown menu={{ items: accountMenu, onClick: onAccountMenu }} trigger={['click']} placement="bottomRight">
          <Button type="text" data-testid="account-menu" style={{ color: '#fff', fontSize: 16 }} title="账户菜单：锁定屏幕（Ctrl+L）、修改密码、退出登录">
            <span data-testid="account-name">{accountLabel(session.account)}</span> ▾
          </Button>
        </Dropdown>
      </Layout.Header>
      {backendLost && (
        <Alert
          className="backend-lost-banner"
          type="error"
          banner
          data-testid="backend-lost"
          title="与签章窗口服务的连接已断开：屏幕上的内容可能不是最新的，现在不能办证、签章或打印。"
          description="请确认签章窗口程序仍在运行（已关闭的请重新启动）；连接恢复后此提示自动消失，已登记的数据不受影响。"
        />
      )}
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
          ) : page === 'stock' ? (
            <StockPage today={info.today} />
          ) : page === 'applications' ? (
            <ApplicationsPage today={info.today} />
          ) : page === 'accounts' ? (
            <AccountsPage />
          ) : page === 'precheck' ? (
            <PrecheckPage />
          ) : page === 'spotcheck' ? (
            <SpotcheckPage today={info.today} />
          ) : page === 'stats' ? (
            <Suspense fallback={<Spin size="large" style={{ display: 'block', marginTop: 120 }} />}>
              <StatsPage today={info.today} />
            </Suspense>
          ) : (
            <SettingsPage onSettingsChanged={settingsChanged} />
          )}
        </Layout.Content>
      </Layout>
      {changingPassword && <ChangePasswordModal onClose={() => setChangingPassword(false)} />}
      <HelpOverlay />
      {certificateQuery !== null && <CertificateModal query={certificateQuery} onClose={() => setCertificateQuery(null)} />}
      {training && <TrainingWatermark />}
      <Modal open={trainingHelpOpen} title="培训模式" footer={null} onCancel={() => setTrainingHelpOpen(false)}>
        {training ? (
          <p>现在就是培训模式：使用单独的培训数据，所有页面和打印件都带“培训”字样，不向省级中心上报。关闭程序后按平常方式启动，即回到正式数据。</p>
        ) : (
          <p data-testid="training-help">
            培训模式使用单独的培训数据（示例名单、基础数据和几次示例办证），所有页面和打印件都带“培训”字样，从不上报。请关闭本程序，再以培训方式启动：在程序目录运行 npm start -- --training。正式数据不受影响。
          </p>
        )}
      </Modal>
      <ConflictsDrawer open={conflictsOpen} count={sync.status?.conflicts ?? 0} onClose={() => setConflictsOpen(false)} />
    </Layout>
  );
}
