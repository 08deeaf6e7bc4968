import { z } from 'zod';
import { RegisterEntryViewSchema } from './register';
import { CertificateTypeSchema, DateText, FileUpload, type CallSpecs } from './shared';
import { VisitDetailSchema } from './visits';

/**
 * The supervisor's desk (issue 19): 预审 of a roster before the counter day, 抽查 of what the
 * clerks sealed, and 统计 of the office's work — all read from the register and the ledger.
 */

const VerdictSchema = z.enum(['pass', 'warning', 'error']);

const PrecheckRowSchema = z.object({
  rowNo: z.number(),
  name: z.string(),
  idText: z.string(),
  certNo: z.string(),
  qualification: z.string(),
  verdict: VerdictSchema,
  findings: z.array(z.object({ code: z.string(), message: z.string() })),
});

export const PrecheckViewSchema = z.object({
  id: z.number(),
  at: z.string(),
  unit: z.string(),
  fileName: z.string(),
  /** SHA-256 of the file, and the short code printed on the report (its first 16 hex digits). */
  digest: z.string(),
  code: z.string(),
  certificateType: z.string().nullable(),
  counts: z.object({ total: z.number(), pass: z.number(), warning: z.number(), error: z.number() }),
  rows: z.array(PrecheckRowSchema),
});

/** A paper made by the backend: the PDF and the .xlsx, as files kept in the prints folder and as bytes. */
const PapersSchema = z.object({
  pdfFileName: z.string(),
  pdfBase64: z.string(),
  xlsxFileName: z.string(),
  xlsxBase64: z.string(),
});

const RosterChangeSchema = z.object({ change: z.enum(['新增', '删除', '修改']), rowNo: z.number(), name: z.string(), detail: z.string() });

export const PrecheckMatchSchema = z.object({
  /** none: no 预审 of this file or unit; match: the same file; changed: another file of the same unit. */
  status: z.enum(['none', 'match', 'changed']),
  message: z.string(),
  code: z.string().nullable(),
  changes: z.array(RosterChangeSchema),
});

/** What a spot check samples: single certificates, or whole sealed visits (all their rows at once). */
const SamplingSchema = z.enum(['certificates', 'visits']);

const SpotcheckFilterSchema = z.object({
  /** Certificates unless asked otherwise, as every draw was before visits could be sampled. */
  sampling: SamplingSchema.default('certificates'),
  from: DateText,
  to: DateText,
  unit: z.string().trim().max(100).optional(),
  clerk: z.string().trim().max(40).optional(),
  certificateType: CertificateTypeSchema.optional(),
});

export const SpotcheckDrawViewSchema = z.object({
  seq: z.number(),
  sampling: SamplingSchema,
  at: z.string(),
  supervisor: z.string(),
  seed: z.string(),
  from: z.string(),
  to: z.string(),
  unit: z.string(),
  clerk: z.string(),
  certificateType: z.string(),
  size: z.number().nullable(),
  percent: z.number().nullable(),
  populationSize: z.number(),
  sampleSize: z.number(),
  /** Earlier draws over the same period, filters and sampling (register seq): a redraw is never silent. */
  earlierDraws: z.array(z.number()),
  checked: z.number(),
  problems: z.number(),
});

const SpotcheckResultSchema = z.object({ verdict: z.enum(['合格', '有问题']), note: z.string(), by: z.string(), at: z.string(), seq: z.number() }).nullable();

export const SpotcheckItemSchema = z.object({
  certificateId: z.number(),
  certNo: z.string(),
  name: z.string(),
  idNumber: z.string(),
  qualification: z.string(),
  approvalDoc: z.string(),
  unit: z.string(),
  visitId: z.number(),
  sealedAt: z.string(),
  /** Who sealed it, as the register names the clerk. */
  clerk: z.string(),
  entrySeq: z.number(),
  /** What the clerk saw: the roster row, the findings at sealing, the acknowledgement and the documents ticked. */
  rosterRow: z.object({ rowNo: z.number(), workUnit: z.string(), major: z.string(), approvedOn: z.string(), remark: z.string() }).nullable(),
  findings: z.array(z.object({ code: z.string(), severity: z.string(), message: z.string() })),
  acknowledgement: z.string().nullable(),
  documentsSeen: z.array(z.string()),
  dayAcknowledgement: z.string().nullable(),
  slipNo: z.string(),
  approver: z.string(),
  result: SpotcheckResultSchema,
});

