import { Input, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useState } from 'react';
import type { KeyboardEvent, Ref } from 'react';

interface PasswordInputProps {
  ref?: Ref<InputRef>;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  /** Enter pressed (not while an input method is composing). */
  onEnter?: () => void;
  placeholder?: string;
  autoFocus?: boolean;
  autoComplete?: 'current-password' | 'new-password';
  status?: 'error';
}

/** A password field that says when Caps Lock is on: the usual reason a right password is refused. */
export function PasswordInput({ ref, testId, value, onChange, onEnter, placeholder, autoFocus, autoComplete = 'current-password', status }: PasswordInputProps) {
  const [capsLock, setCapsLock] = useState(false);
  const readCapsLock = (event: KeyboardEvent<HTMLInputElement>) => setCapsLock(event.getModifierState('CapsLock'));
  return (
    <>
      <Input.Password
        ref={ref}
        data-testid={testId}
        size="large"
        autoFocus={autoFocus}
        autoComplete={autoComplete}
        placeholder={placeholder}
        maxLength={200}
        value={value}
        status={status}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={readCapsLock}
        onKeyUp={readCapsLock}
        onBlur={() => setCapsLock(false)}
        onPressEnter={(e) => {
          if (!e.nativeEvent.isComposing) onEnter?.();
        }}
      />
      {capsLock && (
        <Typography.Text type="warning" style={{ display: 'block', marginTop: 4 }}>
          大写锁定已打开
        </Typography.Text>
      )}
    </>
  );
}
