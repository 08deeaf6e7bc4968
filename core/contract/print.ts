import { z } from 'zod';
import { PRINT_FORMS } from '../print/forms';
import { EXPORT_FORMS } from '../exports/forms';
import { RegisterEntryViewSchema } from './register';
import { DateText, type CallSpecs } from './shared';

const PrintScopeSchema = z.union([z.object({ visitId: z.number().int().positive() }), z.object({ date: DateText })]);

/** A paper the counter prints, as the renderer shows it and Chromium's PDF viewer prints it. */
export const PrintedFormSchema = z.object({ fileName: z.string(), path: z.string(), pdfBase64: z.string(), entryCount: z.number(), proofText: z.string() });

/** What checking a paper's QR found: the verdict in one sentence, then what the paper shows. */
export const PrintVerificationSchema = z.object({
  verified: z.boolean(),
  sentence: z.string(),
  /** Further sentences: what was checked, or what does not match. */
  details: z.array(z.string()),
  form: z.string().nullable(),
  workstationId: z.string().nullable(),
  /** The entries the paper shows, as this register holds them (none when they are another workstation's). */
  entries: z.array(z.object({ seq: z.number(), at: z.string(), kind: z.string(), seal: z.string(), documentKind: z.string(), count: z.number(), unit: z.string(), clerk: z.string() })),
});
export type PrintVerification = z.infer<typeof PrintVerificationSchema>;

const ExportScopeSchema = z.union([
  z.object({ visitId: z.number().int().positive() }),
  z.object({ date: DateText }),
  z.object({ from: DateText, to: DateText }),
  z.object({ year: z.number().int().min(2000).max(2100), unit: z.string().trim().max(100).optional() }),
]);

/** Papers the counter prints (PDF), the Excel forms it writes, and the agent's on-screen signature. */
export const printCalls = {
  'print.form': {
    access: 'clerk',
    request: z.object({ form: z.enum(PRINT_FORMS), scope: PrintScopeSchema }),
    response: PrintedFormSchema,
  },
  /** The text a 2D scanner typed from a paper's QR. */
  'print.verify': {
    access: 'clerk',
    request: z.object({ text: z.string().trim().min(1, '请扫描打印件上的二维码').max(2000) }),
    response: PrintVerificationSchema,
  },
  /** The agent's signature drawn on screen, bound into the register as a 签字 entry for the visit's sealing. */
  'print.sign': {
    access: 'clerk',
    request: z.object({ visitId: z.number().int().positive(), pngBase64: z.string().min(1).max(120_000) }),
    response: z.object({ entry: RegisterEntryViewSchema }),
  },
  'exports.form': {
    access: 'clerk',
    request: z.object({ form: z.enum(EXPORT_FORMS), scope: ExportScopeSchema }),
    response: z.object({ fileName: z.string(), path: z.string(), xlsxBase64: z.string(), rowCount: z.number() }),
  },
} as const satisfies CallSpecs;
