import { useEffect, useRef } from 'react';

/**
 * A barcode scanner is a keyboard that types a whole number within a few milliseconds and ends with
 * Enter. No person types six keys in a row at 45 ms a key, so such a burst is taken as a scan
 * wherever the focus is: the text field it landed in gets back what it held before, and Enter does
 * nothing there. A field marked data-scan-field (the slip number) takes the scan as typing instead.
 * The mean gap decides, and a single late key may lag: a busy page delays keys it handles.
 */
const MEAN_KEY_GAP_MS = 45;
const MAX_KEY_GAP_MS = 120;
const MAX_ENTER_GAP_MS = 150;
const MIN_LENGTH = 6;

type TextField = HTMLInputElement | HTMLTextAreaElement;

interface Burst {
  text: string;
  firstAt: number;
  lastAt: number;
  field: TextField | null;
  /** The field's text before the burst's first key reached it. */
  before: string;
}

function textFieldOf(target: EventTarget | null): TextField | null {
  if (target instanceof HTMLTextAreaElement) return target;
  if (target instanceof HTMLInputElement && !['password', 'checkbox', 'radio', 'file', 'button', 'submit'].includes(target.type)) return target;
  return null;
}

/** Sets a React-controlled field's text the way typing does, so its onChange sees it. */
function restore(field: TextField, value: string): void {
  const prototype = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

export function useScanner(onScan: (code: string) => void, enabled = true): void {
  const latest = useRef(onScan);
  latest.current = onScan;
  useEffect(() => {
    if (!enabled) return;
    let burst: Burst | null = null;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.ctrlKey || event.altKey || event.metaKey || (event.target instanceof HTMLInputElement && event.target.type === 'password')) {
        burst = null;
        return;
      }
      const now = event.timeStamp;
      if (event.key === 'Enter') {
        const scanned = burst && burst.text.length >= MIN_LENGTH && now - burst.lastAt <= MAX_ENTER_GAP_MS && (burst.lastAt - burst.firstAt) / (burst.text.length - 1) <= MEAN_KEY_GAP_MS ? burst : null;
        burst = null;
        if (!scanned || (scanned.field?.closest('[data-scan-field]') ?? null) !== null) return;
        event.preventDefault();
        event.stopPropagation();
        if (scanned.field) restore(scanned.field, scanned.before);
        latest.current(scanned.text);
        return;
      }
      if (event.key.length !== 1) {
        burst = null;
        return;
      }
      if (burst && now - burst.lastAt <= MAX_KEY_GAP_MS) {
        burst.text += event.key;
        burst.lastAt = now;
      } else {
        const field = textFieldOf(event.target);
        burst = { text: event.key, firstAt: now, lastAt: now, field, before: field?.value ?? '' };
      }
    };
    // The capture phase on the window runs before React's own listeners on its root.
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [enabled]);
}
