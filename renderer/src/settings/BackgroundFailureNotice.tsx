import { Button, Popover, Space, Typography } from 'antd';
import { formatDateTime } from '../common/format';
import { useBackgroundFailures } from './useBackgroundFailures';

interface BackgroundFailureNoticeProps {
  /** Administrators can open the log from the notice. */
  onOpenLog: (() => void) | null;
}

/**
 * In the header while a background task's last run failed: a packaged app has no console, so
 * this (and the log on 设置) is where a failed backup, sync round or day close is seen.
 */
export function BackgroundFailureNotice({ onOpenLog }: BackgroundFailureNoticeProps) {
  const failures = useBackgroundFailures();
  if (failures.length === 0) return null;
  const names = failures.map((failure) => failure.label).join('、');
  return (
    <Popover
      trigger={['hover', 'click']}
      placement="bottomRight"
      title="后台任务失败"
      content={
        <Space orientation="vertical" style={{ maxWidth: 420 }} data-testid="background-failures">
          {failures.map((failure) => (
            <div key={failure.task}>
              <Typography.Text strong>{failure.label}</Typography.Text>
              <Typography.Text type="secondary"> {formatDateTime(failure.at)}</Typography.Text>
              <div>{failure.message}</div>
            </div>
          ))}
          <Typography.Text type="secondary">该任务下次成功后此提示自动消失。{onOpenLog ? '' : '请告知管理员查看日志。'}</Typography.Text>
          {onOpenLog && (
            <Button size="small" data-testid="background-failures-open-log" onClick={onOpenLog}>
              查看日志
            </Button>
          )}
        </Space>
      }
    >
      <Button danger type="primary" size="small" data-testid="background-failure-notice" style={{ whiteSpace: 'nowrap' }}>
        后台任务失败：{names}
      </Button>
    </Popover>
  );
}
