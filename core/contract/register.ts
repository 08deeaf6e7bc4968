import { z } from 'zod';
import { CHAIN_PROBLEMS, ENTRY_KINDS } from '../register/terms';
import { DateText, Empty, type CallSpecs } from './shared';

export const RegisterEntryViewSchema = z.object({
  seq: z.number(),
  at: z.string(),
  kind: z.enum(ENTRY_KINDS),
  /** For a 更正 entry: the entry it corrects. */
  correctsSeq: z.number().nullable(),
  /** The 更正 entries that correct this one, oldest first. */
  correctedBy: z.array(z.number()),
  sealName: z.string(),
  sealKind: z.string(),
  documentKind: z.string(),
  count: z.number(),
  unit: z.string(),
  agentName: z.string(),
  agentPhone: z.string(),
  slipNo: z.string(),
  purpose: z.string(),
  clerk: z.string(),
  clerkAccount: z.string(),
  approver: z.string(),
  signMethod: z.string(),
  /** Warnings the clerk acknowledged for this sealing, with their reasons. */
  remarks: z.string(),
  visitId: z.number(),
  hash: z.string(),
});

const ChainReportSchema = z.union([
  z.object({ intact: z.literal(true), count: z.number() }),
  z.object({
    intact: z.literal(false),
    count: z.number(),
    firstBreak: z.object({ seq: z.number(), problem: z.enum(CHAIN_PROBLEMS), message: z.string() }),
  }),
]);


/** Fields of an entry a 更正 may restate; the seal and the document kind are facts of the sealing itself. */
const CorrectionChangesSchema = z.object({
  count: z.number().int().min(0).max(100000).optional(),
  unit: z.string().trim().min(1).max(100).optional(),
  agentName: z.string().trim().min(1).max(40).optional(),
  agentPhone: z.string().trim().regex(/^[\d\-+ ]{7,20}$/, '经办人电话应为 7–20 位数字').optional(),
  slipNo: z.string().trim().max(40).optional(),
  purpose: z.string().trim().min(1).max(100).optional(),
  approver: z.string().trim().max(20).optional(),
  signMethod: z.string().trim().min(1).max(40).optional(),
});

export const BatchViewSchema = z.object({
  batchNo: z.number(),
  workstationId: z.string(),
  firstSeq: z.number(),
  lastSeq: z.number(),
  entryCount: z.number(),
  lastHash: z.string(),
  createdAt: z.string(),
  /** When the hub acknowledged it; null while it waits in the outbox. */
  acknowledgedAt: z.string().nullable(),
});

const BatchCheckSchema = z.object({ batchNo: z.number(), firstSeq: z.number(), lastSeq: z.number(), ok: z.boolean(), message: z.string() });

/** The seal-usage register, its 更正 entries, the day-close batches and the workstation's key. */
export const registerCalls = {
  'register.list': {
    access: 'clerk',
    request: z.object({ from: DateText.optional(), to: DateText.optional(), unit: z.string().optional(), visitId: z.number().optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }),
    response: z.object({ total: z.number(), entries: z.array(RegisterEntryViewSchema) }),
  },
  'register.verify': {
    access: 'clerk', request: Empty, response: ChainReportSchema },
  /** Sealings, 更正 and day closes refused because the register had been changed outside the app, newest first. */
  'register.refusals': {
    access: 'clerk',
    request: Empty,
    response: z.array(z.object({ at: z.string(), action: z.string(), account: z.string(), message: z.string() })),
  },
  'register.correct': {
    access: 'supervisor',
    request: z.object({ seq: z.number().int().min(1), reason: z.string().trim().min(2, '请填写更正理由').max(200), changes: CorrectionChangesSchema }),
    response: RegisterEntryViewSchema,
  },
  'batches.list': { access: 'clerk', request: Empty, response: z.array(BatchViewSchema) },
  'batches.closeDay': {
    access: 'clerk',
    request: Empty,
    /** `created` is null when nothing was sealed since the last batch: closing twice changes nothing. */
    response: z.object({ created: BatchViewSchema.nullable(), latest: BatchViewSchema.nullable() }),
  },
  'batches.verify': { access: 'clerk', request: Empty, response: z.object({ batches: z.array(BatchCheckSchema) }) },
  'workstation.info': {
    access: 'clerk',
    request: Empty,
    response: z.object({ workstationId: z.string(), publicKey: z.string(), createdAt: z.string(), keyProtection: z.enum(['safeStorage', 'owner-only-file']), keyProtectionText: z.string(), keyPath: z.string() }),
  },
  'workstation.exportKey': { access: 'admin', request: Empty, response: z.object({ fileName: z.string(), json: z.string() }) },
} as const satisfies CallSpecs;

export type RegisterEntryView = z.infer<typeof RegisterEntryViewSchema>;
export type BatchView = z.infer<typeof BatchViewSchema>;
