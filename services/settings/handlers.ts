import type { HandlersOf } from '../../core/contract';
import type { settingsCalls } from '../../core/contract/settings';
import { decodeUpload, type ServiceContext } from '../context';
import { importReference, isTrainingDb, listUnits, referenceSummary } from './reference';
import { exportSettings, importSettings, loadSettings, saveSettings } from './settings';

export function settingsHandlers(ctx: ServiceContext): HandlersOf<typeof settingsCalls> {
  return {
    'settings.get': () => loadSettings(ctx.db),
    'settings.save': (settings) => saveSettings(ctx.db, settings),
    'settings.export': () => exportSettings(ctx.db),
    'settings.import': ({ json }) => importSettings(ctx.db, json),
    'reference.import': ({ kind, fileName, dataBase64 }) => importReference(ctx.db, kind, fileName, decodeUpload(dataBase64)),
    'reference.summary': () => referenceSummary(ctx.db),
    'reference.units': () => listUnits(ctx.db),
    'training.status': () => ({ training: isTrainingDb(ctx.db) }),
  };
}
