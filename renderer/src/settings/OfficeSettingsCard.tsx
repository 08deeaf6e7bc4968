import { App, Button, Card, Checkbox, Form, Input } from 'antd';
import { useState } from 'react';
import type { Response } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../feedback';

type Settings = Response<'settings.get'>;

/** Index = JavaScript's getDay(): 0 is Sunday, as the settings store it. */
export const WEEKDAY_LABELS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
// Listed Monday first, as a Chinese calendar reads.
const WEEKDAY_OPTIONS = [1, 2, 3, 4, 5, 6, 0].map((day) => ({ value: day, label: WEEKDAY_LABELS[day] }));

interface OfficeSettingsCardProps {
  settings: Settings;
  onSaved(settings: Settings): void;
}

export function OfficeSettingsCard({ settings, onSaved }: OfficeSettingsCardProps) {
  const { message } = App.useApp();
  const showError = useShowError();
  const [officeName, setOfficeName] = useState(settings.officeName);
  const [weekdays, setWeekdays] = useState<number[]>(settings.counterWeekdays);
  const [saving, setSaving] = useState(false);
  const dirty = officeName.trim() !== settings.officeName || [...weekdays].sort((a, b) => a - b).join() !== [...settings.counterWeekdays].sort((a, b) => a - b).join();

  const save = async () => {
    setSaving(true);
    try {
      const saved = await call('settings.save', { ...settings, officeName: officeName.trim(), counterWeekdays: [...weekdays].sort((a, b) => a - b) });
      message.success('设置已保存');
      onSaved(saved);
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="本窗口">
      <Form layout="horizontal" labelCol={{ span: 5 }} wrapperCol={{ span: 16 }} component="div">
        <Form.Item label="单位名称" extra="显示在窗口标题和打印的登记表表头">
          <Input data-testid="settings-office-name" maxLength={60} value={officeName} onChange={(e) => setOfficeName(e.target.value)} status={officeName.trim() ? undefined : 'error'} />
        </Form.Item>
        <Form.Item label="高级证书办证日" extra="其他日子办理高级专业技术职务资格证书时，须确认并说明理由；法定节假日与调休按节假日表">
          <Checkbox.Group data-testid="settings-counter-weekdays" options={WEEKDAY_OPTIONS} value={weekdays} onChange={(values) => setWeekdays(values)} />
        </Form.Item>
        <Form.Item wrapperCol={{ offset: 5, span: 16 }}>
          <Button type="primary" data-testid="settings-save" disabled={!dirty || !officeName.trim()} loading={saving} onClick={() => void save()}>
            保存
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
