import { z } from 'zod';
import { CERTIFICATE_TYPES } from './certificateTypes';
import { ROLES, type Access } from './roles';
import { ConflictSchema } from './hubProtocol';
import { FINDING_CODES } from './findings';
import { SLIP_CODES } from './slips';
import { SettingsSchema } from './settings';
import { CHAIN_PROBLEMS, ENTRY_KINDS } from './registerTerms';

/**
 * The one API between the renderer and the backend. Both hosts (Electron IPC and loopback HTTP)
 * validate every request and response against these schemas and call the same handlers.
 */

const CertificateTypeSchema = z.enum(CERTIFICATE_TYPES);
const FileUpload = { fileName: z.string().min(1).max(255), dataBase64: z.string() };
const Empty = z.object({});

/** Documents the unit shows at the counter, ticked per visit (DOMAIN.md §1). */
export const COUNTER_DOCUMENTS = ['任职资格文件复印件', '外语合格证复印件', '登记表'] as const;
export type CounterDocument = (typeof COUNTER_DOCUMENTS)[number];

const SlipFindingSchema = z.object({ code: z.enum(SLIP_CODES), message: z.string() });

const FindingSchema = z.object({ code: z.enum(FINDING_CODES), severity: z.enum(['error', 'warning']), message: z.string() });
const VerdictSchema = z.enum(['pass', 'warning', 'error']);

export const ListSummarySchema = z.object({
  id: z.number(),
  approvalDoc: z.string(),
  title: z.string(),
  certificateType: CertificateTypeSchema,
  rowCount: z.number(),
  sourceFile: z.string(),
  importedAt: z.string(),
});

export const ApprovedPersonSchema = z.object({
  listId: z.number(),
  line: z.number(),
  name: z.string(),
  gender: z.string(),
  idNumber: z.string(),
  workUnit: z.string(),
  department: z.string(),
  major: z.string(),
  qualification: z.string(),
  level: z.string(),
  approvedOn: z.string(),
  langRequirement: z.string(),
  approvalDoc: z.string(),
});

const RejectedRowSchema = z.object({ line: z.number(), reason: z.string() });

const ListDiffSchema = z.object({
  added: z.number(),
  removed: z.number(),
  changed: z.number(),
  /** The first differences, for the clerk to read before confirming. */
  samples: z.array(z.object({ change: z.enum(['added', 'removed', 'changed']), idNumber: z.string(), name: z.string(), detail: z.string() })),
});

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

const RoleSchema = z.enum(ROLES);

export const AccountViewSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
  disabled: z.boolean(),
});

const AuthStatusSchema = z.object({
  /** No account exists yet: the first run creates the administrator. */
  needsSetup: z.boolean(),
  account: z.object({ id: z.number(), username: z.string(), displayName: z.string(), role: RoleSchema }).nullable(),
  locked: z.boolean(),
});

const Password = z.string().min(8, '密码至少 8 位').max(200);
const NewAccountFields = {
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, '用户名应为 2–32 位字母、数字或 _ . -'),
  displayName: z.string().trim().min(1, '请填写姓名').max(20),
  password: Password,
};

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

const BatchCheckSchema = z.object({ batchNo: z.number(), firstSeq: z.number(), lastSeq: z.number(), ok: z.boolean(), message: z.string() });

