import { Alert, Button, Card, Descriptions, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Response } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { downloadText } from '../common/download';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';

type WorkstationInfo = Response<'workstation.info'>;

/**
 * The workstation's signing identity: its id and public key (enrolled with the hub by exporting
 * it), and how its private key is kept. A key in a plain file is a warning, not a detail.
 */
export function WorkstationCard() {
  const showError = useShowError();
  const canExport = useCan('admin');
  const [info, setInfo] = useState<WorkstationInfo | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    call('workstation.info', {}).then(setInfo, showError);
  }, [showError]);

  const exportKey = async () => {
    setExporting(true);
    try {
      const file = await call('workstation.exportKey', {});
      downloadText(file.fileName, file.json, 'application/json');
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card
      title="工作站"
      extra={
        canExport && (
          <Button data-testid="workstation-export-key" loading={exporting} disabled={!info} onClick={() => void exportKey()}>
            导出公钥
          </Button>
        )
      }
    >
      {!info ? (
        <Spin />
      ) : (
        <div data-testid="settings-workstation">
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 160 } }}>
            <Descriptions.Item label="工作站编号">
              <Typography.Text className="digits" copyable data-testid="workstation-id">
                {info.workstationId}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="公钥（Ed25519）">
              <Typography.Text className="digits" copyable data-testid="workstation-public-key">
                {info.publicKey}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="生成时间">{formatDateTime(info.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="私钥保护">
              {info.keyProtection === 'safeStorage' ? (
                <span data-testid="workstation-key-protection">{info.keyProtectionText}</span>
              ) : (
                <Alert
                  type="warning"
                  showIcon
                  data-testid="workstation-key-protection"
                  title={info.keyProtectionText}
                  description={
                    <>
                      私钥文件：<Typography.Text className="digits">{info.keyPath}</Typography.Text>
                      <br />
                      能读取此文件的人可以冒用本工作站签发批次。请勿复制或共享该文件，并保护好本机的登录账户。
                    </>
                  }
                />
              )}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            日结时，本工作站用私钥对每个批次签名。首次使用前，请{canExport ? '点击“导出公钥”，' : '由管理员导出公钥，'}把公钥文件交省级中心登记，中心据此核验上报的批次。
          </Typography.Paragraph>
        </div>
      )}
    </Card>
  );
}
