import { Alert, Input, Modal, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import type { InputRef } from 'antd';
import type { ReactNode } from 'react';
import { errorText } from '../api';
import { NO_MOTION } from '../common/motion';

interface ReasonModalProps {
  title: string;
  /** What is being confirmed: the findings, the day warning. */
  children: ReactNode;
  /** Reasons clerks give most often; the first is filled in and selected, so Enter confirms it and typing replaces it. */
  suggestions: string[];
  okText?: string;
  onCancel: () => void;
  /** Rejects with the backend's message, which is shown here and keeps the modal open. */
  onConfirm: (reason: string) => Promise<void>;
}

/** Asks for the reason the clerk accepts a warning; the reason is kept with the visit and in the register. */
export function ReasonModal({ title, children, suggestions, okText = '确认', onCancel, onConfirm }: ReasonModalProps) {
  const [reason, setReason] = useState(suggestions[0] ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<InputRef>(null);

  const confirm = async () => {
    if (saving) return;
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
      {...NO_MOTION}
      title={title}
      okText={okText}
      // Spread in, because ButtonProps does not declare data-* attributes though the button passes them on.
      okButtonProps={{ loading: saving, ...{ 'data-testid': 'acknowledge-confirm' } }}
      onOk={() => void confirm()}
      onCancel={onCancel}
      // The dialog focuses its close button once open; the reason is what the clerk confirms or retypes.
      afterOpenChange={(open) => open && inputRef.current?.focus({ cursor: 'all' })}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {children}
        <Input
          ref={inputRef}
          autoFocus
          onFocus={(e) => e.target.select()}
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
        {error && <Alert type="error" showIcon title={error} data-testid="acknowledge-error" />}
      </Space>
    </Modal>
  );
}
