import { z } from 'zod';
import { SUMMARY_FORMS } from '../applications/settings';
import {
  APPLICATION_CHANNELS, APPLICATION_CODES, ARRIVALS, CONFIRMATION_MATERIALS, CONFIRMATION_STATUSES, DAMAGE_REASONS, EMPLOYMENT_PROOFS, LOSS_NOTICE_FIELDS,
  RECOGNITION_KINDS, REFUSAL_REASONS, REPLACEMENT_KINDS, REPLACEMENT_MATERIALS, REPLACEMENT_STATUSES, TITLE_LEVELS, TITLE_ROUTES, UNIT_MANAGEMENT,
} from '../applications/terms';
import { normalizeDate } from '../verify/text';
import { CertificateTypeSchema, FileUpload, type CallSpecs } from './shared';

/** A real calendar date written YYYY-MM-DD, or the field's own sentence. */
const date = (what: string) => z.string().trim().refine((text) => normalizeDate(text) === text, `${what}应为有效日期（YYYY-MM-DD）`);

const PersonSchema = z.object({
  name: z.string().trim().min(1, '请填写姓名').max(40),
  gender: z.enum(['男', '女'], { error: '请选择性别' }),
  idNumber: z.string().trim().min(1, '请填写身份证号码').max(30),
  workUnit: z.string().trim().min(1, '请填写工作单位').max(100),
  phone: z.string().trim().max(30).default(''),
});

const OriginalSchema = z.object({
  certNo: z.string().trim().min(1, '请填写原证书编号').max(40),
  certificateType: CertificateTypeSchema,
  qualification: z.string().trim().min(1, '请填写资格名称').max(60),
  major: z.string().trim().max(60).default(''),
  level: z.string().trim().max(20).default(''),
  approvedOn: date('取得时间'),
  approvalDoc: z.string().trim().max(60).default(''),
});

const LossNoticeSchema = z.object({
  newspaper: z.string().trim().max(60),
  issn: z.string().trim().max(30),
  publishedOn: date('登报日期'),
  fieldsNamed: z.array(z.enum(LOSS_NOTICE_FIELDS)),
});

const FindingSchema = z.object({ code: z.enum(APPLICATION_CODES), severity: z.enum(['error', 'warning']), message: z.string() });

export const ReplacementInputSchema = z.object({
  replacementKind: z.enum(REPLACEMENT_KINDS),
  channel: z.enum(APPLICATION_CHANNELS),
  submittedBy: z.string().trim().max(100).default(''),
  person: PersonSchema,
  original: OriginalSchema,
  lossNotice: LossNoticeSchema.nullable(),
  damage: z.object({ reason: z.enum(DAMAGE_REASONS), correction: z.string().trim().max(200) }).nullable(),
  materials: z.array(z.enum(REPLACEMENT_MATERIALS)),
  note: z.string().trim().max(200).default(''),
});

/**
 * A supervisor's confirmation of what only a supervisor may let through: given by the signed-in
 * account when it is a supervisor, otherwise by a supervisor who types their own password here.
 */
const ApprovalSchema = z.object({
  reason: z.string().trim().min(2, '请填写确认理由').max(200),
  username: z.string().trim().max(32).optional(),
  password: z.string().max(200).optional(),
});

const ActorSchema = z.object({ account: z.string(), name: z.string() });

const WindowSchema = z.object({ key: z.string(), deadline: z.string(), label: z.string() });

export const ReplacementViewSchema = z.object({
  appNo: z.string(),
  entrySeq: z.number(),
  filedAt: z.string(),
  replacementKind: z.enum(REPLACEMENT_KINDS),
  channel: z.enum(APPLICATION_CHANNELS),
  submittedBy: z.string(),
  person: PersonSchema,
  original: OriginalSchema,
  /** The ledger entry that sealed the original; null when it was entered from the paper. */
  originEntrySeq: z.number().nullable(),
  lossNotice: LossNoticeSchema.nullable(),
  damage: z.object({ reason: z.enum(DAMAGE_REASONS), correction: z.string() }).nullable(),
  materials: z.array(z.enum(REPLACEMENT_MATERIALS)),
  confirmation: z.object({ account: z.string(), name: z.string(), reason: z.string(), codes: z.array(z.enum(APPLICATION_CODES)) }).nullable(),
  windowed: z.boolean(),
  note: z.string(),
  clerk: z.string(),
  status: z.enum(REPLACEMENT_STATUSES),
  sent: z.object({ windowKey: z.string(), form: z.enum(SUMMARY_FORMS), sentAt: z.string(), entrySeq: z.number() }).nullable(),
  returned: z.object({ reason: z.string(), at: z.string(), by: ActorSchema }).nullable(),
  /** The sealing of the replacement that closed it: its entry, the new certificate (补发), the visit. */
  closed: z.object({ entrySeq: z.number(), certNo: z.string(), sealedAt: z.string(), visitId: z.number(), unit: z.string() }).nullable(),
});

