import { z } from 'zod';
import { FINDING_CODES } from '../verify/findings';
import { SLIP_CODES } from '../verify/slips';
import { RegisterEntryViewSchema } from './register';
import { CertificateTypeSchema, FileUpload, type CallSpecs } from './shared';

/** Documents the unit shows at the counter, ticked per visit (DOMAIN.md §1). */
export const COUNTER_DOCUMENTS = ['任职资格文件复印件', '外语合格证复印件', '登记表'] as const;
export type CounterDocument = (typeof COUNTER_DOCUMENTS)[number];

/** A warning (fewer rows to seal than the slip names) blocks sealing until the clerk gives a reason. */
export const SlipFindingSchema = z.object({ code: z.enum(SLIP_CODES), severity: z.enum(['error', 'warning']), message: z.string() });

/** The fields of an open visit a clerk may mend, each change with a reason. */
export const VISIT_MENDABLE = ['slipNo', 'slipCount', 'slipSigner', 'agentName', 'agentPhone'] as const;
export const VISIT_FIELD_LABEL: Record<(typeof VISIT_MENDABLE)[number], string> = {
  slipNo: '签章凭条编号', slipCount: '凭条上的证书数', slipSigner: '凭条签字人', agentName: '经办人姓名', agentPhone: '经办人电话',
};

const AgentPhone = z.string().trim().regex(/^[\d\-+ ]{7,20}$/, '经办人电话应为 7–20 位数字');
const Reason = z.string().trim().min(2, '请填写理由').max(200);

const AmendmentSchema = z.object({
  at: z.string(),
  clerk: z.string(),
  reason: z.string(),
  changes: z.array(z.object({ field: z.enum(VISIT_MENDABLE), before: z.string(), after: z.string() })),
});

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
  /** Why fewer certificates than the slip names are sealed (handed back to the unit), once confirmed. */
  slipCountReason: z.string().nullable(),
  clerk: z.string(),
  purpose: z.string(),
  rosterFile: z.string().nullable(),
  documentsSeen: z.array(z.enum(COUNTER_DOCUMENTS)),
  /** OFF_COUNTER_DAY: why today is not a counter day for this certificate type, if it is not. */
  dayWarning: z.string().nullable(),
  dayAcknowledgement: z.string().nullable(),
  status: z.enum(['open', 'sealed', 'voided']),
  sealedAt: z.string().nullable(),
  /** 作废本次办证: when, by whom and why; the slip is not consumed. */
  voided: z.object({ at: z.string(), by: z.string(), reason: z.string() }).nullable(),
  /** The last roster file that could not be read, and why, until another is imported. */
  rosterError: z.object({ fileName: z.string(), message: z.string() }).nullable(),
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

/** One certificate in the ledger, as the clerk reads it. */
export const CertificateViewSchema = z.object({
  certNo: z.string(),
  name: z.string(),
  idNumber: z.string(),
  qualification: z.string(),
  approvalDoc: z.string(),
  status: z.enum(['已签章', '已作废', '补发']),
  /** For 补发: the number it replaced; for 已作废: the number that replaced it. */
  relatedCertNo: z.string().nullable(),
  sealedAt: z.string(),
  visitId: z.number(),
  unit: z.string(),
  clerk: z.string(),
  entrySeq: z.number(),
});

export const VisitDetailSchema = z.object({
  visit: VisitSchema,
  rows: z.array(VisitRowSchema),
  /** Changes made to the visit before sealing, oldest first. */
  amendments: z.array(AmendmentSchema),
});

/** A unit's visit to the counter: slip, roster, verdicts, confirmations, sealing. */
export const visitsCalls = {
  'visits.create': {
    access: 'clerk',
    request: z.object({
      unit: z.string().trim().min(1, '请填写用章单位'),
      agentName: z.string().trim().min(1, '请填写经办人姓名'),
      agentPhone: AgentPhone,
      certificateType: CertificateTypeSchema,
      slipNo: z.string().trim().max(40),
      slipCount: z.number().int().min(0).max(100000).optional(),
      slipSigner: z.string().trim().max(20).optional(),
      purpose: z.string().trim().max(100).optional(),
    }),
    response: VisitSchema,
  },
  'visits.list': {
    access: 'clerk', request: z.object({ status: z.enum(['open', 'sealed', 'voided']).optional() }), response: z.array(VisitSchema) },
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
  'visits.mend': {
    access: 'clerk',
    request: z.object({
      visitId: z.number(),
      changes: z.object({
        slipNo: z.string().trim().max(40).optional(),
        slipCount: z.number().int().min(0).max(100000).optional(),
        slipSigner: z.string().trim().max(20).optional(),
        agentName: z.string().trim().min(1, '请填写经办人姓名').max(40).optional(),
        agentPhone: AgentPhone.optional(),
      }),
      reason: Reason,
    }),
    response: VisitDetailSchema,
  },
  'visits.void': {
    access: 'clerk', request: z.object({ visitId: z.number(), reason: Reason }), response: VisitDetailSchema },
  'visits.acknowledgeSlipCount': {
    access: 'clerk', request: z.object({ visitId: z.number(), reason: Reason }), response: VisitDetailSchema },
  /** The slip and the form as the clerk fills them in, checked before the visit exists. */
  'visits.checkDraft': {
    access: 'clerk',
    request: z.object({ unit: z.string().max(100), certificateType: CertificateTypeSchema.optional(), slipNo: z.string().max(40), slipSigner: z.string().max(20) }),
    response: z.object({ slipFindings: z.array(SlipFindingSchema), needsSlip: z.boolean() }),
  },
  /** What the counter knows for a new visit of this unit: its last agents, and the signers valid today. */
  'visits.hints': {
    access: 'clerk',
    request: z.object({ unit: z.string().max(100) }),
    response: z.object({ agents: z.array(z.object({ name: z.string(), phone: z.string() })), signers: z.array(z.string()), signer: z.string().nullable() }),
  },
  /** A number a scanner read anywhere: a slip issued to a unit, a certificate sealed here, or neither. */
  'visits.scan': {
    access: 'clerk',
    request: z.object({ code: z.string().trim().min(1).max(60) }),
    response: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('slip'), slipNo: z.string(), unit: z.string(), year: z.number(), certificateType: CertificateTypeSchema, openVisitId: z.number().nullable() }),
      z.object({ kind: z.literal('certificate'), certNo: z.string() }),
      z.object({ kind: z.literal('unknown'), message: z.string() }),
    ]),
  },
  'certificates.find': {
    access: 'clerk',
    request: z.object({ query: z.string().trim().min(1, '请输入证书编号、身份证号码或姓名').max(60) }),
    response: z.object({ certificates: z.array(CertificateViewSchema), message: z.string().nullable() }),
  },
} as const satisfies CallSpecs;

export type Visit = z.infer<typeof VisitSchema>;
export type VisitRow = z.infer<typeof VisitRowSchema>;
export type VisitDetail = z.infer<typeof VisitDetailSchema>;
export type CertificateView = z.infer<typeof CertificateViewSchema>;
export type SlipFindingView = z.infer<typeof SlipFindingSchema>;
export type VisitMendable = (typeof VISIT_MENDABLE)[number];
