import { Alert, App, Button, Form, Input, InputNumber, Select, Space } from 'antd';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { CERTIFICATE_TYPES, STOCK_WORDS } from '../../../core/contract';
import type { CertificateType, Request, StockMovementView } from '../../../core/contract';
import { call } from '../api';
import { FilePicker } from '../common/FilePicker';
import { readUpload, type FileUpload } from '../common/upload';
import { useSubmit } from '../common/useSubmit';

const TYPE_OPTIONS = CERTIFICATE_TYPES.map((type) => ({ value: type, label: type }));
const BASIS_OPTIONS = STOCK_WORDS.ISSUE_BASES.map((basis) => ({ value: basis, label: STOCK_WORDS.ISSUE_BASIS_LABEL[basis] }));
type Basis = (typeof STOCK_WORDS.ISSUE_BASES)[number];
type Grade = (typeof STOCK_WORDS.WORKER_GRADES)[number];

/** What every movement names: the certificate type and the year the blanks belong to. */
interface Batch {
  certificateType: CertificateType | undefined;
  year: number;
}

interface FormProps {
  year: number;
  onDone: (movement: StockMovementView) => void;
}

/** The fields and the submit every stock form shares: type, year, the form's own fields, its one error. */
function MovementForm({ name, batch, onBatch, submitLabel, children, send }: {
  name: string;
  batch: Batch;
  onBatch: (batch: Batch) => void;
  submitLabel: string;
  children: ReactNode;
  send: (certificateType: CertificateType) => Promise<void>;
}) {
  const { busy, error, setError, submit } = useSubmit();
  const onSubmit = () => {
    const { certificateType } = batch;
    if (!certificateType) {
      setError('请选择证书类型');
      return;
    }
    void submit(() => send(certificateType));
  };
  return (
    <Form layout="horizontal" labelCol={{ flex: '120px' }} style={{ maxWidth: 760 }} data-testid={`stock-${name}-form`}>
      <Form.Item label="证书类型" required>
        <Select data-testid={`stock-${name}-type`} options={TYPE_OPTIONS} value={batch.certificateType} onChange={(certificateType) => onBatch({ ...batch, certificateType })} placeholder="请选择" />
      </Form.Item>
      <Form.Item label="年度" required>
        <InputNumber data-testid={`stock-${name}-year`} value={batch.year} min={2000} max={2100} precision={0} onChange={(year) => onBatch({ ...batch, year: year ?? batch.year })} />
      </Form.Item>
      {children}
      {error && <Alert type="error" showIcon title={error} data-testid={`stock-${name}-error`} style={{ marginBottom: 16 }} />}
      <Button type="primary" loading={busy} onClick={onSubmit} data-testid={`stock-${name}-submit`}>{submitLabel}</Button>
    </Form>
  );
}

/** 起号 and 止号 of one number range; both empty means the stock is not pre-numbered. */
function RangeFields({ name, first, last, onChange }: { name: string; first: string; last: string; onChange: (first: string, last: string) => void }) {
  return (
    <Form.Item label="号段" extra="预先编号的证书填写起止编号；未编号的留空，填写数量">
      <Space>
        <Input data-testid={`stock-${name}-first`} value={first} onChange={(e) => onChange(e.target.value, last)} placeholder="起号" style={{ width: 200 }} />
        <span>至</span>
        <Input data-testid={`stock-${name}-last`} value={last} onChange={(e) => onChange(first, e.target.value)} placeholder="止号" style={{ width: 200 }} />
      </Space>
    </Form.Item>
  );
}

const rangesOf = (first: string, last: string) => (first.trim() || last.trim() ? [{ first: first.trim(), last: last.trim() }] : []);

/** 空白证书入库: what the printer delivered. Supervisor work. */
export function ReceiveForm({ year, onDone }: FormProps) {
  const [batch, setBatch] = useState<Batch>({ certificateType: undefined, year });
  const [range, setRange] = useState({ first: '', last: '' });
  const [count, setCount] = useState<number | null>(null);
  const [supplier, setSupplier] = useState('');
  const send = async (certificateType: CertificateType) => {
    onDone(await call('stock.receive', { certificateType, year: batch.year, count, ranges: rangesOf(range.first, range.last), supplier }));
    setRange({ first: '', last: '' });
    setCount(null);
  };
  return (
    <MovementForm name="receive" batch={batch} onBatch={setBatch} submitLabel="入库" send={send}>
      <RangeFields name="receive" first={range.first} last={range.last} onChange={(first, last) => setRange({ first, last })} />
      <Form.Item label="数量" extra="按号段入库时可不填，由号段算出">
        <InputNumber data-testid="stock-receive-count" value={count} onChange={setCount} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item label="印制单位">
        <Input data-testid="stock-receive-supplier" value={supplier} onChange={(e) => setSupplier(e.target.value)} style={{ width: 320 }} />
      </Form.Item>
    </MovementForm>
  );
}