/** A sampled visit as the list of a draw shows it; what the clerk saw is fetched one visit at a time (spotcheck.visit). */
export const SpotcheckVisitItemSchema = z.object({
  visitId: z.number(),
  unit: z.string(),
  /** The unit's agent (经办人). */
  agentName: z.string(),
  certificateType: z.string(),
  slipNo: z.string(),
  /** When the ledger says it was sealed, and by whom, as the register names the clerk. */
  sealedAt: z.string(),
  clerk: z.string(),
  /** Certificates the ledger holds for the visit; roster rows, and of them those not sealed. */
  certificateCount: z.number(),
  rowCount: z.number(),
  refusedCount: z.number(),
  result: SpotcheckResultSchema,
});

/** Certificate draws list `items`, visit draws `visits`; the other list is empty. */
export const SpotcheckViewSchema = z.object({ draw: SpotcheckDrawViewSchema, items: z.array(SpotcheckItemSchema), visits: z.array(SpotcheckVisitItemSchema) });

/**
 * What the clerk saw of a sampled visit, whole: the visit as the counter showed it once sealed
 * (unit, agent, slip, documents ticked, the day acknowledgement, every roster row with its findings,
 * acknowledgement and whether it was sealed, the changes made before sealing) and the register
 * entries that name it (the sealing, the agent's signature, any 更正).
 */
export const SpotcheckVisitSeenSchema = z.object({ item: SpotcheckVisitItemSchema, detail: VisitDetailSchema, entries: z.array(RegisterEntryViewSchema) });

const StatsRequestSchema = z.object({ from: DateText, to: DateText });

/**
 * Blank stock in a period (services/supervision/stockStats.ts), per certificate type and stock
 * year and for the units that moved most: what came in, went out, was sealed and came back
 * spoiled in the period, and what units held before and after it (the reconciliation's held).
 */
const StockFlowShape = { certificateType: z.string(), year: z.number(), heldAtStart: z.number(), issued: z.number(), sealed: z.number(), spoiled: z.number(), heldAtEnd: z.number() };
const StockFiguresSchema = z.object({
  byType: z.array(z.object({ ...StockFlowShape, received: z.number(), onHandAtEnd: z.number() })),
  byUnit: z.array(z.object({ unit: z.string(), ...StockFlowShape })),
  /** How many units had blanks moving or held in the period; byUnit lists the first few. */
  unitCount: z.number(),
});

/** The charts the 统计 page draws, as a report names them. */
export const STATS_CHARTS = ['byDay', 'byWeek', 'byUnit', 'bySeal', 'byClerk', 'refusals', 'stockByType', 'stockByUnit'] as const;
const ChartImage = z.string().max(8_000_000, '图表图片过大').regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, '图表图片应为 PNG 格式');

export const StatsSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object({ certificates: z.number(), visits: z.number(), replacements: z.number(), refusedRows: z.number(), sealEntries: z.number() }),
  byDay: z.array(z.object({ date: z.string(), certificates: z.number(), replacements: z.number(), counterDay: z.boolean() })),
  byWeek: z.array(z.object({ week: z.string(), certificates: z.number() })),
  byUnit: z.array(z.object({ unit: z.string(), certificates: z.number(), visits: z.number() })),
  bySeal: z.array(z.object({ seal: z.string(), documentKind: z.string(), count: z.number() })),
  byClerk: z.array(z.object({ clerk: z.string(), certificates: z.number(), visits: z.number() })),
  refusals: z.array(z.object({ code: z.string(), label: z.string(), rows: z.number() })),
  batchesWaiting: z.object({ batches: z.number(), entries: z.number(), oldest: z.string().nullable(), unbatchedEntries: z.number() }),
  stock: StockFiguresSchema,
});

