import type { CallName, CallResult } from '../../core/contract';

/** A browser's side of the loopback host's door: the cookie it holds, if any. */
export interface LoopbackClient {
  /** `name=value`, as a browser sends it back, or null for a window that has not signed in. */
  cookie: string | null;
  call(name: CallName, request: unknown): Promise<CallResult<CallName>>;
}

/**
 * Opens a launch address as the app window does: the host answers with its session cookie and a
 * redirect to the bare address. Returns the cookie, or null when the host gave none.
 */
export async function exchangeLaunchUrl(launchUrl: string): Promise<string | null> {
  const response = await fetch(launchUrl, { redirect: 'manual' });
  const setCookie = response.headers.getSetCookie()[0];
  return setCookie ? setCookie.split(';')[0]! : null;
}

/** Calls the loopback host at `baseUrl` as the renderer does, sending `cookie` when there is one. */
export function loopbackClient(baseUrl: string, cookie: string | null = null): LoopbackClient {
  const client: LoopbackClient = {
    cookie,
    async call(name, request) {
      const response = await fetch(new URL(`api/${name}`, baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Seal-Counter': '1', ...(client.cookie ? { Cookie: client.cookie } : {}) },
        body: JSON.stringify(request),
      });
      // A sign-in from a window without the cookie hands it one, as a browser would keep it.
      const given = response.headers.getSetCookie()[0];
      if (given) client.cookie = given.split(';')[0]!;
      return (await response.json()) as CallResult<CallName>;
    },
  };
  return client;
}

/** A client already through the door: the launch address exchanged, as the launcher's window does. */
export async function launchedClient(host: { url: string; issueLaunchUrl(): string }): Promise<LoopbackClient> {
  return loopbackClient(host.url, await exchangeLaunchUrl(host.issueLaunchUrl()));
}
