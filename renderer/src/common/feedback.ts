import { App } from 'antd';
import { useCallback } from 'react';
import { errorText, isSessionLoss } from '../api';

/**
 * Every backend failure reaches the clerk as its Chinese sentence; nothing fails silently. A call
 * refused because the session was lost is not repeated as a message: the sign-in or lock screen says it.
 */
export function useShowError(): (error: unknown) => void {
  const { message } = App.useApp();
  return useCallback((error: unknown) => {
    if (isSessionLoss(error)) return;
    void message.error({ content: errorText(error), duration: 6 });
  }, [message]);
}
