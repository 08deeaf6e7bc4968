import { z } from 'zod';
import { STOCK_ENTRY_KINDS } from '../register/terms';
import { BALANCE_FLAGS, DEFAULT_SLIP_PATTERN, ISSUE_BASES, ISSUE_BASIS_LABEL, REQUEST_DEADLINE_MONTH_DAY, SPARE_PERCENT, WORKER_GRADES } from '../stock/terms';
import { WORKER_CERTIFICATE } from '../verify/certificateTypes';
import { CertificateTypeSchema, DateText, FileUpload, type CallSpecs } from './shared';

/**
 * The office's stock (DOMAIN.md §10, §13): blank certificates received, issued and returned
 * spoiled, the reconciliation, and the yearly stamp-slip requests and their numbered slips.
 * Counts are checked by the stock rules (core/stock/rules.ts), which say in Chinese what is wrong
 * with 0, -3 or 2.5; the schemas only refuse what is not a number at all.
 */
const Count = (label: string) => z.number({ error: `${label}应为正整数` });
const Year = z.number({ error: '年度应为四位年份' }).int('年度应为四位年份').min(2000, '年度应为四位年份').max(2100, '年度应为四位年份');
const Unit = z.string({ error: '请填写用章单位' }).trim().min(1, '请填写用章单位').max(100, '用章单位名称过长');
const ShortText = (label: string, max = 40) => z.string().trim().max(max, `${label}过长`).default('');
const RangeText = z.object({ first: z.string().trim().min(1, '请填写起号').max(40, '编号过长'), last: z.string().trim().max(40, '编号过长').default('') });
const GradeCount = (grade: (typeof WORKER_GRADES)[number]) => z.number({ error: `${grade}数量应为整数` }).optional();
const Grades = z.object({ 初级: GradeCount('初级'), 中级: GradeCount('中级'), 高级: GradeCount('高级'), 技师: GradeCount('技师') });

const NumberRangeSchema = z.object({ first: z.string(), last: z.string() });

export const StockMovementViewSchema = z.object({
  seq: z.number(),
  at: z.string(),
  kind: z.enum(STOCK_ENTRY_KINDS),
  clerk: z.string(),
  unit: z.string(),
  certificateType: z.string(),
  year: z.number(),
  count: z.number(),
  /** The movement in one line, as the stock page lists it. */
  description: z.string(),
});

const IssueViewSchema = StockMovementViewSchema.extend({
  basis: z.enum(ISSUE_BASES),
  base: z.number(),
  spares: z.number(),
  sparesReason: z.string(),
  grades: z.record(z.string(), z.number()).nullable(),
  ranges: z.array(NumberRangeSchema),
});

const BalanceLineSchema = z.object({
  unit: z.string(),
  certificateType: z.string(),
  year: z.number(),
  issued: z.number(),
  spares: z.number(),
  exchanged: z.number(),
  sealed: z.number(),
  spoiled: z.number(),
  held: z.number(),
  ranges: z.array(NumberRangeSchema),
  flags: z.array(z.object({ code: z.enum(BALANCE_FLAGS), message: z.string() })),
});

const OfficeStockLineSchema = z.object({
  certificateType: z.string(),
  year: z.number(),
  received: z.number(),
  issued: z.number(),
  onHand: z.number(),
  rangesOnHand: z.array(NumberRangeSchema),
});

export const SlipRequestViewSchema = z.object({
  seq: z.number(),
  at: z.string(),
  clerk: z.string(),
  unit: z.string(),
  year: z.number(),
  arrivedOn: z.string(),
  late: z.boolean(),
  /** An administrator put the late request in the plan after all. */
  admitted: z.object({ seq: z.number(), at: z.string(), by: z.string(), reason: z.string() }).nullable(),
  inPlan: z.boolean(),
  slipCount: z.number(),
  contact: z.string(),
  phone: z.string(),
  note: z.string(),
  attachments: z.array(z.object({ index: z.number(), fileName: z.string(), rows: z.number(), sha256: z.string() })),
  /** The slips numbered for it so far. */
  slips: z.array(z.string()),
});

const IssuedSlipSchema = z.object({ slipNo: z.string(), unit: z.string(), year: z.number(), issuedOn: z.string() });
const PrintedSchema = z.object({ fileName: z.string(), path: z.string(), pdfBase64: z.string() });

