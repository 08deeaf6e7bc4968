/**
 * Saves what the backend produced as a file: the browser's download in the loopback host, and
 * Electron's save dialog (will-download) in the desktop window — no file-system call is needed.
 */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  downloadBlob(fileName, new Blob([text], { type: mimeType }));
}

export function downloadBase64(fileName: string, base64: string, mimeType: string): void {
  downloadBlob(fileName, new Blob([base64ToBytes(base64)], { type: mimeType }));
}

/** Saves what a URL holds — a data: URL such as a chart's PNG, or a blob: URL. */
export function downloadDataUrl(fileName: string, url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  downloadDataUrl(fileName, url);
  // Revoked later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