const ConfirmationPersonSchema = PersonSchema.extend({ unitManagement: z.enum(UNIT_MANAGEMENT) });
const ConfirmationTitleSchema = z.object({
  qualification: z.string().trim().min(1, '请填写资格名称').max(60),
  major: z.string().trim().max(60).default(''),
  level: z.enum(TITLE_LEVELS),
  route: z.enum(TITLE_ROUTES),
  obtainedOn: date('取得时间'),
  approvalDoc: z.string().trim().max(60).default(''),
  issuedBy: z.string().trim().max(60).default(''),
  obtainedIn: z.string().trim().min(1, '请填写取得资格的省份或单位').max(40),
  certNo: z.string().trim().max(40).default(''),
});
const ConditionsSchema = z.object({
  approvedUnderNationalPolicy: z.boolean(),
  fileMovedIn: z.boolean(),
  employmentProof: z.enum(EMPLOYMENT_PROOFS).nullable(),
});

export const ConfirmationInputSchema = z.object({
  person: ConfirmationPersonSchema,
  title: ConfirmationTitleSchema,
  conditions: ConditionsSchema,
  arrival: z.enum(ARRIVALS),
  materials: z.array(z.enum(CONFIRMATION_MATERIALS)),
  note: z.string().trim().max(200).default(''),
});

export const ConfirmationViewSchema = z.object({
  appNo: z.string(),
  entrySeq: z.number(),
  filedAt: z.string(),
  person: ConfirmationPersonSchema,
  title: ConfirmationTitleSchema,
  conditions: ConditionsSchema,
  arrival: z.enum(ARRIVALS),
  materials: z.array(z.enum(CONFIRMATION_MATERIALS)),
  competentBody: z.string(),
  note: z.string(),
  clerk: z.string(),
  status: z.enum(CONFIRMATION_STATUSES),
  decision: z.object({
    decision: z.enum(['确认', '不予确认']),
    reason: z.enum(REFUSAL_REASONS).nullable(),
    reasonText: z.string(),
    falseMaterials: z.boolean(),
    note: z.string(),
    decidedOn: z.string(),
    at: z.string(),
    by: ActorSchema,
    entrySeq: z.number(),
    recognition: z.object({ kind: z.enum(RECOGNITION_KINDS), number: z.string() }).nullable(),
    bar: z.object({ from: z.string(), until: z.string() }).nullable(),
  }).nullable(),
  /** The register entry that sealed the 认定书. */
  sealing: z.object({ entrySeq: z.number(), at: z.string() }).nullable(),
});

export const RevocationViewSchema = z.object({
  idNumber: z.string(),
  name: z.string(),
  qualification: z.string(),
  document: z.string(),
  revokedOn: z.string(),
  barUntil: z.string().nullable(),
  reason: z.string(),
  /** 本窗口, or the version of the province's publication it came in. */
  source: z.string(),
  entrySeq: z.number(),
  lifted: z.boolean(),
});

const PdfSchema = z.object({ fileName: z.string(), path: z.string(), pdfBase64: z.string() });

