import { Collapse, Result, Button, Space, Spin } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Response } from '../../../core/contract';
import { call, errorText } from '../api';
import { useCan } from '../accounts/session';
import { OfficeSettingsCard } from './OfficeSettingsCard';
import { LogCard } from './LogCard';
import { ReferenceDataCard } from './ReferenceDataCard';
import { SealRulesCard } from './SealRulesCard';
import { SettingsFileCard } from './SettingsFileCard';
import { WorkstationCard } from './WorkstationCard';

type Settings = Response<'settings.get'>;

interface SettingsPageProps {
  /** The header shows the office name: it is reloaded after the settings change. */
  onSettingsChanged: () => void;
}

export function SettingsPage({ onSettingsChanged }: SettingsPageProps) {
  const isAdmin = useCan('admin');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(() => {
    setLoadError(null);
    call('settings.get', {}).then(setSettings, (e: unknown) => setLoadError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const changed = (next: Settings) => {
    setSettings(next);
    onSettingsChanged();
  };

  if (loadError) return <Result status="error" title="无法读取设置" subTitle={loadError} extra={<Button onClick={load}>重试</Button>} />;
  if (!settings) return <Spin size="large" style={{ display: 'block', marginTop: 120 }} />;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 1100 }}>
      {/* Remounted when an imported settings file changes what it edits. */}
      <OfficeSettingsCard key={JSON.stringify([settings.officeName, settings.counterWeekdays, settings.idleLockMinutes, settings.hub])} settings={settings} onSaved={changed} />
      <ReferenceDataCard />
      {isAdmin && <SettingsFileCard onImported={changed} />}
      {/* Keys, file paths and number patterns are for the administrator, out of a clerk's way. */}
      {isAdmin && (
        <Collapse
          data-testid="settings-advanced"
          defaultActiveKey={['advanced']}
          items={[{ key: 'advanced', label: '高级（管理员）：工作站密钥、证书编号规则', children: <Space orientation="vertical" size={16} style={{ width: '100%' }}><WorkstationCard /><SealRulesCard settings={settings} /></Space> }]}
        />
      )}
      {isAdmin && <LogCard />}
    </Space>
  );
}
