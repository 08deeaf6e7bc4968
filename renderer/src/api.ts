import type { CallName, CallResult, Request, Response } from '../../core/contract';

const TOKEN_STORAGE_KEY = 'sealCounter.token';

/**
 * The loopback host opens the page at `#token=…`. Keep the token for this tab only and take it
 * out of the address bar so it is not left in history, screenshots or a copied link.
 */
export function captureTokenFromUrl(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_STORAGE_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

/** Calls the backend; a failure throws an Error whose message is the backend's Chinese sentence. */
export async function call<N extends CallName>(name: N, request: Request<N>): Promise<Response<N>> {
  const bridge = window.sealCounter;
  const result = bridge ? await bridge.call(name, request) : await callOverHttp(name, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function callOverHttp<N extends CallName>(name: N, request: Request<N>): Promise<CallResult<N>> {
  let response: globalThis.Response;
  try {
    response = await fetch(`./api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Seal-Token': sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? '' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new Error('无法连接签章窗口服务，请确认程序仍在运行');
  }
  try {
    return (await response.json()) as CallResult<N>;
  } catch {
    throw new Error(`签章窗口服务返回了无法识别的内容（HTTP ${response.status}）`);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