/** 空白证书发放 to a unit, against a plan, a 登记表 plus spares, or returned spoiled ones. Supervisor work. */
export function IssueForm({ year, onDone }: FormProps) {
  const { message } = App.useApp();
  const [batch, setBatch] = useState<Batch>({ certificateType: undefined, year });
  const [unit, setUnit] = useState('');
  const [basis, setBasis] = useState<Basis>('roster');
  const [roster, setRoster] = useState<FileUpload | null>(null);
  const [grades, setGrades] = useState<Partial<Record<Grade, number>>>({});
  const [count, setCount] = useState<number | null>(null);
  const [spares, setSpares] = useState<number | null>(null);
  const [sparesReason, setSparesReason] = useState('');
  const [range, setRange] = useState({ first: '', last: '' });
  const [contact, setContact] = useState('');
  const [phone, setPhone] = useState('');
  const send = async (certificateType: CertificateType) => {
    const request: Request<'stock.issue'> = {
      unit, certificateType, year: batch.year, basis, roster: basis === 'roster' ? roster : null, grades: basis === 'roster' ? null : (Object.keys(grades).length > 0 ? grades : null),
      count: basis === 'exchange' ? count : null, spares, sparesReason, ranges: rangesOf(range.first, range.last), contact, phone,
    };
    const issued = await call('stock.issue', request);
    message.success(`已向“${issued.unit}”发放 ${issued.count} 本（其中备用 ${issued.spares} 本）`);
    onDone(issued);
    setRange({ first: '', last: '' });
  };
  return (
    <MovementForm name="issue" batch={batch} onBatch={setBatch} submitLabel="发放" send={send}>
      <Form.Item label="领证单位" required>
        <Input data-testid="stock-issue-unit" value={unit} onChange={(e) => setUnit(e.target.value)} style={{ width: 420 }} />
      </Form.Item>
      <Form.Item label="发放依据" required>
        <Select data-testid="stock-issue-basis" options={BASIS_OPTIONS} value={basis} onChange={setBasis} style={{ width: 240 }} />
      </Form.Item>
      {basis === 'roster' && (
        <Form.Item label="登记表" required extra={`按登记表人数加 ${STOCK_WORDS.SPARE_PERCENT}% 备用（向上取整）`}>
          <Space>
            <FilePicker inputTestId="stock-issue-roster-input" onPick={(file) => void readUpload(file).then(setRoster, (e: unknown) => message.error(String(e)))}>选择登记表</FilePicker>
            <span data-testid="stock-issue-roster-name">{roster?.fileName ?? '未选择'}</span>
          </Space>
        </Form.Item>
      )}
      {basis !== 'roster' && (
        <Form.Item label="各等级数量" extra="工人技术等级证书按等级填写">
          <Space>
            {STOCK_WORDS.WORKER_GRADES.map((grade) => (
              <InputNumber key={grade} prefix={grade} data-testid={`stock-issue-grade-${grade}`} value={grades[grade] ?? null} style={{ width: 130 }}
                onChange={(value) => setGrades(({ [grade]: _old, ...rest }) => (value === null ? rest : { ...rest, [grade]: value }))} />
            ))}
          </Space>
        </Form.Item>
      )}
      {basis === 'exchange' && (
        <Form.Item label="换领数量" extra="其他类型证书凭退回的废证换领的本数">
          <InputNumber data-testid="stock-issue-count" value={count} onChange={setCount} style={{ width: 160 }} />
        </Form.Item>
      )}
      <Form.Item label="备用证书" extra="不填则按规则计算；改动须写明理由">
        <Space>
          <InputNumber data-testid="stock-issue-spares" value={spares} onChange={setSpares} style={{ width: 120 }} />
          <Input data-testid="stock-issue-spares-reason" value={sparesReason} onChange={(e) => setSparesReason(e.target.value)} placeholder="理由" style={{ width: 320 }} />
        </Space>
      </Form.Item>
      <RangeFields name="issue" first={range.first} last={range.last} onChange={(first, last) => setRange({ first, last })} />
      <Form.Item label="联系人">
        <Space>
          <Input data-testid="stock-issue-contact" value={contact} onChange={(e) => setContact(e.target.value)} placeholder="联系人" style={{ width: 160 }} />
          <Input data-testid="stock-issue-phone" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="联系电话" style={{ width: 200 }} />
        </Space>
      </Form.Item>
    </MovementForm>
  );
}

/** Numbers scanned one per line, or typed with spaces, commas or 顿号 between them. */
const certNosIn = (text: string) => text.split(/[\s,，、;；]+/).filter((no) => no !== '');

/** 废证退回 at the counter: each number recorded once, or refused with its reason. */
export function SpoiledForm({ year, onDone }: FormProps) {
  const { message } = App.useApp();
  const [batch, setBatch] = useState<Batch>({ certificateType: undefined, year });
  const [unit, setUnit] = useState('');
  const [numbers, setNumbers] = useState('');
  const send = async (certificateType: CertificateType) => {
    const returned = await call('stock.spoiled', { unit, certificateType, year: batch.year, certNos: certNosIn(numbers) });
    message.success(`已登记“${returned.movement.unit}”退回的废证 ${returned.certNos.length} 本`);
    onDone(returned.movement);
    setNumbers('');
  };
  return (
    <MovementForm name="spoiled" batch={batch} onBatch={setBatch} submitLabel="登记废证" send={send}>
      <Form.Item label="退回单位" required>
        <Input data-testid="stock-spoiled-unit" value={unit} onChange={(e) => setUnit(e.target.value)} style={{ width: 420 }} />
      </Form.Item>
      <Form.Item label="废证编号" required extra="扫码枪每扫一本换一行；手工输入可用空格或逗号分隔">
        <Input.TextArea data-testid="stock-spoiled-numbers" value={numbers} onChange={(e) => setNumbers(e.target.value)} rows={4} style={{ width: 420 }} />
      </Form.Item>
    </MovementForm>
  );
}
