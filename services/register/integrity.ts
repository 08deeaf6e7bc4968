import { UserError } from '../../core/errors';
import type { Db } from '../../db/database';
import type { ApplicationEntryKind, StockEntryKind } from '../../core/register/terms';
import type { ServiceContext } from '../context';
import { checkRegister } from './chain';
import { currentTip } from './entries';
import { readWitness, writeWitness } from './witness';

/** What a refused write was: the words the refusal log and the clerk's message use. */
export type RegisterAction = '签章' | '更正' | '日结' | '签字' | StockEntryKind | ApplicationEntryKind | '抽查';

/** The register was changed outside the app: nothing may be written on top of it. */
export class RegisterTamperedError extends UserError {
  override name = 'RegisterTamperedError';
}

/**
 * Every write to the register goes through here, in one immediate transaction: first the register
 * is checked against what the workstation signed (the day's entries and their ledger records, the
 * signed tip, the last batch, the witness), then `work` runs, then — once committed — the witness
 * outside the database is brought up to date. A register changed outside the app is refused with
 * a sentence that says so and what to do, and the refusal is recorded; nothing is written on top
 * of it, so the next honest sealing or day close can never make a forgery look genuine.
 */
export function writeToRegister<T>(ctx: ServiceContext, action: RegisterAction, work: () => T): T {
  if (ctx.dataFile.damage !== null) throw new UserError(`本次${action}已拒绝，什么也没有写入。${ctx.dataFile.damage}`);
  let result: T;
  try {
    result = ctx.db.transaction(() => {
      const report = checkRegister(ctx, 'open-day', readWitness(ctx.dbPath, ctx.workstation));
      if (!report.intact) {
        throw new RegisterTamperedError(`登记簿在签章窗口之外被改动过，为保护登记簿，本次${action}已拒绝，什么也没有写入：${report.firstBreak.message}请立即联系审核人：用“校验登记簿”查看详情，核实后用 seal-counter restore 从备份恢复数据文件。`);
      }
      return work();
    }).immediate();
  } catch (error) {
    if (error instanceof RegisterTamperedError) recordRefusal(ctx, action, error.message);
    throw error;
  }
  updateWitness(ctx);
  return result;
}

/** After a commit, or when the hub has acknowledged batches (`hubBatchNo`): the witness follows the register. */
export function updateWitness(ctx: ServiceContext, hubBatchNo?: number): void {
  writeWitness(ctx.dbPath, ctx.workstation, currentTip(ctx), ctx.clock.timestamp(), hubBatchNo);
}

/** The latest refusals, newest first, for 校验登记簿 to show beside its result. */
export function recentRefusals(db: Db, limit = 10): { at: string; action: string; account: string; message: string }[] {
  return db.prepare('SELECT at, action, account, message FROM register_refusals ORDER BY id DESC LIMIT ?').all(limit) as { at: string; action: string; account: string; message: string }[];
}

function recordRefusal(ctx: ServiceContext, action: RegisterAction, message: string): void {
  const account = ctx.session.state().account?.username ?? '';
  console.error(`[register] ${ctx.clock.timestamp()} 拒绝${action}（${account}）：${message}`);
  try {
    ctx.db.prepare('INSERT INTO register_refusals (at, action, account, message) VALUES (?, ?, ?, ?)').run(ctx.clock.timestamp(), action, account, message);
  } catch {
    // Whoever changed the file may have dropped this table too; the refusal stands, and is logged above.
  }
}
