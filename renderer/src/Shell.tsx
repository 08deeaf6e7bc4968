import { Button, Layout, Menu, Result, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Response } from '../../core/contract';
import { call, errorText } from './api';
import { formatLongDate } from './format';
import { ListsPage } from './lists/ListsPage';
import { RegisterPage } from './register/RegisterPage';
import { SettingsPage } from './settings/SettingsPage';
import { useShortcuts } from './shortcuts';
import { VisitsPage } from './visits/VisitsPage';
import type { VisitsView } from './visits/VisitsPage';

type PageKey = 'visits' | 'lists' | 'register' | 'settings';
type AppInfo = Response<'app.info'>;

const NAV_ITEMS = [
  { key: 'visits', label: <span data-testid="nav-visits">办证</span>, title: '办证（Alt+1）' },
  { key: 'lists', label: <span data-testid="nav-lists">名单管理</span>, title: '名单管理（Alt+2）' },
  { key: 'register', label: <span data-testid="nav-register">登记簿</span>, title: '登记簿（Alt+3）' },
  { key: 'settings', label: <span data-testid="nav-settings">设置</span>, title: '设置（Alt+4）' },
];

export function Shell() {
  const [page, setPage] = useState<PageKey>('visits');
  // Kept here so that looking something up in 登记簿 or 名单管理 does not lose the visit being worked on.
  const [visitsView, setVisitsView] = useState<VisitsView>({ kind: 'list' });
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);

  const loadInfo = useCallback(() => {
    setInfoError(null);
    call('app.info', {}).then(setInfo, (error: unknown) => setInfoError(errorText(error)));
  }, []);
  useEffect(loadInfo, [loadInfo]);

  // 办证 clicked while already there means "back to the list"; from elsewhere it returns to the open visit.
  const openPage = (next: PageKey) => {
    if (next === 'visits' && page === 'visits') setVisitsView({ kind: 'list' });
    setPage(next);
  };

  useShortcuts([
    { key: '1', alt: true, run: () => openPage('visits') },
    { key: '2', alt: true, run: () => openPage('lists') },
    { key: '3', alt: true, run: () => openPage('register') },
    { key: '4', alt: true, run: () => openPage('settings') },
  ]);

  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          签章窗口
        </Typography.Title>
        <span style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16 }}>{info?.officeName}</span>
        <span style={{ color: 'rgba(255,255,255,0.85)', marginLeft: 'auto', fontSize: 16 }}>{info ? formatLongDate(info.today) : ''}</span>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={160} theme="light">
          <Menu mode="inline" selectedKeys={[page]} items={NAV_ITEMS} onClick={({ key }) => openPage(key as PageKey)} style={{ height: '100%', fontSize: 16 }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 16, overflow: 'auto' }}>
          {infoError ? (
            <Result status="error" title="无法连接签章窗口服务" subTitle={infoError} extra={<Button onClick={loadInfo}>重试</Button>} />
          ) : !info ? (
            <Spin size="large" style={{ display: 'block', marginTop: 120 }} />
          ) : page === 'visits' ? (
            <VisitsPage today={info.today} view={visitsView} onViewChange={setVisitsView} />
          ) : page === 'lists' ? (
            <ListsPage />
          ) : page === 'register' ? (
            <RegisterPage today={info.today} />
          ) : (
            <SettingsPage onSettingsChanged={loadInfo} />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
