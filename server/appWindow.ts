import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where Electron is missing, an installed Chromium, Chrome or Edge shows the UI as an app window
 * (no address bar, its own profile) so that the clerk still gets a desktop program.
 */
export function findChromiumBrowser(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SEAL_COUNTER_BROWSER) return existsSync(env.SEAL_COUNTER_BROWSER) ? env.SEAL_COUNTER_BROWSER : null;
  const candidates: string[] = [];
  if (process.platform === 'win32') {
    for (const base of [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]) {
      if (!base) continue;
      candidates.push(join(base, 'Microsoft', 'Edge', 'Application', 'msedge.exe'), join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(base, 'Chromium', 'Application', 'chrome.exe'));
    }
  } else if (process.platform === 'darwin') {
    candidates.push('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge', '/Applications/Chromium.app/Contents/MacOS/Chromium');
  } else {
    const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
    for (const dir of (env.PATH ?? '').split(delimiter)) for (const name of names) candidates.push(join(dir, name));
  }
  return candidates.find((path) => existsSync(path)) ?? null;
}

export function openAppWindow(browser: string, url: string, profileDir: string): ChildProcess {
  const args = [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1440,900'];
  // Chromium refuses its sandbox when run as root (as on these build machines).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return spawn(browser, args, { stdio: 'ignore' });
}
