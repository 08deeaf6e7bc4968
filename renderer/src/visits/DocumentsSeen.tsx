import { Checkbox, Space, Typography } from 'antd';
import { useState } from 'react';
import { COUNTER_DOCUMENTS } from '../../../core/contract';
import type { CounterDocument, Visit, VisitDetail } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';

interface DocumentsSeenProps {
  visit: Visit;
  /** Rows that need the copy of the foreign-language certificate (先评后考 / 先评后补). */
  langRows: number;
  onChanged: (detail: VisitDetail) => void;
}

const OPTIONS = COUNTER_DOCUMENTS.map((document) => ({ value: document, label: document }));

/** The documents the unit showed; 外语合格证复印件 is what clears LANG_CERT_REQUIRED. */
export function DocumentsSeen({ visit, langRows, onChanged }: DocumentsSeenProps) {
  const showError = useShowError();
  const [saving, setSaving] = useState(false);
  const open = visit.status === 'open';
  const missingLanguageCopy = langRows > 0 && !visit.documentsSeen.includes('外语合格证复印件');

  const change = async (documents: CounterDocument[]) => {
    setSaving(true);
    try {
      onChanged(await call('visits.setDocuments', { visitId: visit.id, documents }));
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space wrap size={12} style={{ display: 'flex', margin: '4px 0 8px' }}>
      <Typography.Text strong>已核验材料：</Typography.Text>
      <Checkbox.Group<CounterDocument> data-testid="documents-seen" options={OPTIONS} value={visit.documentsSeen} disabled={!open || saving} onChange={(values) => void change(values)} />
      {open && missingLanguageCopy && (
        <Typography.Text className="finding-warning" data-testid="documents-lang-hint">
          名册中有 {langRows} 行须核验外语合格证复印件（先评后考 / 先评后补），勾选后才能签章
        </Typography.Text>
      )}
    </Space>
  );
}
