import type { Page } from '@playwright/test';

/** Milliseconds between a barcode scanner's keys: it types a whole number in a blink. */
const SCANNER_KEY_MS = 8;

/**
 * What a barcode scanner does: the number's keys and Enter, stamped as the hardware sends them.
 * The page reads key times from the events' own timestamps, so these keys look like a scanner's
 * however slowly the test machine delivers them.
 */
export async function scan(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    let at = Date.now() / 1000;
    for (const key of [...code, 'Enter']) {
      const enter = key === 'Enter';
      const down = enter ? { key, code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' } : { key, text: key };
      await cdp.send('Input.dispatchKeyEvent', { type: enter ? 'rawKeyDown' : 'keyDown', timestamp: at, ...down });
      if (enter) await cdp.send('Input.dispatchKeyEvent', { type: 'char', timestamp: at, ...down });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: at + 0.002, key, ...(enter ? { code: 'Enter', windowsVirtualKeyCode: 13 } : {}) });
      at += SCANNER_KEY_MS / 1000;
    }
  } finally {
    await cdp.detach();
  }
}

/**
 * Headless Chromium has no printer, and its print dialog over a PDF frame can crash the page: the
 * frames' print() is recorded instead (window.printedFrames), so a test sees that printing began.
 */
export async function recordPrinting(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const original = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')!;
    Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
      get(this: HTMLIFrameElement) {
        const frame = original.get!.call(this) as Window | null;
        if (frame) frame.print = () => { (window as unknown as { printedFrames: number }).printedFrames = ((window as unknown as { printedFrames?: number }).printedFrames ?? 0) + 1; };
        return frame;
      },
    });
  });
}
