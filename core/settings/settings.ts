import { z } from 'zod';
import { CertNoRuleSchema } from '../verify/certNo';
import { DEFAULT_OFFICE_TIME_ZONE, isKnownTimeZone } from '../time';
import { CERTIFICATE_TYPES, type CertificateType } from '../verify/certificateTypes';
import { ApplicationSettingsSchema, DEFAULT_APPLICATION_SETTINGS } from '../applications/settings';

export const SealSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.string().min(1),
  appliesTo: z.array(z.string()),
  documentKinds: z.array(z.enum(['证书', '登记表'])),
  requiresSlip: z.boolean(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export type Seal = z.infer<typeof SealSchema>;

/** An office's settings: one JSON document an administrator can move between workstations. */
export const SettingsSchema = z.object({
  officeName: z.string().min(1),
  seals: z.array(SealSchema),
  /** Keyed by certificate type; a type with no rule is not checked. */
  certNoRules: z.record(z.string(), CertNoRuleSchema),
  /** Weekdays (0 = Sunday) on which senior certificates are handled. */
  counterWeekdays: z.array(z.number().int().min(0).max(6)).default([2, 3, 4]),
  /** The office's time zone (IANA name): every time shown, printed, exported or hashed is its wall-clock time. */
  timeZone: z.string().refine(isKnownTimeZone, '时区应为 IANA 时区名称，如 Asia/Shanghai').default(DEFAULT_OFFICE_TIME_ZONE),
  /** Minutes without keyboard or mouse before the screen locks. */
  idleLockMinutes: z.number().int().min(1).max(240).default(5),
  /** The central hub this workstation reports to, and the province key its publications are signed with. */
  hub: z.object({
    url: z.string().trim().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, '中心地址应为 http(s)://主机:端口'),
    provincePublicKey: z.string().trim().regex(/^[A-Za-z0-9+/]{43}=$/, '省厅公钥应为 44 个字符的 Base64（32 字节）'),
    /**
     * The hub's answer key, pinned: every answer must carry its signature. Given at enrolment
     * (hub-enroll prints it), or learned once from the hub's statement signed by the province key
     * above. Absent in settings written before answers were signed.
     */
    answerPublicKey: z.string().trim().regex(/^[A-Za-z0-9+/]{43}=$/, '集中服务器应答公钥应为 44 个字符的 Base64（32 字节）').optional(),
    /**
     * The hub's TLS certificate (or the province's CA), PEM, when it is not from an authority the
     * system trusts: then only this one is trusted for the hub.
     */
    tlsCertificate: z.string().trim().regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, '集中服务器证书应为 PEM 格式（-----BEGIN CERTIFICATE----- 开头）').optional(),
  }).nullable().default(null),
  /** Replacements, out-of-province confirmations and revocations (core/applications/settings.ts). */
  applications: ApplicationSettingsSchema.default(DEFAULT_APPLICATION_SETTINGS),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  officeName: '四川省人力资源和社会保障厅',
  seals: [
    { id: 'exam-steel', name: '职称考试证书专用章', kind: '钢印', appliesTo: ['专业技术资格证书', '职（执）业资格证书'], documentKinds: ['证书'], requiresSlip: false, validFrom: '2015-11-01', validTo: null },
    { id: 'exam-red', name: '职称考试证书专用章', kind: '红印', appliesTo: ['专业技术资格证书', '职（执）业资格证书'], documentKinds: ['证书', '登记表'], requiresSlip: false, validFrom: '2015-11-01', validTo: null },
    { id: 'senior-steel', name: '高级职务资格证书专用章', kind: '钢印', appliesTo: ['高级专业技术职务资格证书'], documentKinds: ['证书'], requiresSlip: true, validFrom: '2015-11-01', validTo: null },
    // The notices name no seal for worker-grade certificates, only that they are embossed (拓印).
    { id: 'worker-steel', name: '工人技术等级资格证书专用章', kind: '钢印', appliesTo: ['工人技术等级资格证书'], documentKinds: ['证书'], requiresSlip: false, validFrom: '2012-01-01', validTo: null },
  ],
  certNoRules: { 工人技术等级资格证书: { kind: 'sichuanWorker11' } },
  counterWeekdays: [2, 3, 4],
  timeZone: DEFAULT_OFFICE_TIME_ZONE,
  idleLockMinutes: 5,
  hub: null,
  applications: DEFAULT_APPLICATION_SETTINGS,
};

export interface SealUse {
  seal: Seal;
  documentKind: '证书' | '登记表';
}

/** Every (seal, document kind) a visit of this certificate type uses on `date`: one register entry each. */
export function sealUsesFor(settings: Settings, certificateType: CertificateType, date: string): SealUse[] {
  return settings.seals
    .filter((seal) => seal.appliesTo.includes(certificateType) && seal.validFrom <= date && (seal.validTo == null || date <= seal.validTo))
    .flatMap((seal) => seal.documentKinds.map((documentKind) => ({ seal, documentKind })));
}

export function isCertificateType(value: string): value is CertificateType {
  return (CERTIFICATE_TYPES as readonly string[]).includes(value);
}
