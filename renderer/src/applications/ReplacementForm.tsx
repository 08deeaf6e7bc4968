import { Alert, Button, Checkbox, Col, Divider, Form, Input, Modal, Radio, Row, Select, Space } from 'antd';
import { useState } from 'react';
import type { ReplacementInput, ReplacementView } from '../../../core/contract';
import { CERTIFICATE_TYPES, DAMAGE_REASONS, LOSS_NOTICE_FIELDS, REPLACEMENT_MATERIALS } from '../../../core/contract';
import { call } from '../api';
import { useSubmit } from '../common/useSubmit';
import { FindingList, type Finding } from './shared';

type Values = Omit<ReplacementInput, 'lossNotice' | 'damage'> & {
  lossNotice: NonNullable<ReplacementInput['lossNotice']>;
  damage: NonNullable<ReplacementInput['damage']>;
  approval: { reason: string; username: string; password: string };
};

const INITIAL: Partial<Values> = {
  replacementKind: '补办',
  channel: '窗口',
  person: { name: '', gender: '女', idNumber: '', workUnit: '', phone: '' },
  original: { certNo: '', certificateType: '专业技术资格证书', qualification: '', major: '', level: '', approvedOn: '', approvalDoc: '' },
  lossNotice: { newspaper: '', issn: '', publishedOn: '', fieldsNamed: [] },
  damage: { reason: '损坏', correction: '' },
  materials: [],
};

/** What is sent: only the part of the form the kind of replacement asks for. */
function inputOf(values: Values): ReplacementInput {
  const { approval: _approval, lossNotice, damage, ...rest } = values;
  return { ...rest, lossNotice: values.replacementKind === '补办' ? lossNotice : null, damage: values.replacementKind === '换发' ? damage : null };
}

/**
 * A replacement recorded at the counter: the original looked up in the ledger to fill the form,
 * the materials ticked as seen, the findings checked before it is taken; what only a supervisor
 * may let through (an original sealed before the app) asks for the supervisor's own password.
 */
