import type { HandlersOf } from '../../core/contract';
import type { syncCalls } from '../../core/contract/sync';
import type { SyncAgent } from './sync';

export function syncHandlers(sync: SyncAgent): HandlersOf<typeof syncCalls> {
  return {
    'sync.status': () => sync.status(),
    'sync.now': () => sync.syncNow(),
    'sync.conflicts': () => sync.conflicts(),
  };
}
