import { useEffect, useRef } from 'react';

export interface Shortcut {
  /** KeyboardEvent.key, compared case-insensitively. */
  key: string;
  ctrl?: boolean;
  alt?: boolean;
  run: () => void;
}

/** Window-wide keyboard shortcuts; the browser's own meaning of the key (Ctrl+O opens a file) is suppressed. */
export function useShortcuts(shortcuts: Shortcut[], enabled = true): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.repeat) return;
      const hit = latest.current.find(
        (s) => s.key.toLowerCase() === event.key.toLowerCase() && !!s.ctrl === (event.ctrlKey || event.metaKey) && !!s.alt === event.altKey,
      );
      if (!hit) return;
      event.preventDefault();
      hit.run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
