import { Alert, App, Button, Descriptions, Popover, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatDateTimeSeconds } from '../common/format';
import type { SyncState, SyncStatus } from './useSyncStatus';

type Tone = 'online' | 'offline' | 'connecting' | 'unconfigured' | 'unknown';

interface StateLabel {
  tone: Tone;
  text: string;
  /** The dot's colour, drawn on the dark header (antd's grey badge would vanish there). */
  dot: 'green' | 'grey' | 'blue' | 'red' | 'hollow';
}

/** 在线 / 离线 / 连接中… / 未配置中心, as the header says it. */
export function syncStateLabel(status: SyncStatus | null, readError: string | null): StateLabel {
  if (!status) return readError ? { tone: 'unknown', text: '状态未知', dot: 'red' } : { tone: 'connecting', text: '连接中…', dot: 'blue' };
  if (!status.configured) return { tone: 'unconfigured', text: '未配置中心', dot: 'hollow' };
  if (status.online === null) return { tone: 'connecting', text: '连接中…', dot: 'blue' };
  // Offline is the normal state of a regional office: grey, not an alarm. A problem makes it red.
  return status.online ? { tone: 'online', text: '在线', dot: status.problem ? 'red' : 'green' } : { tone: 'offline', text: '离线', dot: status.problem ? 'red' : 'grey' };
}

const HEADER_TEXT = 'rgba(255,255,255,0.85)';

interface SyncIndicatorProps {
  sync: SyncState;
  onOpenConflicts: () => void;
}

/**
 * In the header, on every page: whether the hub answers, how many closed batches wait in the
 * outbox, cross-office conflicts, and 同步. The details (times, the last error, anything a person
 * must look at) are in the popover of the state.
 */
export function SyncIndicator({ sync, onOpenConflicts }: SyncIndicatorProps) {
  const { message } = App.useApp();
  const { status, readError, syncing } = sync;
  const label = syncStateLabel(status, readError);
  const problem = status?.problem ?? null;

  const runSync = async () => {
    const next = await sync.syncNow();
    if (!next) return;
    // The indicator shows the outcome too; the message says that the click did something.
    if (next.problem) void message.error({ content: next.problem, duration: 8 });
    else if (next.online && next.conflicts > 0) void message.warning({ content: `同步完成${next.waiting === 0 ? '' : `，仍有 ${next.waiting} 个批次待上报`}。集中服务器发现 ${next.conflicts} 起跨窗口冲突，请查看。`, duration: 6 });
    else if (next.online === false) void message.warning({ content: `未能连接集中服务器，批次仍在待上报中。${next.lastError ?? ''}`, duration: 6 });
    else if (next.online) void message.success(next.waiting === 0 ? '同步完成：批次已全部上报' : `同步完成，仍有 ${next.waiting} 个批次待上报`);
  };

  return (
    <div data-testid="sync-indicator" className="sync-indicator" style={{ display: 'flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}>
      <Popover
        trigger={['hover', 'click']}
        placement="bottomRight"
        title="与集中服务器同步"
        content={<SyncDetails sync={sync} onOpenConflicts={onOpenConflicts} />}
      >
        <Button
          type="text"
          size="small"
          data-testid="sync-state-button"
          aria-label={`同步状态：${label.text}${status ? `，待上报 ${status.waiting} 批` : ''}${problem ? '，有需要处理的问题' : ''}`}
          style={{ color: '#fff', fontSize: 15, paddingInline: 6 }}
        >
          <span className={`sync-dot sync-dot-${label.dot}`} aria-hidden />
          <span data-testid="sync-state" data-tone={label.tone} style={{ color: label.tone === 'offline' || label.tone === 'unconfigured' ? HEADER_TEXT : '#fff' }}>
            {label.text}
          </span>
          {status && (
            <span data-testid="sync-waiting" style={{ color: status.waiting > 0 ? '#ffd591' : HEADER_TEXT, marginLeft: 6 }}>
              待上报 {status.waiting}
            </span>
          )}
          {problem && (
            <span data-testid="sync-problem-flag" className="sync-problem-flag">
              需处理
            </span>
          )}
        </Button>
      </Popover>
      {status && status.conflicts > 0 && (
        <Button danger type="primary" size="small" data-testid="sync-conflicts" onClick={onOpenConflicts} title="集中服务器发现的跨窗口冲突：点击查看">
          跨窗口冲突 {status.conflicts}
        </Button>
      )}
      {/* Nothing to push to until the settings name a hub: the details say so. */}
      {status?.configured && (
        <Button
          size="small"
          ghost
          data-testid="sync-now"
          loading={syncing}
          onClick={() => void runSync()}
          title="立即上报待上报的批次，并取回冲突和中心发布的名单"
        >
          同步
        </Button>
      )}
    </div>
  );
}

function SyncDetails({ sync, onOpenConflicts }: SyncIndicatorProps) {
  const { status, readError } = sync;
  if (!status) return <div data-testid="sync-details">{readError ? <Alert type="error" showIcon title="无法读取同步状态" description={readError} /> : '正在读取同步状态…'}</div>;
  if (!status.configured) {
    return (
      <div data-testid="sync-details" style={{ maxWidth: 360 }}>
        尚未配置集中服务器：管理员在“设置”中填写集中服务器地址和省级公钥后，日结的批次会自动上报。
        {status.waiting > 0 && <div style={{ marginTop: 8 }}>现有 {status.waiting} 个批次保存在本机，等待上报。</div>}
      </div>
    );
  }
  const rows: { label: string; value: ReactNode; testId: string }[] = [
    { label: '集中服务器', value: <Typography.Text className="digits">{status.hubUrl}</Typography.Text>, testId: 'sync-hub-url' },
    { label: '待上报批次', value: `${status.waiting} 个`, testId: 'sync-detail-waiting' },
    { label: '最近一次联系', value: formatDateTimeSeconds(status.lastContactAt) || '尚未联系上', testId: 'sync-last-contact' },
    { label: '最近一次尝试', value: formatDateTimeSeconds(status.lastAttemptAt) || '尚未尝试', testId: 'sync-last-attempt' },
    { label: '下次自动尝试', value: formatDateTimeSeconds(status.nextAttemptAt) || '—', testId: 'sync-next-attempt' },
  ];
  return (
    <Space data-testid="sync-details" orientation="vertical" size={8} style={{ width: 420 }}>
      {status.problem && <Alert data-testid="sync-problem" type="error" showIcon title="需要人工处理（自动重试不能解决）" description={status.problem} />}
      <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 110 } }}>
        {rows.map((row) => (
          <Descriptions.Item key={row.testId} label={row.label}>
            <span data-testid={row.testId}>{row.value}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>
      {status.lastError && <Alert data-testid="sync-last-error" type="warning" showIcon title="最近一次连接失败" description={status.lastError} />}
      {status.publicationNote && <Alert data-testid="sync-publication-note" type={status.problem ? 'warning' : 'info'} showIcon title="中心发布" description={status.publicationNote} />}
      {status.conflicts > 0 && (
        <Alert
          type="error"
          showIcon
          title={`集中服务器发现 ${status.conflicts} 起跨窗口冲突`}
          action={
            <Button size="small" danger onClick={onOpenConflicts}>
              查看
            </Button>
          }
        />
      )}
      <Typography.Text type="secondary">离线时批次保存在本机，联网后自动上报，不影响窗口办证。</Typography.Text>
    </Space>
  );
}
