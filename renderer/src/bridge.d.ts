import type { CallName, CallResult, Request } from '../../core/contract';

/** What the Electron preload exposes; absent when the page is served by the loopback HTTP host. */
export interface SealCounterBridge {
  call<N extends CallName>(name: N, request: Request<N>): Promise<CallResult<N>>;
}

declare global {
  interface Window {
    sealCounter?: SealCounterBridge;
  }
}
