import { UserError } from '../../core/errors';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../core/settings/settings';
import type { Db } from '../../db/database';
import { isTrainingDb } from './reference';

const SETTINGS_KEY = 'office';

export function loadSettings(db: Db): Settings {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTINGS_KEY) as { value: string } | undefined;
  return row ? SettingsSchema.parse(JSON.parse(row.value)) : DEFAULT_SETTINGS;
}

export function saveSettings(db: Db, settings: Settings): Settings {
  const valid = SettingsSchema.parse(settings);
  // A training database never reports to the hub: what a new clerk practises is not the office's register.
  if (valid.hub && isTrainingDb(db)) throw new UserError('培训数据不能设置集中服务器：培训中的登记不上报省级中心。');
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(SETTINGS_KEY, JSON.stringify(valid));
  return valid;
}

/** One JSON file an administrator carries from one workstation to another. */
export function exportSettings(db: Db): { fileName: string; json: string } {
  const settings = loadSettings(db);
  return { fileName: `签章窗口设置-${settings.officeName}.json`, json: `${JSON.stringify(settings, null, 2)}\n` };
}

export function importSettings(db: Db, json: string): Settings {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new UserError('设置文件不是有效的 JSON，未做任何更改。');
  }
  const parsed = SettingsSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`设置文件内容无效（${issue?.path.join('.') || '整体'}：${issue?.message}），未做任何更改。`);
  }
  return saveSettings(db, parsed.data);
}
