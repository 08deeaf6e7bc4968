import { Alert, AutoComplete, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { RegisterEntryView } from '../../../core/contract';
import { call, errorText } from '../api';
import { formatDateTime } from '../common/format';
import { CORRECTABLE_FIELDS, describeChanges } from './labels';
import type { Changes, CorrectableField, FieldChange } from './labels';

const SIGN_METHOD_OPTIONS = ['纸质登记表签字', '屏幕手写签字'].map((value) => ({ value }));
const FIELD_ORDER = [...CORRECTABLE_FIELDS.map((f) => f.field), 'reason'] as const;

type Values = { [F in CorrectableField]: RegisterEntryView[F] };

function valuesOf(entry: RegisterEntryView): Values {
  return Object.fromEntries(CORRECTABLE_FIELDS.map(({ field }) => [field, entry[field]])) as Values;
}

function normalised(values: Values): Values {
  return Object.fromEntries(Object.entries(values).map(([field, value]) => [field, typeof value === 'string' ? value.trim() : value])) as Values;
}

interface CorrectionModalProps {
  /** The 签章 entry being corrected. */
  entry: RegisterEntryView;
  /** Its latest 更正, if any: the form starts from what the register now says. */
  latest: RegisterEntryView | null;
  onClose: () => void;
  onCorrected: (correction: RegisterEntryView) => void;
}

/**
 * A supervisor corrects an entry by appending a 更正 entry; the entry itself never changes.
 * The backend restates the corrected entry with the changes sent, so what is sent is every field
 * that differs from the corrected entry: after an earlier 更正 that keeps its changes too.
 */
export function CorrectionModal({ entry, latest, onClose, onCorrected }: CorrectionModalProps) {
  const start = valuesOf(latest ?? entry);
  const [values, setValues] = useState<Values>(start);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLDivElement>(null);

  const set = <F extends CorrectableField>(field: F, value: Values[F]) => setValues((v) => ({ ...v, [field]: value }));
  const next = normalised(values);
  const original = valuesOf(entry);
  const edits: FieldChange[] = CORRECTABLE_FIELDS.filter(({ field }) => next[field] !== start[field]).map(({ field, label }) => ({
    label,
    from: String(start[field]) || '（空）',
    to: String(next[field]) || '（空）',
  }));

  const submit = async () => {
    if (busy) return;
    if (edits.length === 0) {
      setError('请修改需要更正的项目');
      return;
    }
    if (reason.trim().length < 2) {
      setError('请填写更正理由');
      focusField('reason');
      return;
    }
    const changes: Changes = Object.fromEntries(CORRECTABLE_FIELDS.filter(({ field }) => next[field] !== original[field]).map(({ field }) => [field, next[field]]));
    setBusy(true);
    setError(null);
    try {
      onCorrected(await call('register.correct', { seq: entry.seq, reason: reason.trim(), changes }));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  const focusField = (field: (typeof FIELD_ORDER)[number]) => {
    formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"] input`)?.focus();
  };

  // Enter walks the fields; on 理由 it submits. An open 签字方式 list keeps Enter for picking.
  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.ctrlKey || event.altKey) return;
    const fieldElement = (event.target as HTMLElement).closest('[data-field]');
    const field = fieldElement?.getAttribute('data-field') as (typeof FIELD_ORDER)[number] | undefined;
    if (!field) return;
    if (fieldElement?.querySelector('[role="combobox"][aria-expanded="true"]')) return;
    event.preventDefault();
    event.stopPropagation();
    const following = FIELD_ORDER[FIELD_ORDER.indexOf(field) + 1];
    if (following) focusField(following);
    else void submit();
  };

  const text = (field: Exclude<CorrectableField, 'count' | 'signMethod'>, maxLength: number) => (
    <Input data-testid={`correct-${field}`} maxLength={maxLength} value={values[field]} onChange={(e) => set(field, e.target.value)} />
  );

  return (
    <Modal
      open
      width={720}
      title={`更正第 ${entry.seq} 号登记`}
      okText="登记更正"
      okButtonProps={{ loading: busy, disabled: edits.length === 0, ...{ 'data-testid': 'correct-confirm' } }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        原登记不会被修改：更正作为一条新的“更正”登记记入登记簿，注明更正的是第 {entry.seq} 号及理由。印章和用印文件是签章本身的事实，不能更正。
      </Typography.Paragraph>
      <div className="correct-entry-line" data-testid="correct-entry">
        <span>签章时间：{formatDateTime(entry.at)}</span>
        <span>印章：{`${entry.sealName}（${entry.sealKind}）`}</span>
        <span>用印文件：{entry.documentKind}</span>
      </div>
      {latest && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`已按第 ${latest.seq} 号更正后的内容填入`} />}
      <div ref={formRef} onKeyDownCapture={onKeyDownCapture}>
        <Form layout="horizontal" labelCol={{ span: 4 }} wrapperCol={{ span: 19 }} component="div" requiredMark={false}>
          {CORRECTABLE_FIELDS.map(({ field, label }) => (
            <Form.Item key={field} label={label} style={{ marginBottom: 10 }} className={next[field] !== start[field] ? 'correct-field-changed' : undefined}>
              <div data-field={field}>
                {field === 'count' ? (
                  <InputNumber data-testid="correct-count" autoFocus min={0} max={100000} precision={0} value={values.count} onChange={(v) => set('count', v ?? 0)} style={{ width: 160 }} />
                ) : field === 'signMethod' ? (
                  <AutoComplete data-testid="correct-signMethod" options={SIGN_METHOD_OPTIONS} value={values.signMethod} onChange={(v: string) => set('signMethod', v)} />
                ) : (
                  text(field, field === 'purpose' ? 100 : field === 'unit' ? 100 : 40)
                )}
              </div>
            </Form.Item>
          ))}
          <Form.Item label="更正理由" required style={{ marginBottom: 10 }}>
            <div data-field="reason">
              <Input data-testid="correct-reason" maxLength={200} placeholder="必填，如：凭条数量登记错误，经核对实际签章 39 本" value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
          </Form.Item>
        </Form>
      </div>
      <div data-testid="correct-summary" style={{ minHeight: 22 }}>
        {edits.length > 0 ? (
          <Typography.Text>
            <Typography.Text strong>将更正：</Typography.Text>
            {describeChanges(edits)}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">修改上面需要更正的项目</Typography.Text>
        )}
      </div>
      {error && <Alert type="error" showIcon title={error} data-testid="correct-error" style={{ marginTop: 12 }} />}
    </Modal>
  );
}
