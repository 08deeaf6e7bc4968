import { Alert, Card, Drawer, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import type { Response } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';

type Conflict = Response<'sync.conflicts'>[number];
type Sighting = Conflict['sightings'][number];

function stationCount(conflict: Conflict): string {
  const stations = new Set(conflict.sightings.map((s) => s.workstationId)).size;
  return stations === 2 ? '两个' : `${stations} 个`;
}

/** One plain sentence for what the hub found. */
export function conflictHeadline(conflict: Conflict): string {
  return conflict.kind === 'cert-no'
    ? `证书编号 ${conflict.certNo} 在${stationCount(conflict)}窗口都已签章`
    : `同一人（姓名、身份证号）同一资格名称在${stationCount(conflict)}窗口都已签章`;
}

interface ConflictsDrawerProps {
  open: boolean;
  /** The count the header shows: the list is read again when it changes while open. */
  count: number;
  onClose: () => void;
}

/**
 * 跨窗口冲突: what only the centre can see. While two offices were offline, both sealed the same
 * certificate number, or a certificate for the same person and 资格名称. Each sighting names the
 * office, the workstation, the unit, the time and the register entry, so the clerk can find it
 * in the 登记簿 and call the other office.
 */
export function ConflictsDrawer({ open, count, onClose }: ConflictsDrawerProps) {
  const showError = useShowError();
  const [conflicts, setConflicts] = useState<Conflict[] | null>(null);
  const [ownId, setOwnId] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    call('sync.conflicts', {}).then(setConflicts, showError);
  }, [open, count, showError]);
  useEffect(() => {
    if (open && ownId === null) call('workstation.info', {}).then((info) => setOwnId(info.workstationId), () => undefined);
  }, [open, ownId]);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title="跨窗口冲突"
      size={960}
      destroyOnHidden
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="conflicts-drawer">
        <Alert
          type="warning"
          showIcon
          title="集中服务器发现：同一证书编号，或同一人同一资格名称，在不同窗口（办公室）都已签章"
          description="通常是两个窗口离线期间各自办理了同一证书。请按登记号在登记簿中找到本窗口的登记，并与对方办公室核实是哪一次签章有误。"
        />
        {conflicts === null ? (
          <Spin />
        ) : conflicts.length === 0 ? (
          <Empty description="没有跨窗口冲突" />
        ) : (
          conflicts.map((conflict) => <ConflictCard key={conflict.id} conflict={conflict} ownId={ownId} />)
        )}
      </Space>
    </Drawer>
  );
}

function ConflictCard({ conflict, ownId }: { conflict: Conflict; ownId: string | null }) {
  const columns: TableColumnsType<Sighting> = [
    {
      title: '办公室',
      key: 'office',
      width: 150,
      render: (_, s) => (
        <span>
          {s.officeName}
          {s.workstationId === ownId && (
            <Tag color="blue" style={{ marginLeft: 6 }}>
              本窗口
            </Tag>
          )}
        </span>
      ),
    },
    { title: '工作站', dataIndex: 'workstationId', width: 160, render: (id: string) => <span className="digits" style={{ whiteSpace: 'nowrap' }}>{id}</span> },
    { title: '用章单位', dataIndex: 'unit' },
    { title: '签章时间', dataIndex: 'sealedAt', width: 130, render: (at: string) => formatDateTime(at) },
    { title: '登记号', dataIndex: 'entrySeq', width: 75, render: (seq: number) => `第 ${seq} 号` },
    {
      title: conflict.kind === 'cert-no' ? '持证人' : '证书编号',
      key: 'other',
      width: conflict.kind === 'cert-no' ? 215 : 160,
      render: (_, s) =>
        conflict.kind === 'cert-no' ? (
          <span>
            {s.name}（{s.qualification}）
            <Typography.Text className="digits" type="secondary" style={{ display: 'block', whiteSpace: 'nowrap' }}>
              {s.idNumber}
            </Typography.Text>
          </span>
        ) : (
          <span>
            <span className="digits">{s.certNo}</span>
            {s.reissue && <Tag color="orange" style={{ marginLeft: 6 }}>补发</Tag>}
          </span>
        ),
    },
  ];
  return (
    <Card
      size="small"
      data-testid={`conflict-${conflict.id}`}
      data-kind={conflict.kind}
      title={<span className="finding-error" data-testid="conflict-headline">{conflictHeadline(conflict)}</span>}
      extra={<Typography.Text type="secondary">中心发现于 {formatDateTime(conflict.detectedAt)}</Typography.Text>}
    >
      <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="conflict-subject">
        {conflict.kind === 'cert-no' ? (
          <>
            证书编号 <span className="digits">{conflict.certNo}</span>
            {conflict.sightings.some((s) => s.reissue) && '（其中有补发）'}
          </>
        ) : (
          <>
            {conflict.name}，身份证号 <span className="digits">{conflict.idNumber}</span>，资格名称 {conflict.qualification}
          </>
        )}
      </Typography.Paragraph>
      <Table<Sighting>
        rowKey={(s) => `${s.workstationId}-${s.entrySeq}-${s.certNo}`}
        size="small"
        bordered
        pagination={false}
        columns={columns}
        dataSource={conflict.sightings}
      />
    </Card>
  );
}
