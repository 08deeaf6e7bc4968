import { Alert, Button, Modal, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Request } from '../../../core/contract';
import { call, errorText } from '../api';

export type StockPaper = Request<'stock.print'>;

/** A paper the backend sent as base64, as a URL the page's viewer opens or a link downloads (no fetch: the page's policy allows none). */
export function blobUrl(base64: string, type: string): string {
  return URL.createObjectURL(new Blob([Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))], { type }));
}

/** The 发放单 or the reconciliation statement as rendered and kept by the backend; Chromium's viewer prints it. */
export function StockPaperModal({ paper, title, onClose }: { paper: StockPaper; title: string; onClose: () => void }) {
  const [pdf, setPdf] = useState<{ url: string; fileName: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let url: string | null = null;
    let cancelled = false;
    call('stock.print', paper).then(
      (printed) => {
        if (cancelled) return;
        url = blobUrl(printed.pdfBase64, 'application/pdf');
        setPdf({ url, fileName: printed.fileName });
      },
      (e: unknown) => {
        if (!cancelled) setError(errorText(e));
      },
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [paper]);

  return (
    <Modal open title={title} width="92vw" style={{ top: 24 }} onCancel={onClose} destroyOnHidden
      footer={
        <Space>
          {pdf && <a href={pdf.url} download={pdf.fileName} data-testid="stock-paper-download">下载 PDF</a>}
          <Button data-testid="stock-paper-close" onClick={onClose}>关闭</Button>
        </Space>
      }
    >
      {error ? (
        <Alert type="error" showIcon title={error} data-testid="stock-paper-error" />
      ) : !pdf ? (
        <div style={{ textAlign: 'center', padding: 80 }}><Spin size="large" /></div>
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="stock-paper-name">
            已保存为“{pdf.fileName}”（在数据文件夹的打印件中）
          </Typography.Paragraph>
          <iframe data-testid="stock-paper-frame" title={pdf.fileName} src={pdf.url} style={{ width: '100%', height: '72vh', border: '1px solid #d9d9d9' }} />
        </>
      )}
    </Modal>
  );
}
