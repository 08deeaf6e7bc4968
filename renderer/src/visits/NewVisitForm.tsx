import { Alert, AutoComplete, Button, Card, Form, Input, InputNumber, Select, Space } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { CERTIFICATE_TYPES, matchUnits } from '../../../core/contract';
import type { CertificateType, Response, SlipFindingView, Visit } from '../../../core/contract';
import { call, errorText } from '../api';
import type { SlipPrefill } from './VisitsPage';

interface Draft {
  slipNo: string;
  unit: string;
  certificateType: CertificateType | undefined;
  agentName: string;
  agentPhone: string;
  slipCount: number | null;
  slipSigner: string;
  purpose: string;
}

/** The order Enter walks through the fields that are still empty; 事由 is optional and never in the way. */
const FIELD_ORDER = ['slipNo', 'unit', 'certificateType', 'agentName', 'agentPhone', 'slipCount', 'slipSigner', 'purpose'] as const;
type FieldName = (typeof FIELD_ORDER)[number];
const PHONE = /^[\d\-+ ]{7,20}$/;

const CERTIFICATE_TYPE_OPTIONS = CERTIFICATE_TYPES.map((type) => ({ value: type, label: type }));
type Units = Response<'reference.units'>;
type Hints = Response<'visits.hints'>;

interface NewVisitFormProps {
  /** Filled from the slip issuance list when the visit starts from a scanned slip. */
  prefill: SlipPrefill | undefined;
  onCreated: (visit: Visit) => void;
  onCancel: () => void;
}

