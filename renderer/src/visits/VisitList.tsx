import { Alert, Button, Card, Segmented, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import type { Visit } from '../../../core/contract';
import { call, errorText } from '../api';
import { formatDateTime } from '../common/format';

type StatusFilter = Visit['status'];

const COLUMNS: TableColumnsType<Visit> = [
  { title: '创建时间', dataIndex: 'createdAt', width: 140, render: (value: string) => formatDateTime(value) },
  { title: '用章单位', dataIndex: 'unit', ellipsis: true },
  { title: '经办人', dataIndex: 'agentName', width: 90 },
  { title: '证书类型', dataIndex: 'certificateType', width: 190 },
  { title: '凭条编号', dataIndex: 'slipNo', width: 130, className: 'digits' },
  {
    title: '核验结果',
    key: 'counts',
    width: 280,
    render: (_, visit) => (
      <Space size={4} wrap>
        {visit.rosterFile ? (
          <>
            <span>共 {visit.counts.total} 行</span>
            {visit.counts.error > 0 && <Tag color="red">错误 {visit.counts.error}</Tag>}
            {visit.counts.warning > 0 && <Tag color="orange">警告 {visit.counts.warning}</Tag>}
          </>
        ) : (
          <Tag>未导入名册</Tag>
        )}
        {visit.status === 'open' && visit.slipFindings.some((f) => f.severity === 'error') && <Tag color="red">凭条有误</Tag>}
        {visit.voided && <Tag color="red">已作废：{visit.voided.reason}（{visit.voided.by}）</Tag>}
        {visit.status === 'open' && visit.dayWarning !== null && visit.dayAcknowledgement === null && <Tag color="orange">非办证日</Tag>}
      </Space>
    ),
  },
  { title: '窗口经办人', dataIndex: 'clerk', width: 100 },
];

interface VisitListProps {
  onNew: () => void;
  onOpen: (visitId: number) => void;
}

export function VisitList({ onNew, onOpen }: VisitListProps) {
  const [status, setStatus] = useState<StatusFilter>('open');
  const [visits, setVisits] = useState<Visit[]>([]);
  const [loading, setLoading] = useState(true);
  // A list that could not be read says so, instead of looking empty.
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    setLoading(true);
    setLoadError(null);
    call('visits.list', { status })
      .then(setVisits, (e: unknown) => {
        setVisits([]);
        setLoadError(errorText(e));
      })
      .finally(() => setLoading(false));
  }, [status]);

  return (
    <Card
      title="办证"
      extra={
        <Space>
          <Segmented<StatusFilter>
            value={status}
            onChange={setStatus}
            options={[
              { label: '办理中', value: 'open' },
              { label: '已签章', value: 'sealed' },
              { label: '已作废', value: 'voided' },
            ]}
          />
          <Button type="primary" size="large" autoFocus data-testid="visit-new" onClick={onNew}>
            新建办证
          </Button>
        </Space>
      }
    >
      <div style={{ marginBottom: 12, color: '#595959' }}>扫描签章凭条即可开始办证；扫描证书编号可查看该证书的签章记录。按 F1 查看全部快捷键。</div>
      {loadError && <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="visit-list-error" title={`无法读取办证列表：${loadError}`} />}
      <Table<Visit>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={COLUMNS}
        dataSource={visits}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: loadError ? '未能读取' : { open: '没有办理中的办证：扫描签章凭条，或点击“新建办证”开始', sealed: '没有已签章的办证', voided: '没有已作废的办证' }[status] }}
        rowClassName="clickable-row"
        onRow={(visit) => ({
          tabIndex: 0,
          onClick: () => onOpen(visit.id),
          onKeyDown: (event) => {
            if (event.key === 'Enter') onOpen(visit.id);
          },
        })}
      />
    </Card>
  );
}
