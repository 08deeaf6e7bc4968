import { Alert, Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { BatchView, Response } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';

type BatchCheck = Response<'batches.verify'>['batches'][number];

/** Enough of a SHA-256 to compare by eye with the hub's copy; the whole hash is in the tooltip. */
export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 16)}…` : hash;
}

/**
 * The day-close batches, newest first: each seals a range of entries under the workstation's
 * signature and waits in the outbox until the hub acknowledges it.
 */
export function BatchesPanel({ reloadKey }: { reloadKey: number }) {
  const showError = useShowError();
  const [batches, setBatches] = useState<BatchView[]>([]);
  const [loading, setLoading] = useState(true);
  const [checks, setChecks] = useState<Map<number, BatchCheck> | null>(null);
  const [verifying, setVerifying] = useState(false);

  const refresh = useCallback(() => {
    setLoading(true);
    return call('batches.list', {})
      .then(setBatches, showError)
      .finally(() => setLoading(false));
  }, [showError]);
  useEffect(() => {
    setChecks(null);
    void refresh();
  }, [refresh, reloadKey]);

  const verify = async () => {
    setVerifying(true);
    setChecks(null);
    try {
      const result = await call('batches.verify', {});
      setChecks(new Map(result.batches.map((check) => [check.batchNo, check])));
    } catch (e) {
      showError(e);
    } finally {
      setVerifying(false);
    }
  };

  const failed = checks ? [...checks.values()].filter((check) => !check.ok).sort((a, b) => a.batchNo - b.batchNo) : [];

  const columns: TableColumnsType<BatchView> = [
    { title: '批次号', dataIndex: 'batchNo', width: 90, render: (batchNo: number) => `第 ${batchNo} 批` },
    { title: '登记号范围', key: 'range', width: 150, render: (_, batch) => <span data-testid={`batch-range-${batch.batchNo}`}>{`第 ${batch.firstSeq}–${batch.lastSeq} 号`}</span> },
    { title: '条数', dataIndex: 'entryCount', width: 70, align: 'right' },
    {
      title: '末条哈希',
      dataIndex: 'lastHash',
      width: 200,
      render: (hash: string) => (
        <Tooltip title={<span className="digits">{hash}</span>}>
          <Typography.Text className="digits" copyable={{ text: hash, tooltips: ['复制完整哈希', '已复制'] }}>
            {shortHash(hash)}
          </Typography.Text>
        </Tooltip>
      ),
    },
    { title: '签名时间', dataIndex: 'createdAt', width: 150, render: (value: string) => formatDateTime(value) },
    {
      title: '上报状态',
      dataIndex: 'acknowledgedAt',
      width: 210,
      render: (acknowledgedAt: string | null) =>
        acknowledgedAt ? (
          <span>
            <Tag color="green">已上报</Tag>
            <Typography.Text type="secondary">{formatDateTime(acknowledgedAt)}</Typography.Text>
          </span>
        ) : (
          <Tag color="orange">待上报</Tag>
        ),
    },
    ...(checks
      ? [
          {
            title: '校验结果',
            key: 'check',
            render: (_: unknown, batch: BatchView) => {
              const check = checks.get(batch.batchNo);
              if (!check) return <Typography.Text type="secondary">未校验</Typography.Text>;
              return (
                <span data-testid={`batch-check-${batch.batchNo}`} className={check.ok ? undefined : 'finding-error'}>
                  <Tag color={check.ok ? 'green' : 'red'}>{check.ok ? '完整' : '不符'}</Tag>
                  {check.message}
                </span>
              );
            },
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap>
        <Button data-testid="batches-verify" loading={verifying} disabled={batches.length === 0} onClick={() => void verify()}>
          校验批次
        </Button>
        <Typography.Text type="secondary">核对每个批次的工作站签名、其中的登记与证书台账，以及与上一批的衔接</Typography.Text>
      </Space>
      {checks && (
        <div data-testid="batches-verify-result">
          {failed.length === 0 ? (
            <Alert type="success" showIcon title={`全部 ${checks.size} 个批次核验通过`} />
          ) : (
            <Alert className="chain-break" type="error" showIcon title={`${failed.length} 个批次未通过核验：第 ${failed.map((check) => check.batchNo).join('、')} 批`} description={`第 ${failed[0]!.batchNo} 批：${failed[0]!.message}`} />
          )}
        </div>
      )}
      <div data-testid="batches-table">
        <Table<BatchView>
          rowKey="batchNo"
          size="small"
          bordered
          loading={loading}
          columns={columns}
          dataSource={batches}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 批` }}
          locale={{ emptyText: '还没有批次：日结后，当天的登记签名封存为一个批次' }}
        />
      </div>
    </Space>
  );
}
