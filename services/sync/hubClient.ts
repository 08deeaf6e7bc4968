import type { z } from 'zod';
import type { BatchPayload } from '../../core/register/batch';
import { SignedPublicationSchema, type SignedPublication } from '../../core/hub/publication';
import { signRequest, type RequestSigner } from '../../core/hub/signedRequest';
import {
  BatchAnswerSchema,
  ConflictsAnswerSchema,
  ErrorAnswerSchema,
  HealthAnswerSchema,
  HUB_PATHS,
  PublicationsAnswerSchema,
  RefusedAnswerSchema,
  StateAnswerSchema,
  type BatchAnswer,
  type HubConflict,
  type RefusalReason,
  type StateAnswer,
} from '../../core/hub/protocol';

/**
 * The workstation's side of the hub API (core/hub/protocol.ts). Every call signs its request with the
 * workstation's key and returns a result to branch on; it never throws for the network, a
 * timeout or an answer it does not understand, because being offline is the normal state of a
 * regional office and the sync agent must simply try again later.
 *
 * Publications are returned shape-checked but NOT verified: the caller verifies each one with
 * verifyPublication and the province key from its settings before applying it.
 */
export type HubClientOptions = HubClientSettings & (
  /** The 32-byte Ed25519 seed… */
  | { privateKey: Uint8Array; sign?: never }
  /** …or a function that signs with it, when the key stays behind a key store (WorkstationIdentity.sign). */
  | { sign: (message: Uint8Array) => Uint8Array; privateKey?: never }
);

export interface HubClientSettings {
  /** e.g. http://hub.example:8787 — the hub's root; a path prefix is not supported. */
  baseUrl: string;
  workstationId: string;
  now: () => Date;
  fetchImpl?: typeof fetch;
  /** Per request, including reading the answer. Default 30 s. */
  timeoutMs?: number;
  /** Tests may fix the nonce; by default each request gets 16 fresh random bytes. */
  nonce?: () => string;
}

/** The hub could not be reached, or did not answer in time. Try again later. */
export type Offline = { kind: 'offline'; message: string };
/** The hub refused to talk to this workstation (HTTP 401). Retrying will not help until the cause is fixed (except `stale` after fixing the clock). */
export type Refused = { kind: 'refused'; reason: RefusalReason; message: string };
/** The hub answered, but not with anything this client knows (a proxy's error page, a 500, a newer hub). */
export type Unexpected = { kind: 'unexpected'; httpStatus: number; message: string };
export type Failure = Offline | Refused | Unexpected;

/** The hub's batch answers, with `status` renamed `kind` to match the failures. */
export type PushResult =
  | { kind: 'accepted'; batchNo: number; nextBatchNo: number; nextSeq: number }
  | { kind: 'duplicate'; batchNo: number; nextBatchNo: number; nextSeq: number }
  | { kind: 'gap'; expectedBatchNo: number; expectedFirstSeq: number; message: string }
  | { kind: 'equivocation'; batchNo: number; message: string }
  | { kind: 'rejected'; reason: Extract<BatchAnswer, { status: 'rejected' }>['reason']; message: string }
  | Failure;

export type HealthResult = { kind: 'ok' } | Offline | Unexpected;
export type StateResult = ({ kind: 'state' } & StateAnswer) | Failure;
export type ConflictsResult = { kind: 'conflicts'; conflicts: HubConflict[] } | Failure;
export type PublicationsResult = { kind: 'publications'; publications: SignedPublication[] } | Failure;

