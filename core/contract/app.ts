import { z } from 'zod';
import { Empty, type CallSpecs } from './shared';

export const appCalls = {
  'app.info': {
    access: 'public',
    request: Empty,
    response: z.object({ officeName: z.string(), dbPath: z.string(), version: z.string(), schemaVersion: z.number(), today: z.string() }),
  },
} as const satisfies CallSpecs;
