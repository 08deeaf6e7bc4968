import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * How the hub client reaches the hub. The platform's fetch trusts the system's certificate
 * authorities only; a province whose hub has its own certificate (or its own CA) names it in the
 * settings, and then this transport trusts that one and nothing else for the hub. It is a
 * fetch-shaped function so that the client (and tests that tamper with answers) see one API.
 */
export type Fetch = (input: URL, init: { method: string; headers: Record<string, string>; body?: Uint8Array<ArrayBuffer>; signal: AbortSignal }) => Promise<Response>;

export interface TransportOptions {
  /** PEM: the only certificate (or CA) trusted for the hub. */
  tlsCertificate?: string | undefined;
  /** The local address to connect from (the load test spreads its workstations over 127.0.x.y). */
  localAddress?: string | undefined;
}

export function transportFor(options: TransportOptions): Fetch {
  if (!options.tlsCertificate && !options.localAddress) return (input, init) => fetch(input, { ...init, redirect: 'error' });
  return (input, init) => new Promise<Response>((resolve, reject) => {
    const send = input.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(input, {
      method: init.method,
      headers: { ...init.headers, ...(init.body ? { 'Content-Length': String(init.body.byteLength) } : {}) },
      signal: init.signal,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      ...(options.tlsCertificate && input.protocol === 'https:' ? { ca: options.tlsCertificate } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') headers.set(name, value);
          else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        }
        const status = res.statusCode ?? 0;
        // A Response cannot carry a body with 204/304.
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers }));
      });
    });
    req.on('error', reject);
    req.end(init.body ? Buffer.from(init.body) : undefined);
  });
}
