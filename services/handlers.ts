import type { Handlers } from '../core/contract';
import { SCHEMA_VERSION } from '../db/database';
import { localDate, decodeUpload, type ServiceContext } from './context';
import { importList, listLists, listRows, previewList } from './lists';
import { listRegister, printRegisterSheet, verifyRegister } from './register';
import { loadSettings, saveSettings } from './settings';
import { importReference, referenceSummary } from './reference';
import { exportSettings, importSettings } from './settings';
import { acknowledgeDay, acknowledgeWarnings, createVisit, getVisitDetail, importRoster, listVisits, sealVisit, setDocumentsSeen } from './visits';

import packageJson from '../package.json' with { type: 'json' };

/** The one implementation of the contract; both hosts and the CLI call these. */
export function createHandlers(ctx: ServiceContext): Handlers {
  return {
    'app.info': () => ({
      officeName: loadSettings(ctx.db).officeName,
      dbPath: ctx.dbPath,
      version: packageJson.version,
      schemaVersion: SCHEMA_VERSION,
      today: localDate(ctx.now()),
    }),
    'settings.get': () => loadSettings(ctx.db),
    'settings.save': (settings) => saveSettings(ctx.db, settings),
    'lists.preview': ({ fileName, dataBase64 }) => previewList(ctx, fileName, decodeUpload(dataBase64)),
    'lists.import': ({ fileName, dataBase64, ...overrides }) => importList(ctx, fileName, decodeUpload(dataBase64), overrides),
    'lists.list': () => listLists(ctx.db),
    'lists.rows': (request) => listRows(ctx.db, request),
    'visits.create': (request) => createVisit(ctx, request),
    'visits.list': ({ status }) => listVisits(ctx, status),
    'visits.get': ({ visitId }) => getVisitDetail(ctx, visitId),
    'visits.importRoster': ({ visitId, fileName, dataBase64 }) => importRoster(ctx, visitId, fileName, decodeUpload(dataBase64)),
    'visits.acknowledge': (request) => acknowledgeWarnings(ctx, request),
    'visits.acknowledgeDay': (request) => acknowledgeDay(ctx, request),
    'visits.setDocuments': (request) => setDocumentsSeen(ctx, request),
    'visits.seal': ({ visitId }) => sealVisit(ctx, visitId),
    'register.list': (request) => listRegister(ctx.db, request),
    'register.verify': () => verifyRegister(ctx.db),
    'reference.import': ({ kind, fileName, dataBase64 }) => importReference(ctx.db, kind, fileName, decodeUpload(dataBase64)),
    'reference.summary': () => referenceSummary(ctx.db),
    'settings.export': () => exportSettings(ctx.db),
    'settings.import': ({ json }) => importSettings(ctx.db, json),
    'print.registerSheet': (request) => printRegisterSheet(ctx, request),
  };
}
