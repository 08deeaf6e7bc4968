import { Alert, Button, Card, Form, Input, InputNumber, Select, Space } from 'antd';
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { CERTIFICATE_TYPES } from '../../../core/contract';
import type { CertificateType, Request, Visit } from '../../../core/contract';
import { call, errorText } from '../api';

// An empty count field is null, as InputNumber reports it; it is sent as "not given".
type Draft = Omit<Request<'visits.create'>, 'certificateType' | 'slipCount'> & { certificateType: CertificateType | undefined; slipCount: number | null };

/** The order Enter walks through; Enter on the last field submits. */
const FIELD_ORDER = ['unit', 'agentName', 'agentPhone', 'certificateType', 'slipNo', 'slipCount', 'slipSigner', 'purpose'] as const;
type FieldName = (typeof FIELD_ORDER)[number];

const CERTIFICATE_TYPE_OPTIONS = CERTIFICATE_TYPES.map((type) => ({ value: type, label: type }));

interface NewVisitFormProps {
  onCreated: (visit: Visit) => void;
  onCancel: () => void;
}

export function NewVisitForm({ onCreated, onCancel }: NewVisitFormProps) {
  const [draft, setDraft] = useState<Draft>(() => ({
    unit: '',
    agentName: '',
    agentPhone: '',
    certificateType: undefined,
    slipNo: '',
    slipCount: null,
    slipSigner: '',
    purpose: '',
  }));
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLDivElement>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => setDraft((d) => ({ ...d, [field]: value }));

  const submit = async () => {
    if (!draft.certificateType) {
      setError('请选择证书类型');
      focusField('certificateType');
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const visit = await call('visits.create', {
        ...draft,
        certificateType: draft.certificateType,
        slipCount: draft.slipCount ?? undefined,
        slipSigner: draft.slipSigner?.trim() || undefined,
        purpose: draft.purpose?.trim() || undefined,
      });
      onCreated(visit);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSubmitting(false);
    }
  };

  const focusField = (field: FieldName) => {
    formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"] input`)?.focus();
  };

  // Captured before the controls see it, so a closed 证书类型 select does not reopen on Enter.
  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.ctrlKey || event.altKey) return;
    const field = (event.target as HTMLElement).closest('[data-field]')?.getAttribute('data-field') as FieldName | undefined;
    if (!field) return;
    // Enter in an open list picks the option; with nothing picked yet it opens the list. The list's
    // state is read from the DOM, which is current even when Enter follows the pick within one frame.
    if (field === 'certificateType') {
      const combobox = (event.target as HTMLElement).closest('[data-field]')?.querySelector('[role="combobox"]');
      if (combobox?.getAttribute('aria-expanded') === 'true' || !draftRef.current.certificateType) return;
    }
    event.preventDefault();
    event.stopPropagation();
    const next = FIELD_ORDER[FIELD_ORDER.indexOf(field) + 1];
    if (next) focusField(next);
    else void submit();
  };

  return (
    <Card title="新建办证" style={{ maxWidth: 720 }}>
      <div ref={formRef} onKeyDownCapture={onKeyDownCapture}>
        <Form layout="horizontal" labelCol={{ span: 6 }} wrapperCol={{ span: 16 }} component="div">
          <Form.Item label="用章单位" required>
            <div data-field="unit">
              <Input autoFocus data-testid="visit-unit" value={draft.unit} onChange={(e) => set('unit', e.target.value)} placeholder="如：成都市人力资源和社会保障局" />
            </div>
          </Form.Item>
          <Form.Item label="经办人姓名" required>
            <div data-field="agentName">
              <Input data-testid="visit-agent-name" value={draft.agentName} onChange={(e) => set('agentName', e.target.value)} />
            </div>
          </Form.Item>
          <Form.Item label="经办人电话" required>
            <div data-field="agentPhone">
              <Input type="tel" data-testid="visit-agent-phone" value={draft.agentPhone} onChange={(e) => set('agentPhone', e.target.value)} />
            </div>
          </Form.Item>
          <Form.Item label="证书类型" required>
            <div data-field="certificateType" data-testid="visit-cert-type">
              <Select<CertificateType>
                showSearch
                placeholder="选择证书类型（回车展开）"
                options={CERTIFICATE_TYPE_OPTIONS}
                value={draft.certificateType}
                onChange={(value) => {
                  // Kept in the ref at once: an Enter right after the pick must see it before React re-renders.
                  draftRef.current = { ...draftRef.current, certificateType: value };
                  set('certificateType', value);
                }}
              />
            </div>
          </Form.Item>
          <Form.Item label="签章凭条编号" extra="可用扫码枪扫描凭条条码；高级专业技术职务资格证书须凭凭条签章">
            <div data-field="slipNo">
              <Input className="digits" data-testid="visit-slip" value={draft.slipNo} onChange={(e) => set('slipNo', e.target.value)} />
            </div>
          </Form.Item>
          <Form.Item label="凭条上的证书数" extra="凭条上填写的本次签章证书本数，须与可签章的行数一致">
            <div data-field="slipCount">
              <InputNumber<number>
                data-testid="visit-slip-count"
                className="digits"
                min={0}
                max={100000}
                precision={0}
                controls={false}
                suffix="本"
                style={{ width: 160 }}
                value={draft.slipCount}
                onChange={(value) => set('slipCount', value)}
              />
            </div>
          </Form.Item>
          <Form.Item label="凭条签字人" extra="签章凭条上签字的负责人或授权人">
            <div data-field="slipSigner">
              <Input data-testid="visit-slip-signer" value={draft.slipSigner ?? ''} onChange={(e) => set('slipSigner', e.target.value)} />
            </div>
          </Form.Item>
          <Form.Item label="事由" extra="不填则按证书类型自动生成">
            <div data-field="purpose">
              <Input data-testid="visit-purpose" value={draft.purpose ?? ''} onChange={(e) => set('purpose', e.target.value)} />
            </div>
          </Form.Item>
          {error && (
            <Form.Item wrapperCol={{ offset: 6, span: 16 }}>
              <Alert type="error" showIcon title={error} data-testid="visit-form-error" />
            </Form.Item>
          )}
          <Form.Item wrapperCol={{ offset: 6, span: 16 }}>
            <Space>
              <Button type="primary" loading={submitting} data-testid="visit-create" onClick={() => void submit()}>
                创建办证
              </Button>
              <Button onClick={onCancel}>取消</Button>
            </Space>
          </Form.Item>
        </Form>
      </div>
    </Card>
  );
}