const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const contract = {
  'app.info': {
    access: 'public',
    request: Empty,
    response: z.object({ officeName: z.string(), dbPath: z.string(), version: z.string(), schemaVersion: z.number(), today: z.string() }),
  },
  'settings.get': {
    access: 'clerk', request: Empty, response: SettingsSchema },
  'settings.save': {
    access: 'admin', request: SettingsSchema, response: SettingsSchema },
  'lists.preview': {
    access: 'supervisor',
    request: z.object({ ...FileUpload }),
    response: z.object({
      approvalDoc: z.string(),
      title: z.string(),
      certificateType: CertificateTypeSchema,
      headerLine: z.number(),
      rowCount: z.number(),
      rejected: z.array(RejectedRowSchema),
      alreadyImported: z.boolean(),
      /** When the 批准文号 is already imported: what importing this file would change. */
      diff: ListDiffSchema.nullable(),
    }),
  },
  'lists.import': {
    access: 'supervisor',
    request: z.object({
      ...FileUpload,
      approvalDoc: z.string().optional(),
      title: z.string().optional(),
      certificateType: CertificateTypeSchema.optional(),
      /** Confirms replacing the rows of a list already imported under the same 批准文号. */
      replaceExisting: z.boolean().optional(),
    }),
    response: ListSummarySchema,
  },
  'lists.list': {
    access: 'clerk', request: Empty, response: z.array(ListSummarySchema) },
  'lists.rows': {
    access: 'clerk',
    request: z.object({ listId: z.number().optional(), query: z.string().max(100).optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }),
    response: z.object({ total: z.number(), rows: z.array(ApprovedPersonSchema) }),
  },
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
  'register.list': {
    access: 'clerk',
    request: z.object({ from: DateText.optional(), to: DateText.optional(), unit: z.string().optional(), visitId: z.number().optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }),
    response: z.object({ total: z.number(), entries: z.array(RegisterEntryViewSchema) }),
  },
  'register.verify': {
    access: 'clerk', request: Empty, response: ChainReportSchema },
  'reference.import': {
    access: 'admin',
    request: z.object({ kind: z.enum(['slips', 'signers', 'holidays']), ...FileUpload }),
    response: z.object({ kind: z.enum(['slips', 'signers', 'holidays']), count: z.number() }),
  },
  'reference.summary': {
    access: 'clerk',
    request: Empty,
    response: z.object({ slips: z.number(), signers: z.number(), holidays: z.number() }),
  },
  'settings.export': {
    access: 'admin', request: Empty, response: z.object({ fileName: z.string(), json: z.string() }) },
  'settings.import': {
    access: 'admin', request: z.object({ json: z.string().max(1_000_000) }), response: SettingsSchema },
  'print.registerSheet': {
    access: 'clerk',
    request: z.union([z.object({ visitId: z.number() }), z.object({ date: DateText })]),
    response: z.object({ fileName: z.string(), path: z.string(), pdfBase64: z.string(), entryCount: z.number() }),
  },
  'auth.status': { access: 'public', request: Empty, response: AuthStatusSchema },
  'auth.setup': { access: 'public', request: z.object({ username: NewAccountFields.username, displayName: NewAccountFields.displayName, password: NewAccountFields.password }), response: AuthStatusSchema },
  'auth.signIn': { access: 'public', request: z.object({ username: z.string().trim().min(1, '请填写用户名').max(32), password: z.string().min(1, '请填写密码').max(200) }), response: AuthStatusSchema },
  'auth.signOut': { access: 'public', request: Empty, response: AuthStatusSchema },
  'auth.lock': { access: 'public', request: Empty, response: AuthStatusSchema },
  'auth.unlock': { access: 'public', request: z.object({ password: z.string().min(1, '请填写密码').max(200) }), response: AuthStatusSchema },
  'auth.changePassword': { access: 'clerk', request: z.object({ currentPassword: z.string().max(200), newPassword: Password }), response: AuthStatusSchema },
  'accounts.list': { access: 'admin', request: Empty, response: z.array(AccountViewSchema) },
  'accounts.create': { access: 'admin', request: z.object({ ...NewAccountFields, role: RoleSchema }), response: AccountViewSchema },
  'accounts.setDisabled': { access: 'admin', request: z.object({ accountId: z.number(), disabled: z.boolean() }), response: AccountViewSchema },
  'accounts.resetPassword': { access: 'admin', request: z.object({ accountId: z.number(), password: Password }), response: AccountViewSchema },
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
  'sync.status': { access: 'clerk', request: Empty, response: SyncStatusSchema },
  /** 同步: push the outbox and pull from the hub now, rather than at the next retry. */
  'sync.now': { access: 'clerk', request: Empty, response: SyncStatusSchema },
  'sync.conflicts': { access: 'clerk', request: Empty, response: z.array(ConflictSchema) },
} as const satisfies Record<string, { access: Access; request: z.ZodType; response: z.ZodType }>;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type Request<N extends CallName> = z.input<Contract[N]['request']>;
export type Response<N extends CallName> = z.output<Contract[N]['response']>;
export type Handlers = { [N in CallName]: (request: z.output<Contract[N]['request']>) => Promise<Response<N>> | Response<N> };

export type ListSummary = z.infer<typeof ListSummarySchema>;
export type ApprovedPerson = z.infer<typeof ApprovedPersonSchema>;
export type Visit = z.infer<typeof VisitSchema>;
export type VisitRow = z.infer<typeof VisitRowSchema>;
export type VisitDetail = z.infer<typeof VisitDetailSchema>;
export type RegisterEntryView = z.infer<typeof RegisterEntryViewSchema>;
export type AccountView = z.infer<typeof AccountViewSchema>;
export type BatchView = z.infer<typeof BatchViewSchema>;

/** Result envelope shared by both transports: a failure carries one Chinese sentence. */
export type CallErrorKind = 'user' | 'invalid' | 'internal' | 'signed-out' | 'locked' | 'forbidden';
export type CallResult<N extends CallName> = { ok: true; value: Response<N> } | { ok: false; error: { kind: CallErrorKind; message: string } };

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
