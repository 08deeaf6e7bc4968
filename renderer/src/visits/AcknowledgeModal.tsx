import { Alert, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { VisitRow } from '../../../core/contract';
import type { FindingCode } from '../../../core/findings';
import { errorText } from '../api';

/** Reasons clerks give most often, offered so a routine warning takes one click. */
const SUGGESTED_REASONS: Partial<Record<FindingCode, string>> = {
  UNIT_MISMATCH: '已核实单位变动证明',
  LANG_CERT_REQUIRED: '已核验外语合格证复印件',
  OFF_COUNTER_DAY: '经负责人同意非办证日办理',
};

interface AcknowledgeModalProps {
  row: VisitRow;
  onCancel(): void;
  /** Rejects with the backend's message, which is shown here. */
  onConfirm(reason: string): Promise<void>;
}

export function AcknowledgeModal({ row, onCancel, onConfirm }: AcknowledgeModalProps) {
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const suggestions = [...new Set(row.findings.map((f) => SUGGESTED_REASONS[f.code]).filter((r): r is string => !!r))];

  const confirm = async () => {
    setSaving(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
    } catch (e) {
      setError(errorText(e));
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`确认警告：第 ${row.rowNo} 行 ${row.name}`}
      okText="确认"
      okButtonProps={{ loading: saving }}
      onOk={() => void confirm()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {row.findings.map((finding, index) => (
          <Typography.Text key={index} className={`finding-${finding.severity}`}>
            {finding.message}
          </Typography.Text>
        ))}
        <Typography.Text type="secondary">确认后此行可以签章，理由记入办证记录。</Typography.Text>
        <Input
          autoFocus
          data-testid="acknowledge-reason"
          placeholder="确认理由（必填）"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onPressEnter={(e) => {
            if (!e.nativeEvent.isComposing) void confirm();
          }}
        />
        {suggestions.length > 0 && (
          <Space size={4} wrap>
            <Typography.Text type="secondary">常用：</Typography.Text>
            {suggestions.map((suggestion) => (
              <Tag key={suggestion} className="finding-tag" onClick={() => setReason(suggestion)}>
                {suggestion}
              </Tag>
            ))}
          </Space>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