/** Replacements (补办/换发), out-of-province confirmations (省外证书确认) and revocations (取消资格). */
export const applicationsCalls = {
  /** The original as this counter's ledger and approved lists know it, to fill the form from. */
  'replacements.lookupOriginal': {
    access: 'clerk',
    request: z.object({ certNo: z.string().trim().min(1, '请填写原证书编号').max(40) }),
    response: z.object({
      ledger: z.object({ certNo: z.string(), idNumber: z.string(), name: z.string(), qualification: z.string(), approvalDoc: z.string(), sealedAt: z.string(), unit: z.string(), entrySeq: z.number(), voided: z.boolean() }).nullable(),
      approved: z.object({ gender: z.string(), workUnit: z.string(), major: z.string(), level: z.string(), approvedOn: z.string(), approvalDoc: z.string(), certificateType: CertificateTypeSchema }).nullable(),
    }),
  },
  'replacements.check': {
    access: 'clerk',
    request: ReplacementInputSchema,
    response: z.object({ findings: z.array(FindingSchema), window: WindowSchema.nullable(), windowed: z.boolean() }),
  },
  'replacements.add': {
    access: 'clerk', request: ReplacementInputSchema.extend({ approval: ApprovalSchema.optional() }), response: ReplacementViewSchema },
  'replacements.list': {
    access: 'clerk',
    request: z.object({ status: z.enum(REPLACEMENT_STATUSES).optional(), query: z.string().trim().max(40).optional() }),
    response: z.object({ items: z.array(ReplacementViewSchema), nextWindow: WindowSchema.nullable(), waiting: z.number() }),
  },
  'replacements.return': {
    access: 'supervisor', request: z.object({ appNo: z.string().min(1), reason: z.string().trim().min(2, '请填写退回理由').max(200) }), response: ReplacementViewSchema },
  'replacements.markSent': {
    access: 'clerk',
    request: z.object({ appNos: z.array(z.string().min(1)).min(1, '请选择要报送的申请').max(10000), form: z.enum(SUMMARY_FORMS) }),
    response: z.object({ window: WindowSchema, items: z.array(ReplacementViewSchema) }),
  },
  /** The summary form as .xlsx: the applications waiting for the next window, or those named. */
  'replacements.export': {
    access: 'clerk',
    request: z.object({ form: z.enum(SUMMARY_FORMS), appNos: z.array(z.string().min(1)).max(10000).optional() }),
    response: z.object({ fileName: z.string(), dataBase64: z.string(), rowCount: z.number(), window: WindowSchema.nullable() }),
  },
  'replacements.print': {
    access: 'clerk',
    request: z.object({ form: z.enum(SUMMARY_FORMS), appNos: z.array(z.string().min(1)).max(10000).optional() }),
    response: PdfSchema.extend({ rowCount: z.number() }),
  },
  'confirmations.check': {
    access: 'clerk',
    request: ConfirmationInputSchema,
    response: z.object({ findings: z.array(FindingSchema), answer: z.literal('无需确认').nullable(), competentBody: z.string(), recognitionKind: z.enum(RECOGNITION_KINDS) }),
  },
  'confirmations.add': { access: 'clerk', request: ConfirmationInputSchema, response: ConfirmationViewSchema },
  'confirmations.list': {
    access: 'clerk',
    request: z.object({ status: z.enum(CONFIRMATION_STATUSES).optional(), query: z.string().trim().max(40).optional() }),
    response: z.object({ items: z.array(ConfirmationViewSchema) }),
  },
  'confirmations.decide': {
    access: 'supervisor',
    request: z.object({
      appNo: z.string().min(1),
      decision: z.enum(['确认', '不予确认']),
      reason: z.enum(REFUSAL_REASONS).nullable().default(null),
      falseMaterials: z.boolean().default(false),
      note: z.string().trim().max(200).default(''),
      decidedOn: date('决定日期'),
    }),
    response: ConfirmationViewSchema,
  },
  'confirmations.print': { access: 'clerk', request: z.object({ appNo: z.string().min(1) }), response: PdfSchema },
  /** Seals the printed 认定书 with the office's seal: a register entry like any other sealing. */
  'confirmations.seal': {
    access: 'clerk',
    request: z.object({ appNo: z.string().min(1), agentName: z.string().trim().min(1, '请填写领取人姓名').max(40), agentPhone: z.string().trim().regex(/^[\d\-+ ]{7,20}$/, '领取人电话应为 7–20 位数字') }),
    response: ConfirmationViewSchema,
  },
  'revocations.import': {
    access: 'supervisor', request: z.object({ ...FileUpload }), response: z.object({ added: z.number(), alreadyRecorded: z.number(), total: z.number() }) },
  'revocations.add': {
    access: 'supervisor',
    request: z.object({
      idNumber: z.string().trim().min(1, '请填写身份证号码').max(30),
      name: z.string().trim().min(1, '请填写姓名').max(40),
      qualification: z.string().trim().min(1, '请填写资格名称').max(60),
      document: z.string().trim().min(1, '请填写取消资格的文号').max(60),
      revokedOn: date('取消日期'),
      barUntil: date('限制截止日期').nullable().default(null),
      reason: z.string().trim().max(200).default(''),
    }),
    response: RevocationViewSchema,
  },
  'revocations.list': {
    access: 'clerk', request: z.object({ query: z.string().trim().max(40).optional() }), response: z.object({ items: z.array(RevocationViewSchema) }) },
} as const satisfies CallSpecs;

export type ReplacementView = z.infer<typeof ReplacementViewSchema>;
export type ConfirmationView = z.infer<typeof ConfirmationViewSchema>;
export type RevocationView = z.infer<typeof RevocationViewSchema>;
export type ReplacementInput = z.input<typeof ReplacementInputSchema>;
export type ConfirmationInput = z.input<typeof ConfirmationInputSchema>;

/** A call's request as its handler gets it: checked, trimmed and with its defaults filled in. */
export type ApplicationsRequest<N extends keyof typeof applicationsCalls> = z.output<(typeof applicationsCalls)[N]['request']>;
