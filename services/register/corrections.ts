import type { RegisterEntryView, Request } from '../../core/contract';
import { UserError } from '../../core/errors';
import type { RegisterEntry } from '../../core/register/entries';
import { APPLICATION_ENTRY_KINDS, isStockEntryKind, SPOTCHECK_ENTRY_KINDS } from '../../core/register/terms';
import type { ServiceContext } from '../context';
import { appendRegisterEntries, entryView, registerEntryAt } from './entries';
import { writeToRegister } from './integrity';

/**
 * A 更正 entry: the corrected entry restated with the supervisor's changes, naming the entry it
 * corrects and why. The original stays as it was; the register shows the two side by side.
 */
export function correctEntry(ctx: ServiceContext, request: Request<'register.correct'>): RegisterEntryView {
  const supervisor = ctx.session.requireAccount();
  return writeToRegister(ctx, '更正', () => {
    const original = registerEntryAt(ctx.db, request.seq);
    if (!original) throw new UserError(`找不到第 ${request.seq} 号登记。`);
    if (isStockEntryKind(original.kind)) throw new UserError(`第 ${request.seq} 号是库存登记（${original.kind}），不是印章使用登记，不能在登记簿中更正。`);
    if ((SPOTCHECK_ENTRY_KINDS as readonly string[]).includes(original.kind)) throw new UserError(`第 ${request.seq} 号是抽查登记（${original.kind}），不能更正；抽查结果有误时请重新记录该证书的结论。`);
    if ((APPLICATION_ENTRY_KINDS as readonly string[]).includes(original.kind)) throw new UserError(`第 ${request.seq} 号是申请登记（${original.kind}），不是印章使用登记，不能在登记簿中更正；请在“补换与确认”中办理退回或重新受理。`);
    if (original.kind === '更正') throw new UserError(`第 ${request.seq} 号本身是更正登记；请更正它所更正的第 ${original.correctsSeq} 号登记。`);
    const changes = Object.fromEntries(Object.entries(request.changes).filter(([, value]) => value !== undefined));
    const changed = Object.entries(changes).filter(([key, value]) => original[key as keyof RegisterEntry] !== value);
    if (changed.length === 0) throw new UserError('更正内容与原登记相同，请填写需要更正的项目。');
    // A 更正 restates the entry; the ledger records stay with the entry that sealed them.
    const { seq: _seq, prevHash: _prevHash, hash: _hash, attachmentsDigest: _digest, ...fields } = original;
    const [written] = appendRegisterEntries(ctx, [{
      ...fields,
      ...changes,
      kind: '更正',
      correctsSeq: original.seq,
      at: ctx.clock.timestamp(),
      clerk: supervisor.displayName,
      clerkAccount: supervisor.username,
      remarks: `更正第 ${original.seq} 号登记：${request.reason}`,
    }]);
    return entryView(written!);
  });
}
