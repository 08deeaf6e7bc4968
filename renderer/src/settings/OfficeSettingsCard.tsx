import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber } from 'antd';
import { useState } from 'react';
import type { Response } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { useShowError } from '../common/feedback';

type Settings = Response<'settings.get'>;

/** Index = JavaScript's getDay(): 0 is Sunday, as the settings store it. */
export const WEEKDAY_LABELS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
// Listed Monday first, as a Chinese calendar reads.
const WEEKDAY_OPTIONS = [1, 2, 3, 4, 5, 6, 0].map((day) => ({ value: day, label: WEEKDAY_LABELS[day] }));

interface OfficeSettingsCardProps {
  settings: Settings;
  onSaved: (settings: Settings) => void;
}

const sortedDays = (days: number[]) => [...days].sort((a, b) => a - b);

/** The office's own settings; anyone may read them, an administrator saves them. */
export function OfficeSettingsCard({ settings, onSaved }: OfficeSettingsCardProps) {
  const { message } = App.useApp();
  const showError = useShowError();
  const canEdit = useCan('admin');
  const [officeName, setOfficeName] = useState(settings.officeName);
  const [weekdays, setWeekdays] = useState<number[]>(settings.counterWeekdays);
  const [idleLockMinutes, setIdleLockMinutes] = useState<number | null>(settings.idleLockMinutes);
  const [hubUrl, setHubUrl] = useState(settings.hub?.url ?? '');
  const [provinceKey, setProvinceKey] = useState(settings.hub?.provincePublicKey ?? '');
  const [saving, setSaving] = useState(false);

  const hub = hubUrl.trim() || provinceKey.trim() ? { url: hubUrl.trim(), provincePublicKey: provinceKey.trim() } : null;
  const hubIncomplete = hub !== null && (!hub.url || !hub.provincePublicKey);
  const dirty =
    officeName.trim() !== settings.officeName ||
    sortedDays(weekdays).join() !== sortedDays(settings.counterWeekdays).join() ||
    idleLockMinutes !== settings.idleLockMinutes ||
    JSON.stringify(hub) !== JSON.stringify(settings.hub);
  const valid = officeName.trim() !== '' && idleLockMinutes !== null && !hubIncomplete;

  const save = async () => {
    if (!valid) return;
    setSaving(true);
    try {
      const saved = await call('settings.save', { ...settings, officeName: officeName.trim(), counterWeekdays: sortedDays(weekdays), idleLockMinutes: idleLockMinutes ?? settings.idleLockMinutes, hub });
      message.success('设置已保存');
      onSaved(saved);
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="本窗口" extra={canEdit ? null : <span style={{ color: '#888' }}>由管理员修改</span>}>
      <Form layout="horizontal" labelCol={{ span: 5 }} wrapperCol={{ span: 16 }} component="div" disabled={!canEdit}>
        <Form.Item label="单位名称" extra="显示在窗口标题和打印的登记表表头">
          <Input data-testid="settings-office-name" maxLength={60} value={officeName} onChange={(e) => setOfficeName(e.target.value)} status={officeName.trim() ? undefined : 'error'} />
        </Form.Item>
        <Form.Item label="高级证书办证日" extra="其他日子办理高级专业技术职务资格证书时，须确认并说明理由；法定节假日与调休按节假日表">
          <Checkbox.Group data-testid="settings-counter-weekdays" options={WEEKDAY_OPTIONS} value={weekdays} onChange={(values) => setWeekdays(values)} />
        </Form.Item>
        <Form.Item label="自动锁屏" extra="无人操作（键盘、鼠标、扫码枪）达到这么长时间后锁定屏幕，须输入密码解锁">
          <InputNumber
            data-testid="settings-idle-lock"
            min={1}
            max={240}
            precision={0}
            value={idleLockMinutes}
            onChange={(value) => setIdleLockMinutes(value)}
            suffix="分钟"
            status={idleLockMinutes === null ? 'error' : undefined}
            style={{ width: 160 }}
          />
        </Form.Item>
        <Form.Item label="中心地址" extra="日结批次上报到的省级中心，如 https://hub.example.gov.cn:8443；不上报则留空">
          <Input data-testid="settings-hub-url" maxLength={200} placeholder="不上报" value={hubUrl} onChange={(e) => setHubUrl(e.target.value)} status={hubIncomplete && !hubUrl.trim() ? 'error' : undefined} />
        </Form.Item>
        <Form.Item label="省厅公钥" extra="用于核验中心发布内容的签名：省厅提供的 44 个字符（Base64）">
          <Input
            data-testid="settings-province-key"
            className="digits"
            maxLength={60}
            placeholder="不上报"
            value={provinceKey}
            onChange={(e) => setProvinceKey(e.target.value)}
            status={hubIncomplete && !provinceKey.trim() ? 'error' : undefined}
          />
        </Form.Item>
        {hubIncomplete && (
          <Form.Item wrapperCol={{ offset: 5, span: 16 }}>
            <Alert type="warning" showIcon title="中心地址和省厅公钥须同时填写；不上报则两项都留空" data-testid="settings-hub-incomplete" />
          </Form.Item>
        )}
        {canEdit && (
          <Form.Item wrapperCol={{ offset: 5, span: 16 }}>
            <Button type="primary" data-testid="settings-save" disabled={!dirty || !valid} loading={saving} onClick={() => void save()}>
              保存
            </Button>
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
