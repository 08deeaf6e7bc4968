import type { z } from 'zod';
import { ANSWER_SIGNATURE_HEADER, answerSignatureValid, HubKeyStatementSchema, type HubKeyStatement } from '../../core/hub/answer';
import type { BatchPayload } from '../../core/register/batch';
import { SignedPublicationSchema, type PublicationKind, type SignedPublication } from '../../core/hub/publication';
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
import { transportFor, type Fetch } from './transport';

/**
 * The workstation's side of the hub API (core/hub/protocol.ts). Every call signs its request
 * with the workstation's key, and believes an answer only if the hub's answer key signed it for
 * this very request; it returns a result to branch on and never throws for the network, a
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
  /** e.g. https://hub.example:8443 — the hub's root; a path prefix is not supported. */
  baseUrl: string;
  workstationId: string;
  /** The hub's answer key; null only to ask for it (hubKey) before it is pinned. */
  answerPublicKey: Uint8Array | null;
  now: () => Date;
  /** PEM of the hub's certificate or CA, when the system does not trust it (settings.hub.tlsCertificate). */
  tlsCertificate?: string | undefined;
  localAddress?: string | undefined;
  fetchImpl?: Fetch;
  /** Per request, including reading the answer. Default 30 s. */
  timeoutMs?: number;
  /** Tests may fix the nonce; by default each request gets 16 fresh random bytes. */
  nonce?: () => string;
}

/** The hub could not be reached, did not answer in time, or asked to be left alone for a while (429). Try again later. */
export type Offline = { kind: 'offline'; message: string; retryAfterMs?: number };
/** The hub refused to talk to this workstation (HTTP 401). Retrying will not help until the cause is fixed (except `stale` after fixing the clock). */
export type Refused = { kind: 'refused'; reason: RefusalReason; message: string };
/** The hub answered, but not with anything this client knows (a proxy's error page, a 500, a newer hub). */
export type Unexpected = { kind: 'unexpected'; httpStatus: number; message: string };
/** Something answered without the hub's signature for this request: a forgery on the line, or not the hub. Nothing of it is believed. */
export type Forged = { kind: 'forged'; message: string };
/** The settings name a hub this client will not talk to (plain http:// to another machine). */
export type Insecure = { kind: 'insecure'; message: string };
export type Failure = Offline | Refused | Unexpected | Forged | Insecure;

/** The hub's batch answers, with `status` renamed `kind` to match the failures. */
export type PushResult =
  | { kind: 'accepted'; batchNo: number; nextBatchNo: number; nextSeq: number }
  | { kind: 'duplicate'; batchNo: number; nextBatchNo: number; nextSeq: number }
  | { kind: 'gap'; expectedBatchNo: number; expectedFirstSeq: number; message: string }
  | { kind: 'equivocation'; batchNo: number; message: string }
  | { kind: 'rejected'; reason: Extract<BatchAnswer, { status: 'rejected' }>['reason']; message: string }
  | Failure;

export type HealthResult = { kind: 'ok' } | Offline | Unexpected | Forged | Insecure;
export type HubKeyResult = { kind: 'hub-key'; statement: HubKeyStatement } | Offline | Unexpected | Insecure;
export type StateResult = ({ kind: 'state' } & StateAnswer) | Failure;
/** `unchanged`: nothing new since the answer tagged `etag` (HTTP 304). */
export type ConflictsResult = { kind: 'conflicts'; conflicts: HubConflict[]; etag: string | null } | { kind: 'unchanged' } | Failure;
export type PublicationsResult = { kind: 'publications'; publications: SignedPublication[]; etag: string | null } | { kind: 'unchanged' } | Failure;

export interface HubClient {
  health(): Promise<HealthResult>;
  /** The province's statement naming the hub's answer key: the one answer that is not checked here (the caller checks the province signature). */
  hubKey(): Promise<HubKeyResult>;
  pushBatch(payload: BatchPayload): Promise<PushResult>;
  state(): Promise<StateResult>;
  conflicts(etag?: string | null): Promise<ConflictsResult>;
  /** `have`: the versions the workstation holds; the hub sends only newer ones. */
  publications(have?: Partial<Record<PublicationKind, number>>, etag?: string | null): Promise<PublicationsResult>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

type Answer = { kind: 'answer'; httpStatus: number; json: unknown; etag: string | null };
type Exchange = Answer | Offline | Unexpected | Forged | Insecure;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Plain http:// only to this machine: anything else would carry names and ID numbers in clear text. */
export function insecureHubUrl(url: URL): Insecure | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return null;
  return { kind: 'insecure', message: `中心地址 ${url.origin} 不是 https://：与其他计算机之间的传输必须加密，已停止上报。请在设置中改为 https:// 地址。` };
}

