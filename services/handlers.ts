import type { Handlers } from '../core/contract';
import { SCHEMA_VERSION } from '../db/database';
import packageJson from '../package.json' with { type: 'json' };
import { accountsHandlers } from './accounts/handlers';
import { applicationsHandlers } from './applications/handlers';
import type { ServiceContext } from './context';
import { listsHandlers } from './lists/handlers';
import { logHandlers } from './log/handlers';
import { printHandlers } from './print/handlers';
import { registerHandlers } from './register/handlers';
import { settingsHandlers } from './settings/handlers';
import { stockHandlers } from './stock/handlers';
import { loadSettings } from './settings/settings';
import { supervisionHandlers } from './supervision/handlers';
import { syncHandlers } from './sync/handlers';
import type { SyncAgent } from './sync/sync';
import { visitsHandlers } from './visits/handlers';

/** The one implementation of the contract, gathered from each capability; both hosts and the CLI call these. */
export function createHandlers(ctx: ServiceContext, sync: SyncAgent): Handlers {
  return {
    'app.info': () => ({
      officeName: loadSettings(ctx.db).officeName,
      dbPath: ctx.dbPath,
      version: packageJson.version,
      schemaVersion: SCHEMA_VERSION,
      today: ctx.clock.date(),
    }),
    ...settingsHandlers(ctx),
    ...listsHandlers(ctx),
    ...visitsHandlers(ctx),
    ...registerHandlers(ctx, () => sync.nudge()),
    ...printHandlers(ctx),
    ...accountsHandlers(ctx),
    ...syncHandlers(sync),
    ...logHandlers(ctx),
    ...stockHandlers(ctx),
    ...supervisionHandlers(ctx),
    ...applicationsHandlers(ctx),
  };
}
