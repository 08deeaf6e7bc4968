import { Alert, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import type { ReplacementView } from '../../../core/contract';
import { call } from '../api';
import { useSubmit } from '../common/useSubmit';

/** A supervisor sends an application back (materials altered, not the person's): kept in the register with the reason. */
export function ReturnModal({ application, onClose, onReturned }: { application: ReplacementView; onClose: () => void; onReturned: (a: ReplacementView) => void }) {
  const [reason, setReason] = useState('');
  const { busy, error, submit } = useSubmit();
  const save = () => submit(async () => { onReturned(await call('replacements.return', { appNo: application.appNo, reason })); });
  return (
    <Modal open title={`退回申请 ${application.appNo}`} onCancel={onClose} onOk={() => void save()} okText="退回" okButtonProps={{ danger: true, 'data-testid': 'return-submit' }} confirmLoading={busy}>
      <Typography.Paragraph>{application.person.name}：{application.replacementKind} {application.original.qualification}（原证书 {application.original.certNo}）</Typography.Paragraph>
      <Input.TextArea rows={3} placeholder="退回理由" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" />
      {error && <Alert type="error" showIcon title={error} data-testid="return-error" style={{ marginTop: 12 }} />}
    </Modal>
  );
}
