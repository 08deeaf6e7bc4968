import { z } from 'zod';
import { CERTIFICATE_TYPES } from '../verify/certificateTypes';
import { LOSS_NOTICE_FIELDS, REPLACEMENT_MATERIALS, UNIT_MANAGEMENT } from './terms';

/** The summary forms a unit's applications are sent up with (DOMAIN.md §11). */
export const SUMMARY_FORMS = ['四川2015附件5', '安徽2013附件3附件4', '重庆2018附件2'] as const;
export type SummaryForm = (typeof SUMMARY_FORMS)[number];

const WindowSchema = z.object({
  /** The day by which the summary is sent up: Sichuan sends in May and November, Anhui by 31 October. */
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});
export type CollectionWindow = z.infer<typeof WindowSchema>;

/**
 * How this office handles the applications of DOMAIN.md §11, §12 and §14; part of the office's
 * settings document, so it travels with them between workstations. The defaults are Sichuan's
 * (2015): no waiting period for a loss notice, May and November windows for exam certificates.
 */
export const ApplicationSettingsSchema = z.object({
  /** Months a loss notice must have been published before a 补办 is accepted (Hubei: 6); 0 where the notice sets none. */
  lossNoticeWaitMonths: z.number().int().min(0).max(36),
  /** What the loss notice must name. */
  lossNoticeFields: z.array(z.enum(LOSS_NOTICE_FIELDS)).min(1),
  /** The materials each kind of replacement must bring. */
  replacementMaterials: z.object({ 补办: z.array(z.enum(REPLACEMENT_MATERIALS)), 换发: z.array(z.enum(REPLACEMENT_MATERIALS)) }),
  /** When applications are sent up; empty where they are handled as they come. */
  windows: z.array(WindowSchema),
  /** The certificate types sent up in the windows (national exam certificates, requested from the ministry); the others are made locally. */
  windowedTypes: z.array(z.enum(CERTIFICATE_TYPES)),
  /** The summary forms this office sends up with, the first offered first. */
  summaryForms: z.array(z.enum(SUMMARY_FORMS)).min(1),
  confirmation: z.object({
    /** Whether this office confirms senior titles (the provincial office does). */
    senior: z.boolean(),
    /** Intermediate and junior titles of units managed by whom this office confirms (none: it confirms no intermediate or junior title). */
    intermediateJuniorOf: z.array(z.enum(UNIT_MANAGEMENT)),
    /** The number of a 认定书, {year} and {seq} (three digits) filled in. */
    seniorNumber: z.string().min(1).refine((t) => t.includes('{seq}'), '认定书编号格式须包含 {seq}'),
    intermediateJuniorNumber: z.string().min(1).refine((t) => t.includes('{seq}'), '认定书编号格式须包含 {seq}'),
    /** The seal a 认定书 is sealed with. */
    seal: z.object({ id: z.string().min(1), name: z.string().min(1), kind: z.string().min(1) }),
    /** Years a person who gave false materials may not apply, counted from the year after the application (Hubei: 3). */
    falseMaterialsBarYears: z.number().int().min(0).max(10),
  }),
  /** Years a revoked person may not sit the exam or apply for review, where the list gives no date (Anhui: 5). */
  revocationBarYears: z.number().int().min(0).max(20),
});
export type ApplicationSettings = z.infer<typeof ApplicationSettingsSchema>;

export const DEFAULT_APPLICATION_SETTINGS: ApplicationSettings = {
  lossNoticeWaitMonths: 0,
  lossNoticeFields: ['姓名', '身份证号', '证书名称', '证书编号', '专业', '级别', '取得时间'],
  replacementMaterials: {
    补办: ['本人书面申请', '单位证明', '遗失声明报纸原件', '登记表或任职资格文件复印件', '本人近期免冠彩色照片'],
    换发: ['本人书面申请', '单位证明', '损坏或填错的证书原件', '登记表或任职资格文件复印件', '本人近期免冠彩色照片'],
  },
  windows: [{ month: 5, day: 31 }, { month: 11, day: 30 }],
  windowedTypes: ['专业技术资格证书', '职（执）业资格证书'],
  summaryForms: ['四川2015附件5'],
  confirmation: {
    senior: true,
    intermediateJuniorOf: ['省直'],
    seniorNumber: '高级职称认定〔{year}〕{seq}号',
    intermediateJuniorNumber: '中初级职称认定〔{year}〕{seq}号',
    seal: { id: 'title-office', name: '职称改革工作领导小组办公室印章', kind: '红印' },
    falseMaterialsBarYears: 3,
  },
  revocationBarYears: 5,
};
