import { UserError } from '../core/errors';
import { startAutomaticBackup } from './backup/backup';
import type { Services } from './open';
import type { ServiceContext } from './context';
import { checkDataFileInBackground } from './instance/fileCheck';
import { closeEarlierDays } from './register/batches';

/**
 * What a running app does besides answering calls: a day left open is closed now (an office that
 * forgets 日结 still has its days signed), the data file is backed up daily, and batches go to the
 * hub whenever it answers. The counter never waits for any of it, and none of it may fail
 * unseen: a packaged app has no console, so every failure goes to the log and stays in the
 * header until the task succeeds again.
 */
export function startBackgroundWork(services: Services, timing: { backupFirstDelayMs?: number; backupIntervalMs?: number } = {}): { stop(): void } {
  const { log } = services.ctx;
  try {
    const closed = closeEarlierDays(services.ctx);
    if (closed?.created) log.info('day-close', `已自动日结前一日：第 ${closed.created.batchNo} 批，${closed.created.entryCount} 条登记。`);
  } catch (error) {
    // A register changed outside the app is refused (and recorded) by the day close itself; the
    // app still starts, so that the supervisor can see what happened in 登记簿 — and the header says so.
    log.taskFailed('day-close', error instanceof UserError ? error.message : '启动时未能自动日结前一日的登记，请在登记簿中手动日结。', error);
  }
  const backups = startAutomaticBackup(services.ctx, {
    ...(timing.backupFirstDelayMs !== undefined ? { firstDelayMs: timing.backupFirstDelayMs } : {}),
    ...(timing.backupIntervalMs !== undefined ? { intervalMs: timing.backupIntervalMs } : {}),
    log: (message, failed) => {
      if (failed) {
        log.taskFailed('backup', message);
      } else {
        log.info('backup', message);
        log.taskSucceeded('backup');
      }
    },
  });
  if (!services.ctx.dataFile.checkedAtOpen) checkDataFileNow(services.ctx);
  services.sync.start();
  return { stop: () => backups.stop() };
}

/** The integrity check a large data file did not get before opening; damage stops the register's writes. */
function checkDataFileNow({ dbPath, dataFile, log }: ServiceContext): void {
  checkDataFileInBackground(dbPath).then((damage) => {
    if (damage === null) {
      log.info('file-check', '数据文件较大，启动后在后台完成了完整性检查：未发现问题。');
      log.taskSucceeded('file-check');
      return;
    }
    dataFile.damage = damage;
    log.taskFailed('file-check', damage);
  }, (error: unknown) => {
    log.taskFailed('file-check', '未能完成数据文件的完整性检查，请重新启动签章窗口；如仍如此，请联系管理员。', error);
  });
}
