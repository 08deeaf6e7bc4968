import { Alert, Button, Modal, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Request } from '../../../core/contract';
import { call, errorText } from '../api';
import { base64ToBytes } from '../common/download';
import { NO_MOTION } from '../common/motion';

export type PrintRequest = Request<'print.form'>;

interface PdfDocument {
  url: string;
  fileName: string;
  path: string;
  entryCount: number;
}

interface PdfModalProps {
  request: PrintRequest;
  title: string;
  onClose: () => void;
}

/** Shows a form as the backend rendered it; Chromium's PDF viewer prints it with the right page setup. */
export function PdfModal({ request, title, onClose }: PdfModalProps) {
  const [pdf, setPdf] = useState<PdfDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const frameRef = useRef<HTMLIFrameElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);
  const [printRequested, setPrintRequested] = useState(false);
  const [shown, setShown] = useState(false);
  // Ready to print with one key: the sheet is what the agent signs next. Once the dialog has opened,
  // or it would take the focus back for its close button.
  useEffect(() => {
    if (pdf && shown) printRef.current?.focus();
  }, [pdf, shown]);

  // Callers pass the request as a literal, a new object on every render: keyed by its content, the
  // sheet is printed once, not again (with its download link revoked) whenever the parent renders.
  const requestKey = JSON.stringify(request);
  useEffect(() => {
    let url: string | null = null;
    let cancelled = false;
    call('print.form', JSON.parse(requestKey) as PrintRequest).then(
      (sheet) => {
        if (cancelled) return;
        url = URL.createObjectURL(new Blob([base64ToBytes(sheet.pdfBase64)], { type: 'application/pdf' }));
        setPdf({ url, fileName: sheet.fileName, path: sheet.path, entryCount: sheet.entryCount });
      },
      (e: unknown) => {
        if (!cancelled) setError(errorText(e));
      },
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [requestKey]);

  const printFrame = () => {
    try {
      setPrintRequested(true);
      frameRef.current?.contentWindow?.print();
    } catch {
      setError('无法直接打印，请使用预览工具栏中的打印按钮');
    }
  };

  return (
    <Modal
      open
      {...NO_MOTION}
      title={title}
      width="92vw"
      style={{ top: 24 }}
      onCancel={onClose}
      afterOpenChange={setShown}
      destroyOnHidden
      footer={
        <Space>
          {pdf && (
            <a href={pdf.url} download={pdf.fileName} data-testid="pdf-download">
              下载 PDF
            </a>
          )}
          <Button data-testid="pdf-close" onClick={onClose}>关闭</Button>
          <Button ref={printRef} type="primary" disabled={!pdf} onClick={printFrame} data-testid="pdf-print" data-print-requested={printRequested ? 'yes' : 'no'}>
            打印
          </Button>
        </Space>
      }
    >
      {error ? (
        <Alert type="error" showIcon title={error} />
      ) : !pdf ? (
        <div style={{ textAlign: 'center', padding: 80 }}>
          <Spin size="large" />
          <div style={{ marginTop: 12 }}>正在生成打印件…</div>
        </div>
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            共 {pdf.entryCount} 条登记，已保存为“{pdf.fileName}”（在数据文件夹的打印件中）
          </Typography.Paragraph>
          <iframe ref={frameRef} data-testid="pdf-frame" title={pdf.fileName} src={pdf.url} style={{ width: '100%', height: '72vh', border: '1px solid #d9d9d9' }} />
        </>
      )}
    </Modal>
  );
}
