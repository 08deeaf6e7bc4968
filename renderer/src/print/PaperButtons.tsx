import { Button, Dropdown, Space } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { EXPORT_FORM_TITLE, PRINT_FORM_TITLE, type ExportForm, type PrintForm, type Request } from '../../../core/contract';
import { call } from '../api';
import { downloadBase64 } from '../common/download';
import { useShowError } from '../common/feedback';
import { PdfModal, type PrintRequest } from './PdfModal';

type Scope = PrintRequest['scope'];

const VISIT_FORMS: readonly PrintForm[] = ['register-sheet', 'roster', 'returns', 'receipt'];
const DAY_FORMS: readonly PrintForm[] = ['register-sheet', 'day-summary'];
const VISIT_EXPORTS: readonly ExportForm[] = ['returns', 'chongqing-register', 'senior-issuance', 'worker-approval', 'worker-review'];
const DAY_EXPORTS: readonly ExportForm[] = ['register', 'chongqing-register', 'senior-issuance', 'worker-approval', 'worker-review'];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 打印 and 导出 Excel for a visit or a day: every form the notices ask for, from one place. */
export function PaperButtons({ scope, testId }: { scope: Scope; testId: string }) {
  const showError = useShowError();
  const [printing, setPrinting] = useState<PrintRequest | null>(null);
  const [exporting, setExporting] = useState(false);
  const forms = 'visitId' in scope ? VISIT_FORMS : DAY_FORMS;
  const exportsFor = 'visitId' in scope ? VISIT_EXPORTS : DAY_EXPORTS;

  const exportForm = async (form: ExportForm) => {
    setExporting(true);
    try {
      const exportScope: Request<'exports.form'>['scope'] = scope;
      const file = await call('exports.form', { form, scope: exportScope });
      downloadBase64(file.fileName, file.xlsxBase64, XLSX_TYPE);
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  const printItems: MenuProps['items'] = forms.map((form) => ({ key: form, label: <span data-testid={`${testId}-print-${form}`}>{PRINT_FORM_TITLE[form]}</span>, onClick: () => setPrinting({ form, scope }) }));
  const exportItems: MenuProps['items'] = exportsFor.map((form) => ({ key: form, label: <span data-testid={`${testId}-export-${form}`}>{EXPORT_FORM_TITLE[form]}</span>, onClick: () => void exportForm(form) }));
  const scopeText = 'visitId' in scope ? `第 ${scope.visitId} 号办证` : scope.date;

  return (
    <Space>
      <Dropdown menu={{ items: printItems }} trigger={['click']}>
        <Button data-testid={`${testId}-print`}>打印…</Button>
      </Dropdown>
      <Dropdown menu={{ items: exportItems }} trigger={['click']}>
        <Button loading={exporting} data-testid={`${testId}-export`}>导出 Excel…</Button>
      </Dropdown>
      {printing && <PdfModal request={printing} title={`${PRINT_FORM_TITLE[printing.form]}：${scopeText}`} onClose={() => setPrinting(null)} />}
    </Space>
  );
}
