import type { HandlersOf } from '../../core/contract';
import type { registerCalls } from '../../core/contract/register';
import type { ServiceContext } from '../context';
import { loadSettings } from '../settings/settings';
import { batchViews } from './batchRecords';
import { closeDay, verifyBatches } from './batches';
import { verifyLiveRegister } from './chain';
import { correctEntry } from './corrections';
import { listRegister } from './entries';
import { recentRefusals } from './integrity';
import { exportPublicKey, keyProtectionText } from './workstationKey';

/** `onBatchClosed`: the sync agent takes a new batch to the hub at once rather than at its next round. */
export function registerHandlers(ctx: ServiceContext, onBatchClosed: () => void): HandlersOf<typeof registerCalls> {
  return {
    'register.list': (request) => listRegister(ctx.db, request),
    'register.verify': () => verifyLiveRegister(ctx),
    'register.refusals': () => recentRefusals(ctx.db),
    'register.correct': (request) => correctEntry(ctx, request),
    'batches.list': () => batchViews(ctx.db),
    'batches.closeDay': () => {
      const closed = closeDay(ctx);
      if (closed.created) onBatchClosed();
      return closed;
    },
    'batches.verify': () => verifyBatches(ctx),
    'workstation.info': () => ({
      workstationId: ctx.workstation.id,
      publicKey: Buffer.from(ctx.workstation.publicKey).toString('base64'),
      createdAt: ctx.workstation.createdAt,
      keyProtection: ctx.workstation.protection,
      keyProtectionText: keyProtectionText(ctx.workstation),
      keyPath: ctx.workstation.keyPath,
    }),
    'workstation.exportKey': () => ({
      fileName: `工作站公钥-${ctx.workstation.id}.json`,
      json: JSON.stringify(exportPublicKey(ctx.workstation, loadSettings(ctx.db).officeName, ctx.clock.timestamp()), null, 2),
    }),
  };
}
