import { Alert, Checkbox, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import type { ConfirmationView, Request } from '../../../core/contract';
import { REFUSAL_REASONS } from '../../../core/contract';
import { call } from '../api';
import { useSubmit } from '../common/useSubmit';

type Decision = Request<'confirmations.decide'>;

/** A supervisor's decision, dated: confirm, or refuse on one of the four grounds (false materials bar the person). */
export function DecideModal({ application, today, onClose, onDecided }: { application: ConfirmationView; today: string; onClose: () => void; onDecided: (c: ConfirmationView) => void }) {
  const [form] = Form.useForm<Decision>();
  const decision = Form.useWatch('decision', form) ?? '确认';
  const { busy, error, submit } = useSubmit();
  const save = () => submit(async () => {
    const values = form.getFieldsValue(true) as Decision;
    onDecided(await call('confirmations.decide', { ...values, appNo: application.appNo, reason: values.decision === '确认' ? null : values.reason ?? null, falseMaterials: values.decision === '确认' ? false : values.falseMaterials ?? false }));
  });
  return (
    <Modal open title={`确认申请 ${application.appNo}：作出决定`} onCancel={onClose} onOk={() => void save()} okText="保存决定" confirmLoading={busy} okButtonProps={{ 'data-testid': 'decide-submit' }}>
      <Typography.Paragraph>{application.person.name}：{application.title.qualification}（{application.title.obtainedIn}，{application.title.obtainedOn}）</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ decision: '确认', decidedOn: today, falseMaterials: false, note: '' }}>
        <Form.Item label="决定" name="decision"><Radio.Group options={['确认', '不予确认']} data-testid="decide-decision" /></Form.Item>
        {decision === '不予确认' && (
          <>
            <Form.Item label="理由" name="reason"><Select options={REFUSAL_REASONS.map((value) => ({ value }))} data-testid="decide-reason" /></Form.Item>
            <Form.Item name="falseMaterials" valuePropName="checked"><Checkbox>提交虚假材料（三年内不得申报）</Checkbox></Form.Item>
          </>
        )}
        <Form.Item label="决定日期" name="decidedOn"><Input placeholder="YYYY-MM-DD" data-testid="decide-date" /></Form.Item>
        <Form.Item label="备注" name="note"><Input data-testid="decide-note" /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="decide-error" />}
    </Modal>
  );
}

/** The printed 认定书 sealed with the office's seal: recorded in the register like any sealing. */
export function SealModal({ application, onClose, onSealed }: { application: ConfirmationView; onClose: () => void; onSealed: (c: ConfirmationView) => void }) {
  const [form] = Form.useForm<{ agentName: string; agentPhone: string }>();
  const { busy, error, submit } = useSubmit();
  const save = () => submit(async () => {
    onSealed(await call('confirmations.seal', { appNo: application.appNo, ...(form.getFieldsValue(true) as { agentName: string; agentPhone: string }) }));
  });
  return (
    <Modal open title={`${application.decision?.recognition?.number ?? ''} 盖章`} onCancel={onClose} onOk={() => void save()} okText="盖章并登记" confirmLoading={busy} okButtonProps={{ 'data-testid': 'seal-recognition-submit' }}>
      <Form form={form} layout="vertical" initialValues={{ agentName: application.person.name, agentPhone: application.person.phone }}>
        <Form.Item label="领取人" name="agentName"><Input data-testid="seal-recognition-agent" /></Form.Item>
        <Form.Item label="领取人电话" name="agentPhone"><Input data-testid="seal-recognition-phone" /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="seal-recognition-error" />}
    </Modal>
  );
}