export const stockCalls = {
  'stock.receive': {
    access: 'supervisor',
    request: z.object({
      certificateType: CertificateTypeSchema,
      year: Year,
      count: Count('入库数量').nullable().default(null),
      ranges: z.array(RangeText).max(100, '一次最多登记 100 个号段').default([]),
      supplier: ShortText('印制单位', 60),
    }),
    response: StockMovementViewSchema,
  },
  'stock.issue': {
    access: 'supervisor',
    request: z.object({
      unit: Unit,
      certificateType: CertificateTypeSchema,
      year: Year,
      basis: z.enum(ISSUE_BASES, { error: '请选择发放依据' }),
      /** basis plan, and exchange of worker-grade certificates: the counts per grade. */
      grades: Grades.nullable().default(null),
      /** basis roster: the unit's 登记表, whose data rows are counted. */
      roster: z.object(FileUpload).nullable().default(null),
      /** basis exchange (other types): how many blanks against the spoiled ones. */
      count: Count('换领数量').nullable().default(null),
      /** null: the rule's spares (5% of the 登记表 rounded up, none otherwise). */
      spares: z.number({ error: '备用证书数应为整数' }).nullable().default(null),
      sparesReason: ShortText('理由', 200),
      ranges: z.array(RangeText).max(100, '一次最多发放 100 个号段').default([]),
      contact: ShortText('联系人', 20),
      phone: ShortText('联系电话', 20),
    }),
    response: IssueViewSchema,
  },
  'stock.spoiled': {
    access: 'clerk',
    request: z.object({
      unit: Unit,
      certificateType: CertificateTypeSchema,
      year: Year,
      certNos: z.array(z.string().max(40, '编号过长')).min(1, '请扫描或输入退回的废证编号').max(10000, '一次最多登记 10000 本废证'),
    }),
    response: z.object({ movement: StockMovementViewSchema, certNos: z.array(z.string()) }),
  },
  'stock.balance': {
    access: 'clerk',
    request: z.object({ year: Year, unit: z.string().trim().max(100).optional(), certificateType: CertificateTypeSchema.optional() }),
    response: z.object({ year: z.number(), lines: z.array(BalanceLineSchema), office: z.array(OfficeStockLineSchema) }),
  },
  'stock.movements': {
    access: 'clerk',
    request: z.object({ year: Year.optional(), unit: z.string().trim().max(100).optional() }),
    response: z.array(StockMovementViewSchema),
  },
  'stock.print': {
    access: 'clerk',
    request: z.discriminatedUnion('document', [
      z.object({ document: z.literal('issueSlip'), seq: z.number().int().positive() }),
      z.object({ document: z.literal('planForm'), seq: z.number().int().positive() }),
      z.object({ document: z.literal('statement'), year: Year, unit: z.string().trim().max(100).optional() }),
    ]),
    response: PrintedSchema,
  },
  'stock.exportStatement': {
    access: 'clerk',
    request: z.object({ year: Year, unit: z.string().trim().max(100).optional() }),
    response: z.object({ fileName: z.string(), path: z.string(), xlsxBase64: z.string() }),
  },
  'slipRequests.record': {
    access: 'clerk',
    request: z.object({
      unit: Unit,
      year: Year,
      arrivedOn: DateText,
      slipCount: Count('请领凭条数'),
      contact: ShortText('联系人', 20),
      phone: ShortText('联系电话', 20),
      note: ShortText('备注', 200),
      files: z.array(z.object(FileUpload)).min(1, '请附上上年度发证名册电子文档').max(10, '一次最多附 10 个文件'),
    }),
    response: SlipRequestViewSchema,
  },
  'slipRequests.admitLate': {
    access: 'admin',
    request: z.object({ requestSeq: z.number().int().positive(), reason: z.string().trim().min(2, '请填写准予列入计划的理由').max(200, '理由过长') }),
    response: SlipRequestViewSchema,
  },
  'slipRequests.plan': {
    access: 'clerk',
    request: z.object({ year: Year }),
    response: z.object({ year: z.number(), deadline: z.string(), requests: z.array(SlipRequestViewSchema), slips: z.array(IssuedSlipSchema) }),
  },
  'slipRequests.number': {
    access: 'supervisor',
    request: z.object({ year: Year, pattern: z.string().trim().max(40, '编号规则过长').optional(), issuedOn: DateText.optional() }),
    response: z.object({ slips: z.array(IssuedSlipSchema), entrySeq: z.number() }),
  },
  'slipRequests.exportSlips': {
    access: 'clerk',
    request: z.object({ year: Year }),
    /** The slip issuance list as reference.import and hub-publish --slips read it. */
    response: z.object({ fileName: z.string(), csv: z.string(), count: z.number() }),
  },
  'slipRequests.attachment': {
    access: 'clerk',
    request: z.object({ requestSeq: z.number().int().positive(), index: z.number().int().min(0) }),
    response: z.object(FileUpload),
  },
} as const satisfies CallSpecs;

export type StockMovementView = z.infer<typeof StockMovementViewSchema>;
export type SlipRequestView = z.infer<typeof SlipRequestViewSchema>;
export type IssueView = z.infer<typeof IssueViewSchema>;
export type BalanceView = z.infer<typeof stockCalls['stock.balance']['response']>;

/** The stock's words the screens use (the renderer imports only the contract). */
export const STOCK_WORDS = { WORKER_GRADES, ISSUE_BASES, ISSUE_BASIS_LABEL, DEFAULT_SLIP_PATTERN, SPARE_PERCENT, REQUEST_DEADLINE_MONTH_DAY, WORKER_CERTIFICATE } as const;
