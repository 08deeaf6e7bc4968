import type { Papers } from '../../../core/contract';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Saves bytes the backend made (a PDF, an .xlsx) or a chart's PNG as a download. */
export function downloadBase64(fileName: string, base64: string, mimeType: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  saveBlob(fileName, new Blob([bytes], { type: mimeType }));
}

export function downloadDataUrl(fileName: string, dataUrl: string): void {
  const link = document.createElement('a');
  link.href = dataUrl;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  downloadDataUrl(fileName, url);
  // Revoked later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const downloadPdf = (papers: Papers) => downloadBase64(papers.pdfFileName, papers.pdfBase64, 'application/pdf');
export const downloadXlsx = (fileName: string, base64: string) => downloadBase64(fileName, base64, XLSX_TYPE);
