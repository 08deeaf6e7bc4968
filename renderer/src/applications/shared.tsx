import { Alert, Button, Modal, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { Response } from '../../../core/contract';

export type Finding = Response<'replacements.check'>['findings'][number];

/** The findings of a check, errors first as the backend orders them, each its own sentence. */
export function FindingList({ findings, testId }: { findings: readonly Finding[]; testId: string }) {
  if (findings.length === 0) return <Alert type="success" showIcon title="检查通过，可以受理。" data-testid={testId} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
      {findings.map((f) => (
        <Alert key={`${f.code}-${f.message}`} type={f.severity === 'error' ? 'error' : 'warning'} showIcon title={f.message} data-finding={f.code} />
      ))}
    </Space>
  );
}

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Saves a file the backend produced (a summary form): the browser's download, Electron's save dialog. */
export function downloadBase64(fileName: string, base64: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([bytesOf(base64)], { type: mimeType }));
  Object.assign(document.createElement('a'), { href: url, download: fileName }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A PDF the backend rendered, shown in Chromium's viewer, which prints it with its own page setup. */
export function PdfPreview({ pdf, title, onClose }: { pdf: { fileName: string; path: string; pdfBase64: string }; title: string; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const next = URL.createObjectURL(new Blob([bytesOf(pdf.pdfBase64)], { type: 'application/pdf' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [pdf.pdfBase64]);
  return (
    <Modal open title={title} width={960} onCancel={onClose} footer={<Button onClick={onClose} data-testid="application-pdf-close">关闭</Button>}>
      <div data-testid="application-pdf" data-file-name={pdf.fileName} style={{ marginBottom: 8 }}>已保存：{pdf.path}</div>
      {url && <iframe title={title} src={url} style={{ width: '100%', height: 640, border: 0 }} />}
    </Modal>
  );
}
