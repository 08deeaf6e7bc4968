import type { HandlersOf } from '../../core/contract';
import type { logCalls } from '../../core/contract/log';
import type { ServiceContext } from '../context';

export function logHandlers(ctx: ServiceContext): HandlersOf<typeof logCalls> {
  return {
    'log.recent': async ({ limit, minLevel }) => ({ dir: ctx.log.dir, entries: await ctx.log.recent(limit, minLevel) }),
    'log.failures': () => ctx.log.failures(),
  };
}
