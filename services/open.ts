import { checkedAtOpen, openDatabase } from '../db/database';
import { DataFileHealth } from './instance/fileCheck';
import { officeClock, type ServiceContext } from './context';
import { createHandlers } from './handlers';
import { holdDataFile, type DataFileLock, type LockHolderKind } from './instance/dataFileLock';
import { openLog } from './log/log';
import { printsDirFor } from './paths';
import { Session } from './accounts/session';
import { SyncAgent } from './sync/sync';
import { loadWorkstationIdentity, type KeyProtector } from './register/workstationKey';
import { loadSettings } from './settings/settings';
import { currentTip } from './register/entries';
import { writeWitness } from './register/witness';

// The Electron host seals the workstation key with the operating system's key store around opening.
export { prepareKeyProtector, sealWorkstationKey, type OsKeyStore } from './register/osKeyStore';
// A host that fails before the services open still writes why to the log beside the data file.
export { openLog } from './log/log';

export interface OpenOptions {
  /** Electron's safeStorage, where the host has one. */
  keyProtector?: KeyProtector;
  /**
   * The app holds the data file for as long as it runs (one app per file; the command line's
   * writing commands refuse meanwhile). Taken before the file is opened, so a second start
   * changes nothing, migrations included.
   */
  holdAs?: Exclude<LockHolderKind, 'cli'>;
  /** Above this size the data file is checked in the background instead of before opening (db/database.ts). */
  checkAtOpenMaxBytes?: number;
}

/** Opens the database at `dbPath` and builds the handlers every host and the CLI share. */
export function openServices(dbPath: string, now: () => Date = () => new Date(), options: OpenOptions = {}) {
  const lock: DataFileLock | null = options.holdAs ? holdDataFile(dbPath, { kind: options.holdAs }, '签章窗口无法启动') : null;
  const dataFile = new DataFileHealth(checkedAtOpen(dbPath, options.checkAtOpenMaxBytes));
  let db;
  try {
    db = openDatabase(dbPath, options.checkAtOpenMaxBytes);
  } catch (error) {
    lock?.release();
    throw error;
  }
  try {
    const clock = officeClock(now, () => loadSettings(db).timeZone);
    const known = db.prepare('SELECT 1 FROM workstation').get() !== undefined;
    const workstation = loadWorkstationIdentity(db, dbPath, clock.timestamp(), options.keyProtector);
    // A new workstation's witness says "nothing written yet"; from then on it is never made afresh
    // (register/integrity.ts), so a register emptied behind the app cannot pass for a new one.
    if (!known) writeWitness(dbPath, workstation, currentTip({ db, workstation }), clock.timestamp());
    const log = openLog(dbPath, () => clock.timestamp());
    const ctx: ServiceContext = { db, dbPath, printsDir: printsDirFor(dbPath), clock, session: new Session(), workstation, log, dataFile };
    // Made here, started only by the hosts: the CLI and tests sync when they ask to.
    const sync = new SyncAgent(ctx);
    return {
      ctx,
      sync,
      handlers: createHandlers(ctx, sync),
      /** The loopback host's address, for the message a second start shows. */
      setAddress: (address: string) => lock?.setAddress(address),
      close: () => {
        sync.stop();
        db.close();
        void log.close();
        lock?.release();
      },
    };
  } catch (error) {
    db.close();
    lock?.release();
    throw error;
  }
}

export type Services = ReturnType<typeof openServices>;
