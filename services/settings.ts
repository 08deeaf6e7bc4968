import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../core/settings';
import type { Db } from '../db/database';

const SETTINGS_KEY = 'office';

export function loadSettings(db: Db): Settings {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTINGS_KEY) as { value: string } | undefined;
  return row ? SettingsSchema.parse(JSON.parse(row.value)) : DEFAULT_SETTINGS;
}

export function saveSettings(db: Db, settings: Settings): Settings {
  const valid = SettingsSchema.parse(settings);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(SETTINGS_KEY, JSON.stringify(valid));
  return valid;
}
