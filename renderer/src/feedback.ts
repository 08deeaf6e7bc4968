import { App } from 'antd';
import { useCallback } from 'react';
import { errorText } from './api';

/** Every backend failure reaches the clerk as its Chinese sentence; nothing fails silently. */
export function useShowError(): (error: unknown) => void {
  const { message } = App.useApp();
  return useCallback((error: unknown) => void message.error({ content: errorText(error), duration: 6 }), [message]);
}