export interface HubClient {
  health(): Promise<HealthResult>;
  pushBatch(payload: BatchPayload): Promise<PushResult>;
  state(): Promise<StateResult>;
  conflicts(): Promise<ConflictsResult>;
  publications(): Promise<PublicationsResult>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

type Exchange = { kind: 'answer'; httpStatus: number; json: unknown } | Offline | Unexpected;

export function createHubClient(options: HubClientOptions): HubClient {
  const signer: RequestSigner = options.sign ? { sign: options.sign } : { privateKey: options.privateKey };
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function exchange(method: 'GET' | 'POST', path: string, body: Uint8Array<ArrayBuffer> | null, signed: boolean): Promise<Exchange> {
    let url: URL;
    try {
      url = new URL(`${base}${path}`);
    } catch {
      return { kind: 'unexpected', httpStatus: 0, message: `集中服务器地址“${options.baseUrl}”无效，请检查设置。` };
    }
    const bytes = body ?? new Uint8Array(0);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
    if (signed) {
      Object.assign(headers, signRequest({
        workstationId: options.workstationId,
        signer,
        method,
        pathWithQuery: `${url.pathname}${url.search}`,
        body: bytes,
        at: options.now(),
        ...(options.nonce ? { nonce: options.nonce() } : {}),
      }));
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(url, { method, headers, body: body ?? undefined, signal: controller.signal, redirect: 'error' });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { kind: 'unexpected', httpStatus: response.status, message: `集中服务器的答复不是 JSON（HTTP ${response.status}），地址可能不是签章集中服务器。` };
      }
      return { kind: 'answer', httpStatus: response.status, json };
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'offline', message: `集中服务器在 ${Math.round(timeoutMs / 1000)} 秒内没有答复，稍后将自动重试。` };
      return { kind: 'offline', message: `无法连接集中服务器（${networkReason(error)}），稍后将自动重试。` };
    } finally {
      clearTimeout(timer);
    }
  }

  /** 401 and the hub's own error answers, common to every call. */
  function failureOf(answer: { httpStatus: number; json: unknown }): Refused | Unexpected {
    const refused = RefusedAnswerSchema.safeParse(answer.json);
    if (answer.httpStatus === 401 && refused.success) return { kind: 'refused', reason: refused.data.reason, message: refused.data.message };
    const error = ErrorAnswerSchema.safeParse(answer.json);
    if (error.success) return { kind: 'unexpected', httpStatus: answer.httpStatus, message: error.data.message };
    return { kind: 'unexpected', httpStatus: answer.httpStatus, message: `集中服务器的答复无法识别（HTTP ${answer.httpStatus}），可能版本不符。` };
  }

  function parsed<S extends z.ZodType>(answer: { httpStatus: number; json: unknown }, schema: S): z.infer<S> | Refused | Unexpected {
    if (answer.httpStatus !== 200) return failureOf(answer);
    const result = schema.safeParse(answer.json);
    return result.success ? result.data : { kind: 'unexpected', httpStatus: answer.httpStatus, message: '集中服务器的答复格式无法识别，可能版本不符。' };
  }

  const isFailure = (value: unknown): value is Refused | Unexpected =>
    typeof value === 'object' && value !== null && 'kind' in value && ((value).kind === 'refused' || (value).kind === 'unexpected');

  return {
    async health() {
      const answer = await exchange('GET', HUB_PATHS.health, null, false);
      if (answer.kind !== 'answer') return answer;
      const value = parsed(answer, HealthAnswerSchema);
      if (isFailure(value)) return value.kind === 'refused' ? { kind: 'unexpected', httpStatus: 401, message: value.message } : value;
      return { kind: 'ok' };
    },

    async pushBatch(payload) {
      const answer = await exchange('POST', HUB_PATHS.batches, new TextEncoder().encode(JSON.stringify(payload)), true);
      if (answer.kind !== 'answer') return answer;
      // 200 (accepted, duplicate), 409 (gap, equivocation) and 400 (rejected) all carry a batch answer.
      const batchAnswer = [200, 400, 409].includes(answer.httpStatus) ? BatchAnswerSchema.safeParse(answer.json) : null;
      if (!batchAnswer?.success) return failureOf(answer);
      const { status, ...rest } = batchAnswer.data;
      return { kind: status, ...rest } as PushResult;
    },

    async state() {
      const answer = await exchange('GET', HUB_PATHS.state, null, true);
      if (answer.kind !== 'answer') return answer;
      const value = parsed(answer, StateAnswerSchema);
      if (isFailure(value)) return value;
      if (value.workstationId !== options.workstationId) return { kind: 'unexpected', httpStatus: 200, message: `集中服务器答复的是工作站 ${value.workstationId} 的状态，而不是本工作站的。` };
      return { kind: 'state', ...value };
    },

    async conflicts() {
      const answer = await exchange('GET', HUB_PATHS.conflicts, null, true);
      if (answer.kind !== 'answer') return answer;
      const value = parsed(answer, ConflictsAnswerSchema);
      if (isFailure(value)) return value;
      return { kind: 'conflicts', conflicts: value.conflicts };
    },

    async publications() {
      const answer = await exchange('GET', HUB_PATHS.publications, null, true);
      if (answer.kind !== 'answer') return answer;
      const value = parsed(answer, PublicationsAnswerSchema);
      if (isFailure(value)) return value;
      const publications: SignedPublication[] = [];
      for (const [index, item] of value.publications.entries()) {
        const publication = SignedPublicationSchema.safeParse(item);
        if (!publication.success) return { kind: 'unexpected', httpStatus: 200, message: `集中服务器发来的第 ${index + 1} 项发布内容格式不符，已全部忽略。` };
        publications.push(publication.data);
      }
      return { kind: 'publications', publications };
    },
  };
}

const NETWORK_REASONS = new Map([
  ['ECONNREFUSED', '服务器未启动或端口不对'],
  ['ENOTFOUND', '找不到该主机名'],
  ['EAI_AGAIN', '域名解析暂时失败'],
  ['ECONNRESET', '连接被中断'],
  ['ETIMEDOUT', '连接超时'],
  ['EHOSTUNREACH', '网络不可达'],
  ['ENETUNREACH', '网络不可达'],
]);

function networkReason(error: unknown): string {
  // undici reports the socket error as the cause of a generic "fetch failed".
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause).code) : '';
  return NETWORK_REASONS.get(code) ?? (cause instanceof Error ? cause.message : String(cause));
}
