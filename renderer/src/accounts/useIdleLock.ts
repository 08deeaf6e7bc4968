import { useEffect, useRef } from 'react';

/**
 * What counts as someone at the counter. A barcode scanner types keys, so scanning is activity too.
 * Listened to in the capture phase, so a control that stops an event does not hide it.
 */
const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once the window has seen no activity for `minutes`. Activity only records the
 * time (mousemove fires constantly); a single timer checks when the limit could first be reached,
 * and again for what remains if there was activity meanwhile. A sleeping PC wakes to an expired
 * timer and locks at once.
 */
export function useIdleLock(minutes: number, onIdle: () => void, active: boolean): void {
  const latest = useRef(onIdle);
  latest.current = onIdle;
  useEffect(() => {
    if (!active) return;
    const limit = minutes * 60_000;
    let lastActivity = Date.now();
    let timer = 0;
    const check = () => {
      const idleFor = Date.now() - lastActivity;
      if (idleFor >= limit) latest.current();
      else timer = window.setTimeout(check, limit - idleFor);
    };
    const onActivity = () => {
      lastActivity = Date.now();
    };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    timer = window.setTimeout(check, limit);
    return () => {
      window.clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [minutes, active]);
}
