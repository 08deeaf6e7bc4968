import { z } from 'zod';
import { ConflictSchema } from '../hub/protocol';
import { Empty, type CallSpecs } from './shared';

const SyncStatusSchema = z.object({
  /** Whether settings name a hub at all. */
  configured: z.boolean(),
  hubUrl: z.string().nullable(),
  /** null until the first attempt. */
  online: z.boolean().nullable(),
  /** Closed batches the hub has not acknowledged yet. */
  waiting: z.number(),
  conflicts: z.number(),
  lastContactAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** What a person must look at: retrying alone will not fix it. */
  problem: z.string().nullable(),
  publicationNote: z.string().nullable(),
});


/** The outbox to the hub, its state, and the cross-office conflicts the hub reported. */
export const syncCalls = {
  'sync.status': { access: 'clerk', request: Empty, response: SyncStatusSchema },
  /** 同步: push the outbox and pull from the hub now, rather than at the next retry. */
  'sync.now': { access: 'clerk', request: Empty, response: SyncStatusSchema },
  'sync.conflicts': { access: 'clerk', request: Empty, response: z.array(ConflictSchema) },
} as const satisfies CallSpecs;
