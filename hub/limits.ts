/**
 * Limits a node applies before it does any work for a request: how many requests an address may
 * make (a token bucket per address), how many connections it may hold open, and how long the
 * headers and the body may take. They are per node; with several nodes behind a proxy, the
 * proxy's own limits (nginx limit_req, limit_conn) cap the total (hub/README.md).
 */
export interface HubLimits {
  /** Larger bodies are refused from their declared length, before one byte is read. */
  maxBodyBytes: number;
  /** Requests per second an address may sustain, and how many it may make at once after a pause. */
  ratePerSecond: number;
  rateBurst: number;
  /** Open connections per address (the trusted proxies are exempt: they carry everyone). */
  connectionsPerAddress: number;
  /** Open connections in all. */
  maxConnections: number;
  /** The request line and headers must be in within this time (slow clients, slowloris). */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed. */
  idleTimeoutMs: number;
  /** Refusal counts older than this are deleted. */
  refusalRetentionDays: number;
}

export const DEFAULT_LIMITS: HubLimits = {
  maxBodyBytes: 64 * 1024 * 1024,
  ratePerSecond: 20,
  rateBurst: 100,
  connectionsPerAddress: 32,
  maxConnections: 4096,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 5 * 60_000,
  idleTimeoutMs: 60_000,
  refusalRetentionDays: 90,
};

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; the log and the limits use a.b.c.d. */
export function normaliseAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The client's address: the socket's peer, unless the peer is a trusted proxy, whose
 * X-Forwarded-For names the client as the last entry it appended. Entries before that were
 * written by the client itself and are not believed.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  if (!trustedProxies.has(peer) || typeof forwardedFor !== 'string') return peer;
  const last = forwardedFor.split(',').at(-1)?.trim() ?? '';
  return /^[0-9A-Fa-f:.]{2,45}$/.test(last) ? normaliseAddress(last) : peer;
}

/** A token bucket per address; buckets that have refilled are forgotten, so memory stays bounded by recent traffic. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(private readonly perSecond: number, private readonly burst: number) {}

  /** 0 when the request may go ahead; otherwise the seconds until it could. */
  take(address: string, nowMs: number): number {
    this.sweep(nowMs);
    const bucket = this.buckets.get(address) ?? { tokens: this.burst, at: nowMs };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond);
    bucket.at = nowMs;
    this.buckets.set(address, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweep < 10_000) return;
    this.lastSweep = nowMs;
    const full = (this.burst / this.perSecond) * 1000;
    for (const [address, bucket] of this.buckets) if (nowMs - bucket.at > full) this.buckets.delete(address);
  }
}

/** Open connections per address. */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  /** Counts a new connection; false when the address already holds its share. */
  add(address: string, limit: number): boolean {
    const count = this.open.get(address) ?? 0;
    if (count >= limit) return false;
    this.open.set(address, count + 1);
    return true;
  }

  remove(address: string): void {
    const count = (this.open.get(address) ?? 1) - 1;
    if (count <= 0) this.open.delete(address);
    else this.open.set(address, count);
  }
}
