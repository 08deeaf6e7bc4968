import { Alert, Button, Descriptions, List, Modal } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Visit, VisitRow, SealUse } from '../../../core/contract';
import { sealUsesFor } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { NO_MOTION } from '../common/motion';

interface SealConfirmModalProps {
  visit: Visit;
  rows: VisitRow[];
  today: string;
  sealing: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}

export function SealConfirmModal({ visit, rows, today, sealing, onCancel, onConfirm }: SealConfirmModalProps) {
  const showError = useShowError();
  const [sealUses, setSealUses] = useState<SealUse[] | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    call('settings.get', {}).then((settings) => setSealUses(sealUsesFor(settings, visit.certificateType, today)), showError);
  }, [visit.certificateType, today, showError]);

  // A warning row still blocked (no reason yet, or the language certificate copy not ticked) is not sealed.
  const blockedWarnings = rows.filter((row) => row.verdict === 'warning' && !row.sealable).length;

  return (
    <Modal
      open
      {...NO_MOTION}
      width={640}
      title={`确认签章：${visit.counts.sealable} 本`}
      onCancel={onCancel}
      // The dialog focuses its close button once open: Enter must seal.
      afterOpenChange={(open) => open && confirmRef.current?.focus()}
      footer={[
        <Button key="cancel" onClick={onCancel}>
          取消
        </Button>,
        <Button key="seal" ref={confirmRef} type="primary" autoFocus loading={sealing} data-testid="seal-confirm" onClick={onConfirm}>
          确认签章（{visit.counts.sealable} 本）并打印登记表
        </Button>,
      ]}
    >
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'unit', label: '用章单位', children: visit.unit },
          { key: 'type', label: '证书类型', children: visit.certificateType },
          { key: 'count', label: '签章数量', children: <strong>{visit.counts.sealable} 本</strong> },
          { key: 'slip', label: '签章凭条', children: slipText(visit) },
          { key: 'documents', label: '已核验材料', children: visit.documentsSeen.length > 0 ? visit.documentsSeen.join('、') : '（未勾选）' },
          ...(visit.dayAcknowledgement !== null ? [{ key: 'day', label: '非办证日理由', children: visit.dayAcknowledgement }] : []),
          ...(visit.slipCountReason !== null && visit.slipCount !== null && visit.counts.sealable < visit.slipCount ? [{ key: 'count', label: '少于凭条的理由', children: visit.slipCountReason }] : []),
          { key: 'agent', label: '经办人', children: `${visit.agentName}　${visit.agentPhone}` },
          { key: 'purpose', label: '事由', children: visit.purpose || '（按证书类型生成）' },
        ]}
      />
      <List
        size="small"
        header="使用印章（每项在登记簿中记一条）"
        loading={sealUses === null}
        dataSource={sealUses ?? []}
        locale={{ emptyText: '当天没有适用于此证书类型的有效印章' }}
        renderItem={(use) => (
          <List.Item>
            {use.seal.name}（{use.seal.kind}）— {use.documentKind}
          </List.Item>
        )}
      />
      {(visit.counts.error > 0 || blockedWarnings > 0) && (
        <Alert
          type="warning"
          showIcon
          title={`以下行不签章：${[visit.counts.error > 0 ? `错误 ${visit.counts.error} 行` : '', blockedWarnings > 0 ? `未处理的警告 ${blockedWarnings} 行` : ''].filter(Boolean).join('，')}`}
          description="请将这些证书退回用章单位，更正后另行办理。"
        />
      )}
    </Modal>
  );
}

function slipText(visit: Visit): string {
  if (!visit.slipNo) return '（无）';
  const details = [visit.slipCount !== null ? `凭条 ${visit.slipCount} 本` : '', visit.slipSigner ? `${visit.slipSigner} 签字` : ''].filter(Boolean);
  return details.length > 0 ? `${visit.slipNo}（${details.join('，')}）` : visit.slipNo;
}
