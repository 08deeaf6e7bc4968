import { Button, Input, Space } from 'antd';

interface SearchBoxProps {
  testId: string;
  placeholder: string;
  width: number;
  maxLength?: number;
  value: string;
  onChange: (text: string) => void;
  /** Called with the trimmed text on Enter or 查找, and with '' when cleared. */
  onSearch: (text: string) => void;
}

/** A search field whose test id sits on the input itself, so tests and scanners can type into it. */
export function SearchBox({ testId, placeholder, width, maxLength, value, onChange, onSearch }: SearchBoxProps) {
  return (
    <Space.Compact style={{ width }}>
      <Input
        data-testid={testId}
        allowClear
        placeholder={placeholder}
        maxLength={maxLength}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          if (e.target.value === '') onSearch('');
        }}
        onPressEnter={(e) => {
          if (!e.nativeEvent.isComposing) onSearch(value.trim());
        }}
      />
      <Button onClick={() => onSearch(value.trim())}>查找</Button>
    </Space.Compact>
  );
}
