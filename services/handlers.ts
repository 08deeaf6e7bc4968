import type { Handlers } from '../core/contract';
import { SCHEMA_VERSION } from '../db/database';
import { localDate, decodeUpload, type ServiceContext } from './context';
import { importList, listLists, listRows, previewList } from './lists';
import { authStatus, changePassword, createAccount, listAccounts, resetPassword, setAccountDisabled, setUpFirstAdmin, signIn, unlock } from './accounts';
import { batchViews, closeDay, verifyBatches } from './batches';
import { correctEntry, listRegister, printRegisterSheet, verifyRegister } from './register';
import type { SyncAgent } from './sync';
import { exportPublicKey, KEY_PROTECTION_LABEL } from './workstationKey';
import { loadSettings, saveSettings } from './settings';
import { importReference, referenceSummary } from './reference';
import { exportSettings, importSettings } from './settings';
import { acknowledgeDay, acknowledgeWarnings, createVisit, getVisitDetail, importRoster, listVisits, sealVisit, setDocumentsSeen } from './visits';

import packageJson from '../package.json' with { type: 'json' };

/** The one implementation of the contract; both hosts and the CLI call these. */
export function createHandlers(ctx: ServiceContext, sync: SyncAgent): Handlers {
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
    'register.verify': () => verifyRegister(ctx),
    'register.correct': (request) => correctEntry(ctx, request),
    'reference.import': ({ kind, fileName, dataBase64 }) => importReference(ctx.db, kind, fileName, decodeUpload(dataBase64)),
    'reference.summary': () => referenceSummary(ctx.db),
    'settings.export': () => exportSettings(ctx.db),
    'settings.import': ({ json }) => importSettings(ctx.db, json),
    'print.registerSheet': (request) => printRegisterSheet(ctx, request),
    'auth.status': () => authStatus(ctx),
    'auth.setup': (request) => setUpFirstAdmin(ctx, request),
    'auth.signIn': (request) => signIn(ctx, request),
    'auth.signOut': () => { ctx.session.signOut(); return authStatus(ctx); },
    'auth.lock': () => { ctx.session.lock(); return authStatus(ctx); },
    'auth.unlock': (request) => unlock(ctx, request),
    'auth.changePassword': (request) => changePassword(ctx, request),
    'accounts.list': () => listAccounts(ctx.db),
    'accounts.create': (request) => createAccount(ctx, request),
    'accounts.setDisabled': (request) => setAccountDisabled(ctx, request),
    'accounts.resetPassword': (request) => resetPassword(ctx, request),
    'batches.list': () => batchViews(ctx.db),
    'batches.closeDay': () => {
      const closed = closeDay(ctx);
      if (closed.created) sync.nudge();
      return closed;
    },
    'batches.verify': () => verifyBatches(ctx),
    'workstation.info': () => ({
      workstationId: ctx.workstation.id,
      publicKey: Buffer.from(ctx.workstation.publicKey).toString('base64'),
      createdAt: ctx.workstation.createdAt,
      keyProtection: ctx.workstation.protection,
      keyProtectionText: KEY_PROTECTION_LABEL[ctx.workstation.protection],
      keyPath: ctx.workstation.keyPath,
    }),
    'sync.status': () => sync.status(),
    'sync.now': () => sync.syncNow(),
    'sync.conflicts': () => sync.conflicts(),
    'workstation.exportKey': () => ({
      fileName: `工作站公钥-${ctx.workstation.id}.json`,
      json: JSON.stringify(exportPublicKey(ctx.workstation, loadSettings(ctx.db).officeName, ctx.now()), null, 2),
    }),
  };
}
