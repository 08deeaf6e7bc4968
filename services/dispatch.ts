import { type ZodError } from 'zod';
import { contract, isCallName, type CallName, type CallResult, type Handlers } from '../core/contract';
import { UserError } from '../core/errors';
import type { Session } from './accounts/session';
import type { AppLog } from './log/log';

/** What a host holds: the handlers, the session that says who may call them, and the log. */
export interface Backend {
  handlers: Handlers;
  ctx: { session: Session; log: Pick<AppLog, 'error'> };
}

/**
 * Checks who is calling, validates the call against the contract, runs its handler and validates
 * the answer. Both hosts call this and nothing else, so they cannot drift apart.
 */
export async function dispatch(backend: Backend, name: string, rawRequest: unknown): Promise<CallResult<CallName>> {
  if (!isCallName(name)) return { ok: false, error: { kind: 'invalid', message: `未知的调用“${name}”。` } };
  const spec = contract[name];
  const denial = backend.ctx.session.denial(spec.access);
  if (denial) return { ok: false, error: denial };
  const handlers = backend.handlers;
  const parsed = spec.request.safeParse(rawRequest ?? {});
  if (!parsed.success) return { ok: false, error: { kind: 'invalid', message: describeZodError(parsed.error) } };
  try {
    const handler = handlers[name] as (request: unknown) => unknown;
    const value = spec.response.parse(await handler(parsed.data));
    return { ok: true, value };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: { kind: 'user', message: error.message } };
    // The exception's own text is English and technical: it goes to the log, never to the clerk.
    backend.ctx.log.error('call', `调用 ${name} 时发生内部错误。`, error);
    return { ok: false, error: { kind: 'internal', message: '内部错误，详情已记入日志。已记录的数据未受影响。' } };
  }
}

function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return '请求内容无效。';
  // Messages written in the contract are Chinese and stand alone; zod's own defaults get the field.
  return /[\u4e00-\u9fa5]/.test(issue.message) ? issue.message : `请求内容无效：${issue.path.join('.') || '（整体）'} ${issue.message}`;
}
