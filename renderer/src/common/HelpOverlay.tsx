import { Modal, Table } from 'antd';
import { useState } from 'react';
import { COUNTER_CHORDS, useShortcuts } from './shortcuts';

function typingInField(): boolean {
  const active = document.activeElement;
  return active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement || (active instanceof HTMLElement && active.isContentEditable);
}

/** F1 anywhere, or ? when not typing in a field: every chord of the counter on one screen. */
export function HelpOverlay() {
  const [open, setOpen] = useState(false);
  useShortcuts([
    { key: 'F1', run: () => setOpen(true) },
    { key: '?', when: () => !typingInField(), run: () => setOpen(true) },
  ]);
  return (
    <Modal open={open} title="快捷键与扫码" footer={null} width={760} onCancel={() => setOpen(false)} destroyOnHidden>
      <div data-testid="help-overlay">
        <Table
          rowKey="keys"
          size="small"
          pagination={false}
          dataSource={[...COUNTER_CHORDS]}
          columns={[
            { title: '按键', dataIndex: 'keys', width: 150, render: (keys: string) => <strong>{keys}</strong> },
            { title: '作用', dataIndex: 'what' },
            { title: '适用', dataIndex: 'where', width: 110 },
          ]}
        />
      </div>
    </Modal>
  );
}
