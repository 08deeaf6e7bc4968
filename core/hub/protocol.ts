import { z } from 'zod';
import type { BatchPayload } from '../register/batch';
import { ENTRY_KINDS } from '../register/terms';

/**
 * The hub's HTTP API: request and answer shapes, shared by the hub (which validates what
 * workstations send) and the workstation's client (which validates what the hub answers).
 * Pure: zod and types only, so the desktop app can import it without the hub's server code.
 */
export const HUB_PATHS = {
  health: '/v1/health',
  batches: '/v1/batches',
  state: '/v1/state',
  conflicts: '/v1/conflicts',
  publications: '/v1/publications',
  /** The province's statement naming the hub's answer key (unsigned request, like health). */
  hubKey: '/v1/hub-key',
} as const;

/** The file a workstation exports (seal-counter export-key, 设置 › 导出公钥) and the hub enrols (hub-enroll). */
export const WORKSTATION_KEY_FORMAT = 'seal-counter-workstation-key/1';
export const WorkstationKeyFileSchema = z.object({
  format: z.literal(WORKSTATION_KEY_FORMAT),
  workstationId: z.string(),
  publicKey: z.string(),
  officeName: z.string(),
  exportedAt: z.string(),
});
export type WorkstationKeyFile = z.infer<typeof WorkstationKeyFileSchema>;

/** Why the hub would not talk to a workstation at all (HTTP 401). */
export const REFUSAL_REASONS = ['unenrolled', 'bad-signature', 'stale', 'replay'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const HUB_NAME = 'seal-counter-hub';
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

const hash = z.string().regex(/^[0-9a-f]{64}$/);
const seqNo = z.number().int().positive();
const count = z.number().int().nonnegative();
const text = z.string().max(10_000);

// Strict objects throughout: an entry's hash covers exactly these fields, so a field the hub does
// not know cannot be stored as if it had been checked.
const RegisterEntrySchema = z.strictObject({
  seq: seqNo,
  at: text,
  kind: z.enum(ENTRY_KINDS),
  correctsSeq: seqNo.nullable(),
  sealId: text,
  sealName: text,
  sealKind: text,
  documentKind: text,
  count: count,
  unit: text,
  agentName: text,
  agentPhone: text,
  slipNo: text,
  purpose: text,
  clerk: text,
  clerkAccount: text,
  approver: text,
  signMethod: text,
  remarks: text,
  visitId: count,
  attachmentsDigest: hash,
  prevHash: hash,
  hash: hash,
});

/** A ledger record as its entry bound it: canonical JSON of an object with a `kind`. */
const AttachedRecordSchema = z.strictObject({
  entrySeq: seqNo,
  canonical: z.string().max(100_000).refine((text) => {
    try {
      const value = JSON.parse(text) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { kind?: unknown }).kind === 'string';
    } catch {
      return false;
    }
  }, '台账记录应为带 kind 的 JSON 对象'),
});

const SignedBatchSchema = z.strictObject({
  workstationId: z.string().regex(/^WS-[0-9A-F]{12}$/),
  batchNo: seqNo,
  firstSeq: seqNo,
  lastSeq: count,
  entryCount: count,
  prevHash: hash,
  lastHash: hash,
  recordsHash: hash,
  createdAt: text,
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});

export const BatchPayloadSchema = z.strictObject({
  batch: SignedBatchSchema,
  entries: z.array(RegisterEntrySchema),
  records: z.array(AttachedRecordSchema),
}) satisfies z.ZodType<BatchPayload>;

/** Why a batch was refused as forged or malformed (400). */
export const BATCH_REJECTIONS = ['malformed', 'wrong-workstation', 'bad-batch-signature', 'content', 'broken-link'] as const;
export type BatchRejection = (typeof BATCH_REJECTIONS)[number];

export const BatchAnswerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('accepted'), batchNo: seqNo, nextBatchNo: seqNo, nextSeq: seqNo }),
  z.object({ status: z.literal('duplicate'), batchNo: seqNo, nextBatchNo: seqNo, nextSeq: seqNo }),
  z.object({ status: z.literal('gap'), expectedBatchNo: seqNo, expectedFirstSeq: seqNo, message: z.string() }),
  z.object({ status: z.literal('equivocation'), batchNo: seqNo, message: z.string() }),
  z.object({ status: z.literal('rejected'), reason: z.enum(BATCH_REJECTIONS), message: z.string() }),
]);
export type BatchAnswer = z.infer<typeof BatchAnswerSchema>;

export const RefusedAnswerSchema = z.object({ status: z.literal('refused'), reason: z.enum(REFUSAL_REASONS), message: z.string() });
export type RefusedAnswer = z.infer<typeof RefusedAnswerSchema>;

/** Any other failure the hub reports (unknown path, wrong method, a body where none belongs, too large, too many requests, internal error). */
export const ErrorAnswerSchema = z.object({ status: z.enum(['not-found', 'method-not-allowed', 'bad-request', 'too-large', 'rate-limited', 'error']), message: z.string() });

export const HealthAnswerSchema = z.object({ ok: z.literal(true), hub: z.literal(HUB_NAME) });

export const StateAnswerSchema = z.object({
  workstationId: z.string(),
  /** 0 when the hub holds nothing from this workstation. */
  lastBatchNo: count,
  lastSeq: count,
  /** GENESIS_HASH when the hub holds nothing from this workstation. */
  lastHash: hash,
});
export type StateAnswer = z.infer<typeof StateAnswerSchema>;

export const CONFLICT_KINDS = ['cert-no', 'person'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const SightingSchema = z.object({
  workstationId: z.string(),
  officeName: z.string(),
  entrySeq: seqNo,
  certNo: z.string(),
  idNumber: z.string(),
  name: z.string(),
  qualification: z.string(),
  unit: z.string(),
  sealedAt: z.string(),
  reissue: z.boolean(),
});
export type Sighting = z.infer<typeof SightingSchema>;

/**
 * A cross-office conflict. `certNo` (for cert-no) or `idNumber` + `qualification` (for person)
 * is what the sightings share; the other fields describe the earliest sighting.
 */
export const ConflictSchema = z.object({
  id: z.string(),
  kind: z.enum(CONFLICT_KINDS),
  certNo: z.string(),
  idNumber: z.string(),
  name: z.string(),
  qualification: z.string(),
  detectedAt: z.string(),
  sightings: z.array(SightingSchema),
});
export type HubConflict = z.infer<typeof ConflictSchema>;

export const ConflictsAnswerSchema = z.object({ conflicts: z.array(ConflictSchema) });

/** Publications are parsed item by item by the client (SignedPublicationSchema), so one bad item is named. */
export const PublicationsAnswerSchema = z.object({ publications: z.array(z.unknown()) });
