import { z } from 'zod';
import { FINDING_CODES } from '../verify/findings';
import { SLIP_CODES } from '../verify/slips';
import { RegisterEntryViewSchema } from './register';
import { CertificateTypeSchema, FileUpload, type CallSpecs } from './shared';

/** Documents the unit shows at the counter, ticked per visit (DOMAIN.md §1). */
export const COUNTER_DOCUMENTS = ['任职资格文件复印件', '外语合格证复印件', '登记表'] as const;
export type CounterDocument = (typeof COUNTER_DOCUMENTS)[number];

const SlipFindingSchema = z.object({ code: z.enum(SLIP_CODES), message: z.string() });

const FindingSchema = z.object({ code: z.enum(FINDING_CODES), severity: z.enum(['error', 'warning']), message: z.string() });
const VerdictSchema = z.enum(['pass', 'warning', 'error']);

export const VisitSchema = z.object({
  id: z.number(),
  createdAt: z.string(),
  unit: z.string(),
  agentName: z.string(),
  agentPhone: z.string(),
  certificateType: CertificateTypeSchema,
  slipNo: z.string(),
  slipCount: z.number().nullable(),
  slipSigner: z.string(),
  /** Slip findings (DOMAIN.md §5) as of now: any of them blocks sealing. */
  slipFindings: z.array(SlipFindingSchema),
  clerk: z.string(),
  purpose: z.string(),
  rosterFile: z.string().nullable(),
  documentsSeen: z.array(z.enum(COUNTER_DOCUMENTS)),
  /** OFF_COUNTER_DAY: why today is not a counter day for this certificate type, if it is not. */
  dayWarning: z.string().nullable(),
  dayAcknowledgement: z.string().nullable(),
  status: z.enum(['open', 'sealed']),
  sealedAt: z.string().nullable(),
  counts: z.object({ total: z.number(), pass: z.number(), warning: z.number(), error: z.number(), sealable: z.number() }),
});

export const VisitRowSchema = z.object({
  rowNo: z.number(),
  line: z.number(),
  certNo: z.string(),
  name: z.string(),
  gender: z.string(),
  idText: z.string(),
  workUnit: z.string(),
  major: z.string(),
  qualification: z.string(),
  approvedOn: z.string(),
  approvalDoc: z.string(),
  remark: z.string(),
  verdict: VerdictSchema,
  findings: z.array(FindingSchema),
  acknowledgement: z.string().nullable(),
  sealable: z.boolean(),
  /** Why an open visit's row may not be sealed yet, in Chinese; null when it may. */
  blockedBy: z.string().nullable(),
});

export const VisitDetailSchema = z.object({ visit: VisitSchema, rows: z.array(VisitRowSchema) });

/** A unit's visit to the counter: slip, roster, verdicts, confirmations, sealing. */
export const visitsCalls = {
  'visits.create': {
    access: 'clerk',
    request: z.object({
      unit: z.string().trim().min(1, '请填写用章单位'),
      agentName: z.string().trim().min(1, '请填写经办人姓名'),
      agentPhone: z.string().trim().regex(/^[\d\-+ ]{7,20}$/, '经办人电话应为 7–20 位数字'),
      certificateType: CertificateTypeSchema,
      slipNo: z.string().trim().max(40),
      slipCount: z.number().int().min(0).max(100000).optional(),
      slipSigner: z.string().trim().max(20).optional(),
      purpose: z.string().trim().max(100).optional(),
    }),
    response: VisitSchema,
  },
  'visits.list': {
    access: 'clerk', request: z.object({ status: z.enum(['open', 'sealed']).optional() }), response: z.array(VisitSchema) },
  'visits.get': {
    access: 'clerk', request: z.object({ visitId: z.number() }), response: VisitDetailSchema },
  'visits.importRoster': {
    access: 'clerk', request: z.object({ visitId: z.number(), ...FileUpload }), response: VisitDetailSchema },
  'visits.acknowledge': {
    access: 'clerk',
    request: z.object({ visitId: z.number(), lines: z.array(z.number()).min(1).max(100000), reason: z.string().trim().min(2, '请填写确认理由').max(200) }),
    response: VisitDetailSchema,
  },
  'visits.acknowledgeDay': {
    access: 'clerk',
    request: z.object({ visitId: z.number(), reason: z.string().trim().min(2, '请填写确认理由').max(200) }),
    response: VisitDetailSchema,
  },
  'visits.setDocuments': {
    access: 'clerk',
    request: z.object({ visitId: z.number(), documents: z.array(z.enum(COUNTER_DOCUMENTS)) }),
    response: VisitDetailSchema,
  },
  'visits.seal': {
    access: 'clerk',
    request: z.object({ visitId: z.number() }),
    response: z.object({ visit: VisitSchema, sealedCount: z.number(), entries: z.array(RegisterEntryViewSchema) }),
  },
} as const satisfies CallSpecs;

export type Visit = z.infer<typeof VisitSchema>;
export type VisitRow = z.infer<typeof VisitRowSchema>;
export type VisitDetail = z.infer<typeof VisitDetailSchema>;
