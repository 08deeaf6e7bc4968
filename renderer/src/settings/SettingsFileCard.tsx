import { App, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import type { Response } from '../../../core/contract';
import { call } from '../api';
import { downloadText } from '../common/download';
import { useShowError } from '../common/feedback';
import { FilePicker } from '../common/FilePicker';

type Settings = Response<'settings.get'>;

/** Moves the office's settings between workstations as one JSON file. */
export function SettingsFileCard({ onImported }: { onImported: (settings: Settings) => void }) {
  const { message } = App.useApp();
  const showError = useShowError();
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);

  const exportSettings = async () => {
    setBusy('export');
    try {
      const file = await call('settings.export', {});
      downloadText(file.fileName, file.json, 'application/json');
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const importSettings = async (file: File) => {
    setBusy('import');
    try {
      const settings = await call('settings.import', { json: await file.text() });
      message.success(`已导入设置文件“${file.name}”`);
      onImported(settings);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title="设置文件">
      <Space orientation="vertical">
        <Typography.Text type="secondary">单位名称、印章、证书编号规则、办证日、自动锁屏时间和中心地址保存在一个设置文件中，可导出后在其他窗口电脑上导入。导入会替换本机的全部设置。</Typography.Text>
        <Space>
          <Button data-testid="settings-export" loading={busy === 'export'} onClick={() => void exportSettings()}>
            导出设置
          </Button>
          <FilePicker inputTestId="settings-import-input" accept=".json,application/json" onPick={(file) => void importSettings(file)} buttonProps={{ loading: busy === 'import' }}>
            导入设置文件
          </FilePicker>
        </Space>
      </Space>
    </Card>
  );
}
