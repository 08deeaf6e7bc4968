import { startAutomaticBackup } from './backup/backup';
import type { Services } from './open';
import { closeEarlierDays } from './register/batches';

/**
 * What a running app does besides answering calls: a day left open is closed now (an office that
 * forgets 日结 still has its days signed), the data file is backed up daily, and batches go to the
 * hub whenever it answers. The counter never waits for any of it. Both hosts call this once.
 */
export function startBackgroundWork(services: Services): { stop(): void } {
  try {
    closeEarlierDays(services.ctx);
  } catch (error) {
    // A register changed outside the app is refused (and recorded) by the day close itself; the
    // app still starts, so that the supervisor can see what happened in 登记簿.
    console.error(error instanceof Error ? error.message : error);
  }
  const backups = startAutomaticBackup(services.ctx);
  services.sync.start();
  return { stop: () => backups.stop() };
}
