import { Alert, App, Button, Form, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Response, SlipRequestView } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { downloadText } from '../common/download';
import { useShowError } from '../common/feedback';
import { FilePicker } from '../common/FilePicker';
import { readUpload, type FileUpload } from '../common/upload';
import { useSubmit } from '../common/useSubmit';

type Plan = Response<'slipRequests.plan'>;

/** 请领函 of the year: recorded with last year's rosters, late ones out of the plan unless an administrator admits them, then numbered. */
export function SlipRequestsPanel({ year, today, onChanged }: { year: number; today: string; onChanged: () => void }) {
  const { message } = App.useApp();
  const showError = useShowError();
  const isSupervisor = useCan('supervisor');
  const isAdmin = useCan('admin');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [admitting, setAdmitting] = useState<SlipRequestView | null>(null);

  const refresh = useCallback(() => {
    call('slipRequests.plan', { year }).then(setPlan, showError);
  }, [year, showError]);
  useEffect(refresh, [refresh]);
  const changed = () => {
    refresh();
    onChanged();
  };

  const numberSlips = async () => {
    try {
      const numbered = await call('slipRequests.number', { year });
      message.success(`已编排签章凭条 ${numbered.slips.length} 张：${numbered.slips.map((s) => s.slipNo).join('、')}`);
      changed();
    } catch (e) {
      showError(e);
    }
  };
  const exportSlips = async () => {
    try {
      const exported = await call('slipRequests.exportSlips', { year });
      downloadText(exported.fileName, exported.csv, 'text/csv;charset=utf-8');
    } catch (e) {
      showError(e);
    }
  };

  const columns: TableColumnsType<SlipRequestView> = [
    { title: '登记号', dataIndex: 'seq', width: 80 },
    { title: '单位', dataIndex: 'unit', width: 240 },
    { title: '收到日期', dataIndex: 'arrivedOn', width: 110 },
    { title: '凭条数', dataIndex: 'slipCount', width: 80, align: 'right' },
    {
      title: '计划', key: 'plan', width: 220, render: (_: unknown, r: SlipRequestView) => (
        <Space wrap>
          {r.late ? <Tag color="orange">逾期</Tag> : <Tag color="green">按时</Tag>}
          {r.admitted && <Tag color="blue" title={r.admitted.reason}>已准予列入（{r.admitted.by}）</Tag>}
          {!r.inPlan && isAdmin && <Button size="small" data-testid={`slip-request-admit-${r.seq}`} onClick={() => setAdmitting(r)}>准予列入</Button>}
          {!r.inPlan && !isAdmin && <span>未列入计划</span>}
        </Space>
      ),
    },
    { title: '附件', key: 'files', render: (_: unknown, r: SlipRequestView) => r.attachments.map((a) => `${a.fileName}（${a.rows} 行）`).join('，') },
    { title: '凭条号', key: 'slips', width: 220, render: (_: unknown, r: SlipRequestView) => r.slips.join('、') },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <RequestForm year={year} today={today} onDone={changed} />
      <Table data-testid="slip-requests" rowKey="seq" columns={columns} dataSource={plan?.requests ?? []} pagination={false} size="small"
        title={() => `${year}年度请领（${plan ? `${plan.deadline} 以后收到的为逾期` : ''}）`} locale={{ emptyText: `${year}年度还没有请领` }} />
      <Space>
        {isSupervisor && <Button type="primary" data-testid="slip-requests-number" onClick={() => void numberSlips()}>编排凭条号</Button>}
        <Button data-testid="slip-requests-export" disabled={!plan || plan.slips.length === 0} onClick={() => void exportSlips()}>导出凭条发放清单</Button>
      </Space>
      {admitting && <AdmitModal request={admitting} onClose={() => setAdmitting(null)} onDone={() => { setAdmitting(null); changed(); }} />}
    </Space>
  );
}

function RequestForm({ year, today, onDone }: { year: number; today: string; onDone: () => void }) {
  const { message } = App.useApp();
  const { busy, error, setError, submit } = useSubmit();
  const [unit, setUnit] = useState('');
  const [arrivedOn, setArrivedOn] = useState(today);
  const [slipCount, setSlipCount] = useState<number | null>(null);
  const [files, setFiles] = useState<FileUpload[]>([]);
  const send = () => void submit(async () => {
    const recorded = await call('slipRequests.record', { unit, year, arrivedOn, slipCount: slipCount ?? Number.NaN, files });
    message.success(recorded.late ? `已登记“${recorded.unit}”的请领：逾期，未列入计划` : `已登记“${recorded.unit}”的请领，已列入计划`);
    setUnit('');
    setFiles([]);
    setSlipCount(null);
    onDone();
  });
  return (
    <Form layout="inline" data-testid="slip-request-form">
      <Form.Item label="单位" required><Input data-testid="slip-request-unit" value={unit} onChange={(e) => setUnit(e.target.value)} style={{ width: 280 }} /></Form.Item>
      <Form.Item label="收到日期" required><Input data-testid="slip-request-arrived" value={arrivedOn} onChange={(e) => setArrivedOn(e.target.value)} placeholder="YYYY-MM-DD" style={{ width: 130 }} /></Form.Item>
      <Form.Item label="凭条数" required><InputNumber data-testid="slip-request-count" value={slipCount} onChange={(value) => { setSlipCount(value); setError(null); }} style={{ width: 90 }} /></Form.Item>
      <Form.Item label="上年度发证名册" required>
        <Space>
          <FilePicker inputTestId="slip-request-file-input" onPick={(file) => void readUpload(file).then((f) => setFiles((list) => [...list, f]), showPickError(message.error))}>添加文件</FilePicker>
          <span data-testid="slip-request-files">{files.map((f) => f.fileName).join('，') || '未添加'}</span>
          {files.length > 0 && <Button type="link" size="small" data-testid="slip-request-files-clear" onClick={() => setFiles([])}>清除</Button>}
        </Space>
      </Form.Item>
      <Form.Item><Button type="primary" loading={busy} onClick={send} data-testid="slip-request-submit">登记请领</Button></Form.Item>
      {error && <Alert type="error" showIcon title={error} data-testid="slip-request-error" style={{ marginTop: 8, width: '100%' }} />}
    </Form>
  );
}

const showPickError = (show: (text: string) => unknown) => (e: unknown) => void show(e instanceof Error ? e.message : String(e));

function AdmitModal({ request, onClose, onDone }: { request: SlipRequestView; onClose: () => void; onDone: () => void }) {
  const { busy, error, submit } = useSubmit();
  const [reason, setReason] = useState('');
  return (
    <Modal open title={`准予“${request.unit}”的逾期请领列入计划`} onCancel={onClose} okText="准予列入" cancelText="取消" confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'slip-admit-confirm' }}
      onOk={() => void submit(async () => {
        await call('slipRequests.admitLate', { requestSeq: request.seq, reason });
        onDone();
      })}>
      <p>{request.arrivedOn} 收到，晚于截止日期。请写明准予列入的理由（记入登记簿）。</p>
      <Input.TextArea data-testid="slip-admit-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}
