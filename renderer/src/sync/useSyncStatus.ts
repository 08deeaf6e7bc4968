import { useCallback, useEffect, useRef, useState } from 'react';
import type { Response } from '../../../core/contract';
import { call, errorText, isSessionLoss } from '../api';

export type SyncStatus = Response<'sync.status'>;

/** How often the header asks the host how the outbox stands (the host's agent does the pushing). */
export const SYNC_POLL_MS = 5_000;

export interface SyncState {
  status: SyncStatus | null;
  /** Why the last status could not be read (the host itself did not answer), or null. */
  readError: string | null;
  /** A 同步 the clerk asked for is under way. */
  syncing: boolean;
  /** 同步: one round now; resolves with the status after it (null if the call failed, already shown). */
  syncNow: () => Promise<SyncStatus | null>;
  /** Reads the status now (after the settings changed: a new hub address is tried at once). */
  refresh: () => void;
}

/**
 * The outbox as the header shows it: `sync.status` read every few seconds while signed in, and
 * `sync.now` on demand. The host's agent retries on its own; this only reads and, when the clerk
 * asks, pushes at once.
 *
 * When a hub is named but the agent has never tried it (online is null), or the hub's address has
 * just changed in the settings, one round is started from here: otherwise the agent would wait for
 * its next scheduled round (up to a minute), and the clerk would see 连接中… until then.
 */
export function useSyncStatus(onError: (error: unknown) => void): SyncState {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);
  const seenUrl = useRef<string | null | undefined>(undefined);
  const triedUrl = useRef<string | null | undefined>(undefined);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const apply = useCallback((next: SyncStatus) => {
    if (!mounted.current) return;
    setReadError(null);
    setStatus(next);
  }, []);

  /** A round the clerk did not ask for: its failure shows in the indicator, not as a message. */
  const tryHub = useCallback(() => {
    call('sync.now', {}).then(apply, () => undefined);
  }, [apply]);

  const read = useCallback(async () => {
    try {
      const next = await call('sync.status', {});
      apply(next);
      const urlChanged = seenUrl.current !== undefined && seenUrl.current !== next.hubUrl;
      seenUrl.current = next.hubUrl;
      if (next.configured && triedUrl.current !== next.hubUrl && (urlChanged || next.online === null)) {
        triedUrl.current = next.hubUrl;
        tryHub();
      }
    } catch (error) {
      // A lost session is the auth gate's to show; anything else is the host not answering.
      if (!isSessionLoss(error) && mounted.current) setReadError(errorText(error));
    }
  }, [apply, tryHub]);

  // One read at a time: the next is scheduled when the previous has answered.
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const loop = async () => {
      await read();
      if (!stopped) timer = window.setTimeout(() => void loop(), SYNC_POLL_MS);
    };
    void loop();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [read]);

  const syncNow = useCallback(async () => {
    setSyncing(true);
    try {
      const next = await call('sync.now', {});
      apply(next);
      return next;
    } catch (error) {
      onError(error);
      return null;
    } finally {
      if (mounted.current) setSyncing(false);
    }
  }, [apply, onError]);

  const refresh = useCallback(() => void read(), [read]);

  return { status, readError, syncing, syncNow, refresh };
}
