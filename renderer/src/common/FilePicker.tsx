import { Button, Tooltip } from 'antd';
import type { ButtonProps } from 'antd';
import { useImperativeHandle, useRef } from 'react';
import type { ChangeEvent, ReactNode, Ref } from 'react';
import { TABLE_FILE_ACCEPT } from './upload';

export interface FilePickerHandle {
  open: () => void;
}

interface FilePickerProps {
  ref?: Ref<FilePickerHandle>;
  inputTestId: string;
  onPick: (file: File) => void;
  children: ReactNode;
  tooltip?: string;
  buttonProps?: ButtonProps;
  /** File types offered by the picker; rosters and lists by default. */
  accept?: string;
  /** When given, the button asks this first (say, to confirm), and it opens the picker itself. */
  onButtonClick?: (open: () => void) => void;
}

/** A button over a hidden file input, so the same picker works in Electron and in a browser. */
export function FilePicker({ ref, inputTestId, onPick, children, tooltip, buttonProps, accept = TABLE_FILE_ACCEPT, onButtonClick }: FilePickerProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({ open: () => inputRef.current?.click() }), []);

  const handleChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared so that picking the same file again (after fixing it in Excel) fires change again.
    event.target.value = '';
    if (file) onPick(file);
  };

  const button = (
    <Button {...buttonProps} onClick={() => (onButtonClick ? onButtonClick(() => inputRef.current?.click()) : inputRef.current?.click())}>
      {children}
    </Button>
  );
  return (
    <>
      {/* Hidden inline too: antd's form styles show file inputs (display: block) over the hidden attribute. */}
      <input ref={inputRef} type="file" accept={accept} hidden style={{ display: 'none' }} data-testid={inputTestId} onChange={handleChange} />
      {tooltip ? <Tooltip title={tooltip}>{button}</Tooltip> : button}
    </>
  );
}
