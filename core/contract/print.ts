import { z } from 'zod';
import { DateText, type CallSpecs } from './shared';

/** Papers the counter prints, rendered as PDF by the backend. */
export const printCalls = {
  'print.registerSheet': {
    access: 'clerk',
    request: z.union([z.object({ visitId: z.number() }), z.object({ date: DateText })]),
    response: z.object({ fileName: z.string(), path: z.string(), pdfBase64: z.string(), entryCount: z.number() }),
  },
} as const satisfies CallSpecs;
