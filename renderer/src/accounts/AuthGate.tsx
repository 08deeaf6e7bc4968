import { Button, Result, Spin } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, errorText, isSessionLoss, onSessionLoss } from '../api';
import { useShowError } from '../common/feedback';
import { Shell, START_NAV } from '../Shell';
import type { ShellNav } from '../Shell';
import { useShortcuts } from '../common/shortcuts';
import { LockScreen } from './LockScreen';
import { SessionContext } from './session';
import type { AuthStatus, SessionValue } from './session';
import { SetupScreen } from './SetupScreen';
import { SignInScreen } from './SignInScreen';
import { useIdleLock } from './useIdleLock';

const DEFAULT_IDLE_LOCK_MINUTES = 5;

/**
 * The one place that knows who is signed in. It shows the first-run, sign-in or lock screen, and
 * the app only to a signed-in, unlocked account. Any call refused because the session was lost
 * (locked from another window, the host restarted) brings it back here through api.onSessionLoss.
 *
 * Locking unmounts the app, so nothing of it stays in the page, but keeps which page and visit
 * were open: unlocking returns there. Another account signing in starts from the beginning.
 */
export function AuthGate() {
  const showError = useShowError();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [officeName, setOfficeName] = useState<string | null>(null);
  const [idleLockMinutes, setIdleLockMinutes] = useState(DEFAULT_IDLE_LOCK_MINUTES);
  const [notice, setNotice] = useState<string | null>(null);
  const [nav, setNav] = useState<ShellNav>(START_NAV);
  const navOwner = useRef<number | null>(null);

  const apply = useCallback((next: AuthStatus) => {
    const accountId = next.account?.id ?? null;
    if (accountId !== navOwner.current) {
      navOwner.current = accountId;
      setNav(START_NAV);
    }
    if (next.account) setNotice(null);
    setStatus(next);
  }, []);

  const refresh = useCallback(() => {
    setLoadError(null);
    return call('auth.status', {}).then(apply, (e: unknown) => setLoadError(errorText(e)));
  }, [apply]);
  useEffect(() => void refresh(), [refresh]);

  useEffect(
    () =>
      onSessionLoss((kind) => {
        if (kind === 'locked') setStatus((s) => (s?.account ? { ...s, locked: true } : s));
        else setNotice('登录状态已失效，请重新登录。');
        void refresh();
      }),
    [refresh],
  );

  const account = status?.account ?? null;
  const working = account !== null && !status?.locked;

  // The screens before the app name the office; it may have changed while someone was signed in.
  useEffect(() => {
    if (!working) call('app.info', {}).then((info) => setOfficeName(info.officeName), () => undefined);
  }, [working]);

  const loadSettings = useCallback(() => {
    call('settings.get', {}).then((settings) => setIdleLockMinutes(settings.idleLockMinutes), showError);
  }, [showError]);
  useEffect(() => {
    if (working) loadSettings();
  }, [working, account?.id, loadSettings]);

  const lock = useCallback(async () => {
    try {
      apply(await call('auth.lock', {}));
    } catch (e) {
      // The backend could not be reached: the screen is hidden all the same.
      if (!isSessionLoss(e)) setStatus((s) => (s?.account ? { ...s, locked: true } : s));
    }
  }, [apply]);

  const signOut = useCallback(async () => {
    try {
      apply(await call('auth.signOut', {}));
    } catch (e) {
      showError(e);
    }
  }, [apply, showError]);

  useIdleLock(idleLockMinutes, () => void lock(), working);
  useShortcuts([{ key: 'l', ctrl: true, run: () => void lock() }], working);

  const session = useMemo<SessionValue | null>(
    () => (account ? { account, idleLockMinutes, lock: () => void lock(), signOut: () => void signOut(), settingsChanged: loadSettings } : null),
    [account, idleLockMinutes, lock, signOut, loadSettings],
  );

  if (loadError) {
    return <Result status="error" title="无法连接签章窗口服务" subTitle={loadError} extra={<Button onClick={() => void refresh()}>重试</Button>} />;
  }
  if (!status) return <Spin size="large" style={{ display: 'block', marginTop: 200 }} />;
  if (status.needsSetup) return <SetupScreen officeName={officeName} onDone={apply} />;
  if (!account || !session) return <SignInScreen officeName={officeName} notice={notice} onSignedIn={apply} />;
  if (status.locked) return <LockScreen officeName={officeName} account={account} onStatus={apply} onUnlockFailed={() => void refresh()} />;
  return (
    <SessionContext value={session}>
      <Shell nav={nav} onNavChange={setNav} />
    </SessionContext>
  );
}
