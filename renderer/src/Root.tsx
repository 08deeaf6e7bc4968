import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { AuthGate } from './accounts/AuthGate';

const FONT_FAMILY = "'Noto Sans SC Bundled', 'Microsoft YaHei', 'PingFang SC', sans-serif";

export function Root() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { fontFamily: FONT_FAMILY } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <AuthGate />
      </AntApp>
    </ConfigProvider>
  );
}
