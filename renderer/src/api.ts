import type { CallErrorKind, CallName, CallResult, Request, Response } from '../../core/contract';

/** A refused or failed call: the backend's Chinese sentence, and what kind of failure it was. */
export class CallError extends Error {
  readonly kind: CallErrorKind;

  constructor(kind: CallErrorKind, message: string) {
    super(message);
    this.name = 'CallError';
    this.kind = kind;
  }
}

/** The session ended or was locked (by the idle timer, another window, a restart): the sign-in or lock screen takes over. */
export type SessionLoss = 'signed-out' | 'locked';

export function isSessionLoss(error: unknown): error is CallError & { kind: SessionLoss } {
  return error instanceof CallError && (error.kind === 'signed-out' || error.kind === 'locked');
}

let sessionLossListener: ((kind: SessionLoss) => void) | null = null;

/** The one place that reacts to a lost session (the auth gate); returns the unsubscribe. */
export function onSessionLoss(listener: (kind: SessionLoss) => void): () => void {
  sessionLossListener = listener;
  return () => {
    if (sessionLossListener === listener) sessionLossListener = null;
  };
}

/** Calls the backend; a failure throws a CallError whose message is the backend's Chinese sentence. */
export async function call<N extends CallName>(name: N, request: Request<N>): Promise<Response<N>> {
  const bridge = window.sealCounter;
  const result = bridge ? await bridge.call(name, request) : await callOverHttp(name, request);
  if (!result.ok) {
    const error = new CallError(result.error.kind, result.error.message);
    if (isSessionLoss(error)) sessionLossListener?.(error.kind);
    throw error;
  }
  return result.value;
}

async function callOverHttp<N extends CallName>(name: N, request: Request<N>): Promise<CallResult<N>> {
  let response: globalThis.Response;
  try {
    // The session is the host's HttpOnly cookie, which the browser sends by itself; the header
    // (like the JSON type) is what a page of another origin cannot send without the host's consent.
    response = await fetch(`./api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Seal-Counter': '1' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new CallError('internal', '无法连接签章窗口服务，请确认程序仍在运行');
  }
  try {
    return (await response.json()) as CallResult<N>;
  } catch {
    throw new CallError('internal', `签章窗口服务返回了无法识别的内容（HTTP ${response.status}）`);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
