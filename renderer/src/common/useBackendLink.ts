import { useEffect, useState } from 'react';
import { call } from '../api';

const POLL_MS = 4000;

/**
 * Whether the backend still answers. A lost backend is said in a banner that stays, rather than
 * left to look like empty lists: the poll asks the one call that needs no session.
 */
export function useBackendLink(): boolean {
  const [lost, setLost] = useState(false);
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const poll = () => {
      call('app.info', {}).then(
        () => !stopped && setLost(false),
        () => !stopped && setLost(true),
      ).finally(() => {
        if (!stopped) timer = window.setTimeout(poll, POLL_MS);
      });
    };
    timer = window.setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  return lost;
}
