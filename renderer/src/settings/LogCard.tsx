import { Button, Card, Segmented, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { LogEntry, Request } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { formatDateTimeSeconds } from '../common/format';

type MinLevel = NonNullable<Request<'log.recent'>['minLevel']>;

const LEVEL_TAG: Record<LogEntry['level'], { color: string; text: string }> = {
  error: { color: 'red', text: '错误' },
  warn: { color: 'orange', text: '警告' },
  info: { color: 'default', text: '信息' },
};

const TASK_TEXT: Record<string, string> = { backup: '自动备份', sync: '同步', 'day-close': '日结', 'file-check': '完整性检查', host: '程序', call: '操作' };

const LEVEL_OPTIONS: { label: string; value: MinLevel }[] = [
  { label: '全部', value: 'info' },
  { label: '警告及错误', value: 'warn' },
  { label: '仅错误', value: 'error' },
];

/**
 * The app's log for the administrator: what the background tasks did and what went wrong behind
 * a call, newest first. The technical detail (for whoever supports the office) opens per line.
 */
export function LogCard() {
  const showError = useShowError();
  const [minLevel, setMinLevel] = useState<MinLevel>('info');
  const [log, setLog] = useState<{ dir: string; entries: LogEntry[] } | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    call('log.recent', { limit: 300, minLevel }).then(setLog, showError).finally(() => setLoading(false));
  }, [minLevel, showError]);
  useEffect(load, [load]);

  const columns: TableColumnsType<LogEntry & { key: number }> = [
    { title: '时间', dataIndex: 'time', width: 200, render: (time: string) => <span className="digits" style={{ whiteSpace: 'nowrap' }}>{formatDateTimeSeconds(time)}</span> },
    { title: '级别', dataIndex: 'level', width: 80, render: (level: LogEntry['level']) => <Tag color={LEVEL_TAG[level].color}>{LEVEL_TAG[level].text}</Tag> },
    { title: '来源', dataIndex: 'task', width: 100, render: (task: string) => TASK_TEXT[task] ?? task },
    { title: '内容', dataIndex: 'message' },
  ];

  return (
    <Card
      title="运行日志"
      data-testid="settings-log"
      extra={
        <Button data-testid="settings-log-refresh" loading={loading} onClick={load}>
          刷新
        </Button>
      }
    >
      <Segmented<MinLevel> options={LEVEL_OPTIONS} value={minLevel} onChange={setMinLevel} data-testid="settings-log-level" style={{ marginBottom: 12 }} />
      <Table
        size="small"
        loading={loading && !log}
        columns={columns}
        dataSource={(log?.entries ?? []).map((entry, index) => ({ ...entry, key: index }))}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: '日志中还没有记录' }}
        expandable={{
          rowExpandable: (entry) => entry.detail !== null,
          expandedRowRender: (entry) => (
            <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', margin: 0 }} className="digits">
              技术细节（供技术支持人员）：{'\n'}
              {entry.detail}
            </Typography.Paragraph>
          ),
        }}
      />
      {log && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          日志文件在 <Typography.Text className="digits" copyable>{log.dir}</Typography.Text>，每个文件满 5 MB 后轮换，保留最近 6 个文件。
        </Typography.Paragraph>
      )}
    </Card>
  );
}
