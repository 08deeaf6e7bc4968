import { useEffect, useState } from 'react';
import type { TaskFailure } from '../../../core/contract';
import { call } from '../api';

/** How often the header asks whether a background task has failed. */
export const FAILURES_POLL_MS = 15_000;

/**
 * The background tasks (backup, sync, closing a day) whose last run failed, as the host keeps
 * them: a failure stays until the same task succeeds again, so the notice does not go away
 * unseen. A call that fails (the host gone, the session lost) is someone else's to show.
 */
export function useBackgroundFailures(): TaskFailure[] {
  const [failures, setFailures] = useState<TaskFailure[]>([]);
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const loop = async () => {
      try {
        const next = await call('log.failures', {});
        if (!stopped) setFailures(next);
      } catch {
        // Shown elsewhere (the sync indicator, the sign-in screen).
      }
      if (!stopped) timer = window.setTimeout(() => void loop(), FAILURES_POLL_MS);
    };
    void loop();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  return failures;
}