export function NewVisitForm({ prefill, onCreated, onCancel }: NewVisitFormProps) {
  const [draft, setDraft] = useState<Draft>(() => ({
    slipNo: prefill?.slipNo ?? '',
    unit: prefill?.unit ?? '',
    certificateType: prefill?.certificateType,
    agentName: '',
    agentPhone: '',
    slipCount: null,
    slipSigner: '',
    purpose: '',
  }));
  const [units, setUnits] = useState<Units>([]);
  const [hints, setHints] = useState<Hints | null>(null);
  const [check, setCheck] = useState<Response<'visits.checkDraft'> | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLDivElement>(null);
  // Enter may follow a pick within one frame: it must see the draft before React re-renders.
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => {
    draftRef.current = { ...draftRef.current, [field]: value };
    setDraft((d) => ({ ...d, [field]: value }));
  };

  useEffect(() => {
    call('reference.units', {}).then(setUnits, () => setUnits([]));
  }, []);

  // What the counter knows of this unit: its last agent is offered, a lone authorised signer filled in.
  const unit = draft.unit.trim();
  useEffect(() => {
    let cancelled = false;
    call('visits.hints', { unit }).then((found) => {
      if (cancelled) return;
      setHints(found);
      const current = draftRef.current;
      const agent = found.agents[0];
      const next = {
        ...current,
        agentName: current.agentName || agent?.name || '',
        agentPhone: current.agentPhone || (current.agentName === '' || current.agentName === agent?.name ? agent?.phone ?? '' : ''),
        slipSigner: current.slipSigner || found.signer || '',
      };
      draftRef.current = next;
      setDraft(next);
    }, () => undefined);
    return () => {
      cancelled = true;
    };
  }, [unit]);

  // The slip is checked while the form is filled, before the visit exists.
  useEffect(() => {
    let cancelled = false;
    const timer = window.setTimeout(() => {
      call('visits.checkDraft', { unit, certificateType: draft.certificateType, slipNo: draft.slipNo, slipSigner: draft.slipSigner }).then((found) => !cancelled && setCheck(found), () => undefined);
    }, 150);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [unit, draft.certificateType, draft.slipNo, draft.slipSigner]);

  const needsSlip = check?.needsSlip ?? draft.certificateType === undefined;
  const findings = check?.slipFindings ?? [];
  const signerFindings = findings.filter((f) => f.code === 'SLIP_SIGNER_UNAUTHORIZED');
  const slipFindings = findings.filter((f) => f.code !== 'SLIP_SIGNER_UNAUTHORIZED');

  const required = (): FieldName[] => {
    const fields: FieldName[] = ['unit', 'certificateType', 'agentName', 'agentPhone'];
    return needsSlip ? ['slipNo', ...fields, 'slipCount', 'slipSigner'] : fields;
  };
  const isFilled = (d: Draft, field: FieldName): boolean => {
    switch (field) {
      case 'certificateType':
        return d.certificateType !== undefined;
      case 'slipCount':
        return d.slipCount !== null;
      case 'agentPhone':
        return PHONE.test(d.agentPhone.trim());
      default:
        return d[field].trim() !== '';
    }
  };

  const focusField = (field: FieldName) => {
    const input = formRef.current?.querySelector<HTMLInputElement>(`[data-field="${field}"] input`);
    input?.focus();
    input?.select();
  };

  // Once the slip has filled the unit and the unit its agent, the cursor waits where the clerk must type.
  const focusedOnce = useRef(false);
  useEffect(() => {
    if (focusedOnce.current || (prefill && (hints === null || check === null))) return;
    focusedOnce.current = true;
    const first = FIELD_ORDER.find((f) => required().includes(f) && !isFilled(draftRef.current, f));
    focusField(first ?? 'slipNo');
  });

  const submit = async () => {
    const d = draftRef.current;
    if (!d.certificateType) {
      setError('请选择证书类型');
      focusField('certificateType');
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const visit = await call('visits.create', {
        unit: d.unit,
        agentName: d.agentName,
        agentPhone: d.agentPhone,
        certificateType: d.certificateType,
        slipNo: d.slipNo,
        slipCount: d.slipCount ?? undefined,
        slipSigner: d.slipSigner.trim() || undefined,
        purpose: d.purpose.trim() || undefined,
      });
      onCreated(visit);
    } catch (e) {
      setError(errorText(e));
      setSubmitting(false);
    }
  };

  /** A slip typed (or scanned into its field) fills the unit and type from the issuance list, as a scan anywhere does. */
  const lookUpSlip = async () => {
    const slipNo = draftRef.current.slipNo.trim();
    if (!slipNo) return;
    try {
      const found = await call('visits.scan', { code: slipNo });
      if (found.kind !== 'slip') return;
      set('slipNo', found.slipNo);
      if (!draftRef.current.unit) set('unit', found.unit);
      if (!draftRef.current.certificateType) set('certificateType', found.certificateType);
    } catch {
      // The inline check says what is wrong with the slip.
    }
  };

  const advance = async (from: FieldName) => {
    if (from === 'slipNo') await lookUpSlip();
    const d = draftRef.current;
    const missing = FIELD_ORDER.filter((f) => required().includes(f) && !isFilled(d, f));
    if (missing.length === 0) {
      // The check shown may be of what was typed a moment ago (a signer's first character): ask again for what is there now.
      let current = findings;
      try {
        const fresh = await call('visits.checkDraft', { unit: d.unit.trim(), certificateType: d.certificateType, slipNo: d.slipNo, slipSigner: d.slipSigner });
        setCheck(fresh);
        current = fresh.slipFindings;
      } catch {
        // Creating the visit checks the slip again and says what is wrong.
      }
      if (current.length === 0) return void submit();
      focusField(current.some((f) => f.code === 'SLIP_SIGNER_UNAUTHORIZED') ? 'slipSigner' : 'slipNo');
      return;
    }
    const after = missing.find((f) => FIELD_ORDER.indexOf(f) > FIELD_ORDER.indexOf(from));
    focusField(after ?? missing[0]!);
  };

  // Captured before the controls see it, so a closed list does not reopen on Enter. An open list
  // takes Enter to pick, unless what is typed is already one of its options.
  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.ctrlKey || event.altKey) return;
    const holder = (event.target as HTMLElement).closest('[data-field]');
    const field = holder?.getAttribute('data-field') as FieldName | undefined;
    if (!field || !holder) return;
    const expanded = holder.querySelector('[role="combobox"]')?.getAttribute('aria-expanded') === 'true';
    if (field === 'certificateType' && (expanded || !draftRef.current.certificateType)) return;
    if (expanded && field !== 'certificateType') {
      const typed = (event.target as HTMLInputElement).value.trim();
      const exact = (field === 'unit' ? units.map((u) => u.name) : field === 'agentName' ? (hints?.agents ?? []).map((a) => a.name) : field === 'slipSigner' ? hints?.signers ?? [] : []).includes(typed);
      if (!exact) return;
    }
    event.preventDefault();
    event.stopPropagation();
    void advance(field);
  };

  const unitOptions = useMemo(() => matchUnits(units, draft.unit).map((u) => ({ value: u.name, label: <span>{u.name}<span style={{ color: '#999', marginLeft: 8 }}>{u.category}</span></span> })), [units, draft.unit]);
  const agentOptions = (hints?.agents ?? []).filter((a) => a.name.includes(draft.agentName.trim())).map((a) => ({ value: a.name, label: `${a.name}（${a.phone}）` }));
  const signerOptions = (hints?.signers ?? []).filter((name) => name.includes(draft.slipSigner.trim())).map((name) => ({ value: name }));

  return (
    <Card title="新建办证" style={{ maxWidth: 760 }} extra={<span style={{ color: '#888' }}>扫描凭条即可填好单位与证书类型；回车跳到下一个未填项</span>}>
      <div ref={formRef} onKeyDownCapture={onKeyDownCapture}>
        <Form layout="horizontal" labelCol={{ span: 6 }} wrapperCol={{ span: 16 }} component="div">
          <Form.Item
            label="签章凭条编号"
            required={needsSlip}
            validateStatus={slipFindings.length > 0 ? 'error' : undefined}
            help={slipFindings.length > 0 ? <SlipProblems findings={slipFindings} /> : undefined}
            extra="扫码枪扫描凭条条码；高级专业技术职务资格证书须凭凭条签章"
          >
            <div data-field="slipNo" data-scan-field>
              <Input className="digits" data-testid="visit-slip" value={draft.slipNo} onChange={(e) => set('slipNo', e.target.value)} />
            </div>
          </Form.Item>
          <Form.Item label="用章单位" required>
            <div data-field="unit">
              <AutoComplete options={unitOptions} value={draft.unit} onChange={(value: string) => set('unit', value)} popupMatchSelectWidth={false}>
                <Input data-testid="visit-unit" placeholder="输入单位名称或拼音首字母，如 cdrs" />
              </AutoComplete>
            </div>
          </Form.Item>
          <Form.Item label="证书类型" required>
            <div data-field="certificateType" data-testid="visit-cert-type">
              <Select<CertificateType> showSearch placeholder="选择证书类型（回车展开）" options={CERTIFICATE_TYPE_OPTIONS} value={draft.certificateType} onChange={(value) => set('certificateType', value)} />
            </div>
          </Form.Item>
          <Form.Item label="经办人姓名" required extra={hints && hints.agents.length > 0 ? '已按该单位上次来办的经办人填写，可改' : undefined}>
            <div data-field="agentName">
              <AutoComplete
                options={agentOptions}
                value={draft.agentName}
                onChange={(value: string) => set('agentName', value)}
                onSelect={(value: string) => set('agentPhone', hints?.agents.find((a) => a.name === value)?.phone ?? draftRef.current.agentPhone)}
              >
                <Input data-testid="visit-agent-name" />
              </AutoComplete>
            </div>
          </Form.Item>
          <Form.Item label="经办人电话" required validateStatus={draft.agentPhone.trim() !== '' && !PHONE.test(draft.agentPhone.trim()) ? 'error' : undefined} help={draft.agentPhone.trim() !== '' && !PHONE.test(draft.agentPhone.trim()) ? '经办人电话应为 7–20 位数字' : undefined}>
            <div data-field="agentPhone">
              <Input type="tel" data-testid="visit-agent-phone" value={draft.agentPhone} onChange={(e) => set('agentPhone', e.target.value)} />
            </div>
          </Form.Item>
          <Form.Item label="凭条上的证书数" required={needsSlip} extra="凭条上填写的本次签章证书本数">
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
          <Form.Item
            label="凭条签字人"
            required={needsSlip}
            validateStatus={signerFindings.length > 0 ? 'error' : undefined}
            help={signerFindings.length > 0 ? <SlipProblems findings={signerFindings} /> : undefined}
            extra={hints && hints.signers.length > 0 ? `今天有权签字：${hints.signers.join('、')}` : undefined}
          >
            <div data-field="slipSigner">
              <AutoComplete options={signerOptions} value={draft.slipSigner} onChange={(value: string) => set('slipSigner', value)}>
                <Input data-testid="visit-slip-signer" />
              </AutoComplete>
            </div>
          </Form.Item>
          <Form.Item label="事由" extra="不填则按证书类型自动生成">
            <div data-field="purpose">
              <Input data-testid="visit-purpose" value={draft.purpose} onChange={(e) => set('purpose', e.target.value)} />
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

function SlipProblems({ findings }: { findings: SlipFindingView[] }) {
  return (
    <>
      {findings.map((f) => (
        <div key={f.code} data-testid={`draft-finding-${f.code}`}>
          {f.message}
        </div>
      ))}
    </>
  );
}
