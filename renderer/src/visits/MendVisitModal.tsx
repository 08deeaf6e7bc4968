import { Alert, Form, Input, InputNumber, Modal } from 'antd';
import { useState } from 'react';
import { VISIT_FIELD_LABEL } from '../../../core/contract';
import type { Request, Visit, VisitDetail } from '../../../core/contract';
import { call } from '../api';
import { useSubmit } from '../common/useSubmit';

type Changes = Request<'visits.mend'>['changes'];

interface MendVisitModalProps {
  visit: Visit;
  onClose: () => void;
  onMended: (detail: VisitDetail) => void;
}

/** 修改办证信息: what changes is kept with the visit (before and after), who changed it and why. */
export function MendVisitModal({ visit, onClose, onMended }: MendVisitModalProps) {
  const [values, setValues] = useState({ slipNo: visit.slipNo, slipCount: visit.slipCount, slipSigner: visit.slipSigner, agentName: visit.agentName, agentPhone: visit.agentPhone });
  const [reason, setReason] = useState('');
  const { busy, error, setError, submit } = useSubmit();

  const save = () =>
    submit(async () => {
      const changes: Changes = {};
      if (values.slipNo !== visit.slipNo) changes.slipNo = values.slipNo;
      if (values.slipCount !== visit.slipCount && values.slipCount !== null) changes.slipCount = values.slipCount;
      if (values.slipSigner !== visit.slipSigner) changes.slipSigner = values.slipSigner;
      if (values.agentName !== visit.agentName) changes.agentName = values.agentName;
      if (values.agentPhone !== visit.agentPhone) changes.agentPhone = values.agentPhone;
      if (Object.keys(changes).length === 0) return setError('没有改动任何内容。');
      onMended(await call('visits.mend', { visitId: visit.id, changes, reason }));
    });

  const text = (field: 'slipNo' | 'slipSigner' | 'agentName' | 'agentPhone', autoFocus = false) => (
    <Form.Item label={VISIT_FIELD_LABEL[field]}>
      <Input data-testid={`mend-${field}`} autoFocus={autoFocus} value={values[field]} onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))} onPressEnter={() => void save()} />
    </Form.Item>
  );

  return (
    <Modal open title="修改办证信息" okText="保存修改" okButtonProps={{ loading: busy, ...{ 'data-testid': 'mend-save' } }} onOk={() => void save()} onCancel={onClose} destroyOnHidden>
      <Form layout="horizontal" labelCol={{ span: 7 }} wrapperCol={{ span: 16 }} component="div">
        {text('slipNo')}
        <Form.Item label={VISIT_FIELD_LABEL.slipCount}>
          <InputNumber<number> data-testid="mend-slipCount" autoFocus min={0} max={100000} precision={0} controls={false} suffix="本" value={values.slipCount} onChange={(value) => setValues((v) => ({ ...v, slipCount: value }))} onPressEnter={() => void save()} />
        </Form.Item>
        {text('slipSigner')}
        {text('agentName')}
        {text('agentPhone')}
        <Form.Item label="修改理由" required>
          <Input data-testid="mend-reason" placeholder="必填，记入办证记录和登记簿备注" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} onPressEnter={() => void save()} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="mend-error" />}
    </Modal>
  );
}