export function createHubClient(options: HubClientOptions): HubClient {
  const signer: RequestSigner = options.sign ? { sign: options.sign } : { privateKey: options.privateKey };
  const fetchImpl = options.fetchImpl ?? transportFor({ tlsCertificate: options.tlsCertificate, localAddress: options.localAddress });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = options.baseUrl.replace(/\/+$/, '');
  const forged = (what: string): Forged => ({ kind: 'forged', message: `收到一个没有集中服务器有效签名的答复（${what}），可能在途中被篡改或不是集中服务器所发，已不予采信；待上报的批次仍保留，稍后重试。` });

  async function exchange(method: 'GET' | 'POST', path: string, body: Uint8Array<ArrayBuffer> | null, options2: { signed: boolean; verify: boolean; ifNoneMatch?: string | null }): Promise<Exchange> {
    let url: URL;
    try {
      url = new URL(`${base}${path}`);
    } catch {
      return { kind: 'unexpected', httpStatus: 0, message: `集中服务器地址“${options.baseUrl}”无效，请检查设置。` };
    }
    const insecure = insecureHubUrl(url);
    if (insecure) return insecure;
    const bytes = body ?? new Uint8Array(0);
    const pathWithQuery = `${url.pathname}${url.search}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
    if (options2.ifNoneMatch) headers['If-None-Match'] = options2.ifNoneMatch;
    let nonce = '';
    if (options2.signed) {
      const signed = signRequest({ workstationId: options.workstationId, signer, method, pathWithQuery, body: bytes, at: options.now(), ...(options.nonce ? { nonce: options.nonce() } : {}) });
      nonce = signed['X-Seal-Nonce']!;
      Object.assign(headers, signed);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(url, { method, headers, ...(body ? { body } : {}), signal: controller.signal });
      const raw = new Uint8Array(await response.arrayBuffer());
      if (options2.verify) {
        if (!options.answerPublicKey) return forged('本机尚未固定集中服务器的应答公钥');
        if (!answerSignatureValid(options.answerPublicKey, { method, pathWithQuery, nonce }, response.status, raw, response.headers.get(ANSWER_SIGNATURE_HEADER))) {
          // A proxy whose nodes are all down says 502/503/504 itself. Taking that for "offline"
          // acknowledges nothing, so it needs no signature; anything else unsigned is a forgery.
          if (response.status >= 500) return { kind: 'offline', message: `集中服务器暂时无法访问（HTTP ${response.status}），稍后将自动重试。` };
          return forged(`HTTP ${response.status}`);
        }
      }
      const etag = response.headers.get('etag');
      if (response.status === 304) return { kind: 'answer', httpStatus: 304, json: null, etag };
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(raw).toString('utf8'));
      } catch {
        return { kind: 'unexpected', httpStatus: response.status, message: `集中服务器的答复不是 JSON（HTTP ${response.status}），地址可能不是签章集中服务器。` };
      }
      if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after'));
        return { kind: 'offline', message: '集中服务器繁忙（请求过于频繁），稍后将自动重试。', retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 30_000 };
      }
      return { kind: 'answer', httpStatus: response.status, json, etag };
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'offline', message: `集中服务器在 ${Math.round(timeoutMs / 1000)} 秒内没有答复，稍后将自动重试。` };
      return { kind: 'offline', message: `无法连接集中服务器（${networkReason(error)}），稍后将自动重试。` };
    } finally {
      clearTimeout(timer);
    }
  }

  const signedCall = (method: 'GET' | 'POST', path: string, body: Uint8Array<ArrayBuffer> | null = null, ifNoneMatch?: string | null) =>
    exchange(method, path, body, { signed: true, verify: true, ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) });

  /** 401 and the hub's own error answers, common to every call. */
  function failureOf(answer: Answer): Refused | Unexpected {
    const refused = RefusedAnswerSchema.safeParse(answer.json);
    if (answer.httpStatus === 401 && refused.success) return { kind: 'refused', reason: refused.data.reason, message: refused.data.message };
    const error = ErrorAnswerSchema.safeParse(answer.json);
    if (error.success) return { kind: 'unexpected', httpStatus: answer.httpStatus, message: error.data.message };
    return { kind: 'unexpected', httpStatus: answer.httpStatus, message: `集中服务器的答复无法识别（HTTP ${answer.httpStatus}），可能版本不符。` };
  }

  function parsed<S extends z.ZodType>(answer: Answer, schema: S): z.infer<S> | Refused | Unexpected {
    if (answer.httpStatus !== 200) return failureOf(answer);
    const result = schema.safeParse(answer.json);
    return result.success ? result.data : { kind: 'unexpected', httpStatus: answer.httpStatus, message: '集中服务器的答复格式无法识别，可能版本不符。' };
  }

  const isFailure = (value: unknown): value is Refused | Unexpected =>
    typeof value === 'object' && value !== null && 'kind' in value && ((value).kind === 'refused' || (value).kind === 'unexpected');

  return {
    async health() {
      const answer = await exchange('GET', HUB_PATHS.health, null, { signed: false, verify: options.answerPublicKey !== null });
      if (answer.kind !== 'answer') return answer;
      const value = parsed(answer, HealthAnswerSchema);
      if (isFailure(value)) return value.kind === 'refused' ? { kind: 'unexpected', httpStatus: 401, message: value.message } : value;
      return { kind: 'ok' };
    },

    async hubKey() {
      const answer = await exchange('GET', HUB_PATHS.hubKey, null, { signed: false, verify: false });
      if (answer.kind === 'forged') return { kind: 'unexpected', httpStatus: 0, message: answer.message };
      if (answer.kind !== 'answer') return answer;
      const statement = answer.httpStatus === 200 && typeof answer.json === 'object' && answer.json !== null ? HubKeyStatementSchema.safeParse((answer.json as { hubKey?: unknown }).hubKey) : null;
      if (!statement?.success) return { kind: 'unexpected', httpStatus: answer.httpStatus, message: '集中服务器没有提供有效的应答公钥声明，可能版本过旧或不是签章集中服务器。' };
      return { kind: 'hub-key', statement: statement.data };
    },

    async pushBatch(payload) {
      const answer = await signedCall('POST', HUB_PATHS.batches, new TextEncoder().encode(JSON.stringify(payload)));
      if (answer.kind !== 'answer') return answer;
      // 200 (accepted, duplicate), 409 (gap, equivocation) and 400 (rejected) all carry a batch answer.
      const batchAnswer = [200, 400, 409].includes(answer.httpStatus) ? BatchAnswerSchema.safeParse(answer.json) : null;
      if (!batchAnswer?.success) return failureOf(answer);
      const { status, ...rest } = batchAnswer.data;
      return { kind: status, ...rest } as PushResult;
    },

    async state() {
      const answer = await signedCall('GET', HUB_PATHS.state);
      if (answer.kind !== 'answer') return answer;
      const value = parsed(answer, StateAnswerSchema);
      if (isFailure(value)) return value;
      if (value.workstationId !== options.workstationId) return { kind: 'unexpected', httpStatus: 200, message: `集中服务器答复的是工作站 ${value.workstationId} 的状态，而不是本工作站的。` };
      return { kind: 'state', ...value };
    },

    async conflicts(etag) {
      const answer = await signedCall('GET', HUB_PATHS.conflicts, null, etag ?? null);
      if (answer.kind !== 'answer') return answer;
      if (answer.httpStatus === 304) return { kind: 'unchanged' };
      const value = parsed(answer, ConflictsAnswerSchema);
      if (isFailure(value)) return value;
      return { kind: 'conflicts', conflicts: value.conflicts, etag: answer.etag };
    },

    async publications(have = {}, etag) {
      const query = new URLSearchParams();
      for (const kind of ['approved-lists', 'slips'] as const) if (have[kind]) query.set(kind, String(have[kind]));
      const path = query.size > 0 ? `${HUB_PATHS.publications}?${query}` : HUB_PATHS.publications;
      const answer = await signedCall('GET', path, null, etag ?? null);
      if (answer.kind !== 'answer') return answer;
      if (answer.httpStatus === 304) return { kind: 'unchanged' };
      const value = parsed(answer, PublicationsAnswerSchema);
      if (isFailure(value)) return value;
      const publications: SignedPublication[] = [];
      for (const [index, item] of value.publications.entries()) {
        const publication = SignedPublicationSchema.safeParse(item);
        if (!publication.success) return { kind: 'unexpected', httpStatus: 200, message: `集中服务器发来的第 ${index + 1} 项发布内容格式不符，已全部忽略。` };
        publications.push(publication.data);
      }
      return { kind: 'publications', publications, etag: answer.etag };
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
  ['DEPTH_ZERO_SELF_SIGNED_CERT', '集中服务器的证书不受信任：请在设置中填入集中服务器的证书'],
  ['SELF_SIGNED_CERT_IN_CHAIN', '集中服务器的证书不受信任：请在设置中填入签发它的证书'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', '集中服务器的证书不受信任'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', '集中服务器的证书不受信任'],
  ['CERT_HAS_EXPIRED', '集中服务器的证书已过期'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', '集中服务器的证书与地址不符'],
  ['EPROTO', '加密连接失败（对方可能不是 HTTPS）'],
]);

function networkReason(error: unknown): string {
  // undici reports the socket error as the cause of a generic "fetch failed".
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause).code) : '';
  // The clerk reads this: a system message in English is replaced by its code.
  return NETWORK_REASONS.get(code) ?? (code ? `网络错误 ${code}` : '网络错误');
}