export function ReplacementForm({ onClose, onAdded }: { onClose: () => void; onAdded: (added: ReplacementView) => void }) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('replacementKind', form) ?? '补办';
  const channel = Form.useWatch('channel', form) ?? '窗口';
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [ledgerNote, setLedgerNote] = useState<string | null>(null);
  const { busy, error, setError, submit } = useSubmit();
  const needsSupervisor = findings?.some((f) => f.severity === 'warning') ?? false;

  const lookup = () => submit(async () => {
    const certNo = String(form.getFieldValue(['original', 'certNo']) ?? '');
    const found = await call('replacements.lookupOriginal', { certNo });
    const { ledger, approved } = found;
    if (ledger) {
      form.setFieldsValue({ person: { name: ledger.name, idNumber: ledger.idNumber, workUnit: approved?.workUnit ?? ledger.unit }, original: { qualification: ledger.qualification, approvalDoc: ledger.approvalDoc } });
    }
    if (approved) {
      form.setFieldsValue({ person: { gender: approved.gender === '男' ? '男' : '女' }, original: { major: approved.major, level: approved.level, approvedOn: approved.approvedOn, certificateType: approved.certificateType, approvalDoc: approved.approvalDoc } });
    }
    setLedgerNote(ledger ? `台账：${ledger.name}的证书，${ledger.sealedAt.slice(0, 10)} 在本窗口盖章（${ledger.unit}）${ledger.voided ? '，已作废' : ''}。` : '本窗口台账中没有这个证书编号：原证书若在使用本系统前盖章，须经审核人确认。');
  });

  const check = () => submit(async () => {
    setFindings((await call('replacements.check', inputOf(form.getFieldsValue(true) as Values))).findings);
  });

  const add = () => submit(async () => {
    const values = form.getFieldsValue(true) as Values;
    const approval = needsSupervisor ? { reason: values.approval.reason, username: values.approval.username, password: values.approval.password } : undefined;
    const result = await call('replacements.check', inputOf(values));
    setFindings(result.findings);
    if (result.findings.some((f) => f.severity === 'error')) {
      setError('检查未通过，请按上面的说明补正后再受理。');
      return;
    }
    onAdded(await call('replacements.add', { ...inputOf(values), ...(approval ? { approval } : {}) }));
  });

  return (
    <Modal open title="登记补办（换发）申请" width={980} onCancel={onClose} maskClosable={false}
      footer={<Space><Button onClick={onClose}>取消</Button><Button onClick={() => void check()} loading={busy} data-testid="replacement-check">检查</Button><Button type="primary" onClick={() => void add()} loading={busy} data-testid="replacement-submit">受理</Button></Space>}>
      <Form form={form} layout="vertical" initialValues={INITIAL} onValuesChange={(changed: Partial<Values>) => { if (!('approval' in changed)) setFindings(null); }} data-testid="replacement-form">
        <Row gutter={16}>
          <Col span={8}><Form.Item label="申请类型" name="replacementKind"><Radio.Group data-testid="replacement-kind" options={[{ value: '补办', label: '补办（遗失）' }, { value: '换发', label: '换发（损坏或填错）' }]} /></Form.Item></Col>
          <Col span={8}><Form.Item label="受理方式" name="channel"><Radio.Group options={[{ value: '窗口', label: '本人到窗口' }, { value: '单位汇总', label: '单位汇总报送' }]} /></Form.Item></Col>
          {channel === '单位汇总' && <Col span={8}><Form.Item label="报送单位" name="submittedBy"><Input /></Form.Item></Col>}
        </Row>
        <Divider titlePlacement="start">原证书</Divider>
        <Row gutter={16}>
          <Col span={8}><Form.Item label="原证书编号" name={['original', 'certNo']}><Input data-testid="replacement-cert-no" onPressEnter={() => void lookup()} /></Form.Item></Col>
          <Col span={4}><Form.Item label=" "><Button onClick={() => void lookup()} data-testid="replacement-lookup">查台账</Button></Form.Item></Col>
          <Col span={12}><Form.Item label="证书类别" name={['original', 'certificateType']}><Select options={CERTIFICATE_TYPES.map((value) => ({ value }))} /></Form.Item></Col>
        </Row>
        {ledgerNote && <Alert type="info" showIcon title={ledgerNote} data-testid="replacement-ledger" style={{ marginBottom: 12 }} />}
        <Row gutter={16}>
          <Col span={6}><Form.Item label="资格名称" name={['original', 'qualification']}><Input data-testid="replacement-qualification" /></Form.Item></Col>
          <Col span={6}><Form.Item label="专业" name={['original', 'major']}><Input /></Form.Item></Col>
          <Col span={4}><Form.Item label="级别" name={['original', 'level']}><Input /></Form.Item></Col>
          <Col span={4}><Form.Item label="取得时间" name={['original', 'approvedOn']}><Input placeholder="YYYY-MM-DD" data-testid="replacement-approved-on" /></Form.Item></Col>
          <Col span={4}><Form.Item label="批准文号" name={['original', 'approvalDoc']}><Input /></Form.Item></Col>
        </Row>
        <Divider titlePlacement="start">申请人</Divider>
        <Row gutter={16}>
          <Col span={4}><Form.Item label="姓名" name={['person', 'name']}><Input data-testid="replacement-name" /></Form.Item></Col>
          <Col span={4}><Form.Item label="性别" name={['person', 'gender']}><Radio.Group options={['男', '女']} /></Form.Item></Col>
          <Col span={6}><Form.Item label="身份证号码" name={['person', 'idNumber']}><Input data-testid="replacement-id-number" /></Form.Item></Col>
          <Col span={6}><Form.Item label="工作单位" name={['person', 'workUnit']}><Input /></Form.Item></Col>
          <Col span={4}><Form.Item label="联系电话" name={['person', 'phone']}><Input data-testid="replacement-phone" /></Form.Item></Col>
        </Row>
        {kind === '补办' ? (
          <>
            <Divider titlePlacement="start">遗失声明</Divider>
            <Row gutter={16}>
              <Col span={8}><Form.Item label="刊登报纸" name={['lossNotice', 'newspaper']}><Input data-testid="notice-newspaper" /></Form.Item></Col>
              <Col span={8}><Form.Item label="刊号" name={['lossNotice', 'issn']}><Input placeholder="CN51-0001" data-testid="notice-issn" /></Form.Item></Col>
              <Col span={8}><Form.Item label="刊登日期" name={['lossNotice', 'publishedOn']}><Input placeholder="YYYY-MM-DD" data-testid="notice-date" /></Form.Item></Col>
            </Row>
            <Form.Item label="声明中写明的项目" name={['lossNotice', 'fieldsNamed']}><Checkbox.Group options={[...LOSS_NOTICE_FIELDS]} data-testid="notice-fields" /></Form.Item>
          </>
        ) : (
          <>
            <Divider titlePlacement="start">损坏或填错</Divider>
            <Row gutter={16}>
              <Col span={8}><Form.Item label="情形" name={['damage', 'reason']}><Radio.Group options={[...DAMAGE_REASONS]} /></Form.Item></Col>
              <Col span={16}><Form.Item label="须更正的内容（填错时）" name={['damage', 'correction']}><Input /></Form.Item></Col>
            </Row>
          </>
        )}
        <Form.Item label="已核验的材料" name="materials"><Checkbox.Group options={[...REPLACEMENT_MATERIALS]} data-testid="replacement-materials" /></Form.Item>
        <Form.Item label="备注" name="note"><Input /></Form.Item>
        {needsSupervisor && (
          <Row gutter={16}>
            <Col span={12}><Form.Item label="审核人确认理由" name={['approval', 'reason']}><Input data-testid="approval-reason" /></Form.Item></Col>
            <Col span={6}><Form.Item label="审核人用户名（本人已登录可不填）" name={['approval', 'username']}><Input /></Form.Item></Col>
            <Col span={6}><Form.Item label="审核人密码" name={['approval', 'password']}><Input.Password /></Form.Item></Col>
          </Row>
        )}
      </Form>
      {findings && <FindingList findings={findings} testId="replacement-findings" />}
      {error && <Alert type="error" showIcon title={error} data-testid="replacement-error" style={{ marginTop: 12 }} />}
    </Modal>
  );
}