export const supervisionCalls = {
  'precheck.run': {
    access: 'clerk',
    request: z.object({ ...FileUpload, unit: z.string().trim().min(1, '请填写用章单位').max(100), certificateType: CertificateTypeSchema.optional() }),
    response: z.object({ precheck: PrecheckViewSchema, papers: PapersSchema }),
  },
  'precheck.forVisit': { access: 'clerk', request: z.object({ visitId: z.number() }), response: PrecheckMatchSchema },
  'spotcheck.draw': {
    access: 'supervisor',
    request: SpotcheckFilterSchema.extend({
      size: z.number().int().min(1, '抽样数量至少为 1').max(10000).optional(),
      percent: z.number().min(0.1).max(100).optional(),
      /** To draw again exactly as an earlier draw did; otherwise the backend makes one. */
      seed: z.string().trim().regex(/^[0-9a-f]{8,64}$/, '随机种子应为 8–64 位十六进制数字').optional(),
    }).refine((r) => (r.size === undefined) !== (r.percent === undefined), '请填写抽样数量或抽样比例（二选一）'),
    response: SpotcheckViewSchema,
  },
  'spotcheck.list': { access: 'supervisor', request: z.object({}), response: z.array(SpotcheckDrawViewSchema) },
  'spotcheck.get': { access: 'supervisor', request: z.object({ seq: z.number() }), response: SpotcheckViewSchema },
  'spotcheck.visit': { access: 'supervisor', request: z.object({ drawSeq: z.number(), visitId: z.number() }), response: SpotcheckVisitSeenSchema },
  'spotcheck.record': {
    access: 'supervisor',
    request: z.object({
      drawSeq: z.number(),
      /** The sampled certificate (a certificate draw) or the sampled visit (a visit draw). */
      certificateId: z.number().optional(),
      visitId: z.number().optional(),
      verdict: z.enum(['合格', '有问题']),
      note: z.string().trim().max(500),
    }).refine((r) => (r.certificateId === undefined) !== (r.visitId === undefined), '请指明所查的证书或办证（二选一）')
      .refine((r) => r.verdict === '合格' || r.note.length >= 2, '记录问题时请写明问题所在'),
    response: SpotcheckViewSchema,
  },
  'spotcheck.papers': { access: 'supervisor', request: z.object({ seq: z.number() }), response: PapersSchema },
  'stats.get': { access: 'supervisor', request: StatsRequestSchema, response: StatsSchema },
  'stats.export': { access: 'supervisor', request: StatsRequestSchema, response: z.object({ xlsxFileName: z.string(), xlsxBase64: z.string() }) },
  /** The page as a PDF for a report: the charts as the screen drew them, the tables from the register. */
  'stats.pdf': {
    access: 'supervisor',
    request: StatsRequestSchema.extend({ charts: z.array(z.object({ chart: z.enum(STATS_CHARTS), png: ChartImage })).max(STATS_CHARTS.length) }),
    response: z.object({ pdfFileName: z.string(), pdfBase64: z.string() }),
  },
} as const satisfies CallSpecs;

export type PrecheckView = z.infer<typeof PrecheckViewSchema>;
export type PrecheckMatch = z.infer<typeof PrecheckMatchSchema>;
export type SpotcheckView = z.infer<typeof SpotcheckViewSchema>;
export type SpotcheckDrawView = z.infer<typeof SpotcheckDrawViewSchema>;
export type SpotcheckItem = z.infer<typeof SpotcheckItemSchema>;
export type SpotcheckVisitItem = z.infer<typeof SpotcheckVisitItemSchema>;
export type SpotcheckVisitSeen = z.infer<typeof SpotcheckVisitSeenSchema>;
export type Stats = z.infer<typeof StatsSchema>;
export type StockFigures = Stats['stock'];
export type StatsChart = (typeof STATS_CHARTS)[number];
export type Papers = z.infer<typeof PapersSchema>;
