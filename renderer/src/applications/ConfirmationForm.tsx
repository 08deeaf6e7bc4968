import { Alert, Button, Checkbox, Col, Divider, Form, Input, Modal, Radio, Row, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import type { ConfirmationInput, ConfirmationView } from '../../../core/contract';
import { ARRIVALS, CONFIRMATION_MATERIALS, EMPLOYMENT_PROOFS, TITLE_LEVELS, TITLE_ROUTES, UNIT_MANAGEMENT } from '../../../core/contract';
import { call } from '../api';
import { useSubmit } from '../common/useSubmit';
import { FindingList, type Finding } from './shared';

const INITIAL: Partial<ConfirmationInput> = {
  person: { name: '', gender: '男', idNumber: '', workUnit: '', phone: '', unitManagement: '省直' },
  title: { qualification: '', major: '', level: '副高级', route: '评审', obtainedOn: '', approvalDoc: '', issuedBy: '', obtainedIn: '', certNo: '' },
  conditions: { approvedUnderNationalPolicy: false, fileMovedIn: false, employmentProof: null },
  arrival: '个人调入',
  materials: [],
};

/**
 * An out-of-province title brought to the counter (DOMAIN.md §12): who confirms it and the
 * findings are shown before it is taken; a national-exam certificate is answered 无需确认 at once.
 */
export function ConfirmationForm({ onClose, onAdded }: { onClose: () => void; onAdded: (added: ConfirmationView) => void }) {
  const [form] = Form.useForm<ConfirmationInput>();
  const [checked, setChecked] = useState<{ findings: Finding[]; note: string } | null>(null);
  const { busy, error, setError, submit } = useSubmit();

  const check = async () => {
    const result = await call('confirmations.check', form.getFieldsValue(true) as ConfirmationInput);
    setChecked({ findings: result.findings, note: result.answer ? '全国统一考试取得的资格证书无需确认，受理后当场答复。' : `由${result.competentBody}确认，确认后出具《${result.recognitionKind}》。` });
    return result.findings;
  };

  const add = () => submit(async () => {
    if ((await check()).some((f) => f.severity === 'error')) {
      setError('检查未通过，请按上面的说明补正后再受理。');
      return;
    }
    onAdded(await call('confirmations.add', form.getFieldsValue(true) as ConfirmationInput));
  });

  return (
    <Modal open title="登记省外证书确认申请" width={980} onCancel={onClose} maskClosable={false}
      footer={<Space><Button onClick={onClose}>取消</Button><Button onClick={() => void submit(async () => { await check(); })} loading={busy} data-testid="confirmation-check">检查</Button><Button type="primary" onClick={() => void add()} loading={busy} data-testid="confirmation-submit">受理</Button></Space>}>
      <Form form={form} layout="vertical" initialValues={INITIAL} onValuesChange={() => setChecked(null)} data-testid="confirmation-form">
        <Divider titlePlacement="start">申请人</Divider>
        <Row gutter={16}>
          <Col span={4}><Form.Item label="姓名" name={['person', 'name']}><Input data-testid="confirmation-name" /></Form.Item></Col>
          <Col span={4}><Form.Item label="性别" name={['person', 'gender']}><Radio.Group options={['男', '女']} /></Form.Item></Col>
          <Col span={6}><Form.Item label="身份证号码" name={['person', 'idNumber']}><Input data-testid="confirmation-id-number" /></Form.Item></Col>
          <Col span={6}><Form.Item label="工作单位" name={['person', 'workUnit']}><Input data-testid="confirmation-unit" /></Form.Item></Col>
          <Col span={4}><Form.Item label="单位隶属" name={['person', 'unitManagement']}><Radio.Group options={[...UNIT_MANAGEMENT]} /></Form.Item></Col>
        </Row>
        <Divider titlePlacement="start">原取得的资格</Divider>
        <Row gutter={16}>
          <Col span={6}><Form.Item label="资格名称" name={['title', 'qualification']}><Input data-testid="confirmation-qualification" /></Form.Item></Col>
          <Col span={6}><Form.Item label="专业" name={['title', 'major']}><Input /></Form.Item></Col>
          <Col span={4}><Form.Item label="级别" name={['title', 'level']}><Select options={TITLE_LEVELS.map((value) => ({ value }))} /></Form.Item></Col>
          <Col span={8}><Form.Item label="取得方式" name={['title', 'route']}><Radio.Group options={[...TITLE_ROUTES]} data-testid="confirmation-route" /></Form.Item></Col>
        </Row>
        <Row gutter={16}>
          <Col span={4}><Form.Item label="取得时间" name={['title', 'obtainedOn']}><Input placeholder="YYYY-MM-DD" data-testid="confirmation-obtained-on" /></Form.Item></Col>
          <Col span={4}><Form.Item label="取得地" name={['title', 'obtainedIn']}><Input placeholder="某省" data-testid="confirmation-obtained-in" /></Form.Item></Col>
          <Col span={6}><Form.Item label="评审（发证）机构" name={['title', 'issuedBy']}><Input data-testid="confirmation-issued-by" /></Form.Item></Col>
          <Col span={5}><Form.Item label="批准文号" name={['title', 'approvalDoc']}><Input data-testid="confirmation-approval-doc" /></Form.Item></Col>
          <Col span={5}><Form.Item label="原证书编号" name={['title', 'certNo']}><Input data-testid="confirmation-cert-no" /></Form.Item></Col>
        </Row>
        <Divider titlePlacement="start">条件</Divider>
        <Row gutter={16}>
          <Col span={6}><Form.Item label="按国家政策评审通过" name={['conditions', 'approvedUnderNationalPolicy']} valuePropName="checked"><Switch data-testid="condition-policy" /></Form.Item></Col>
          <Col span={6}><Form.Item label="人事档案已转入" name={['conditions', 'fileMovedIn']} valuePropName="checked"><Switch data-testid="condition-file" /></Form.Item></Col>
          <Col span={6}><Form.Item label="在本省工作的凭证" name={['conditions', 'employmentProof']}><Select allowClear placeholder="未提供" options={EMPLOYMENT_PROOFS.map((value) => ({ value }))} data-testid="condition-employment" /></Form.Item></Col>
          <Col span={6}><Form.Item label="来本省方式" name="arrival"><Select options={ARRIVALS.map((value) => ({ value }))} /></Form.Item></Col>
        </Row>
        <Form.Item label="已核验的材料" name="materials"><Checkbox.Group options={[...CONFIRMATION_MATERIALS]} data-testid="confirmation-materials" /></Form.Item>
        <Form.Item label="备注" name="note"><Input /></Form.Item>
      </Form>
      {checked && <Alert type="info" showIcon title={checked.note} data-testid="confirmation-competence" style={{ marginBottom: 8 }} />}
      {checked && <FindingList findings={checked.findings} testId="confirmation-findings" />}
      {error && <Alert type="error" showIcon title={error} data-testid="confirmation-error" style={{ marginTop: 12 }} />}
    </Modal>
  );
}
