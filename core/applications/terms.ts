/**
 * The words of the applications the notices describe (DOMAIN.md §11, §12, §14): replacements of
 * lost or damaged certificates, confirmations of titles obtained in another province, and
 * revocations. Kept apart from the rules so that the contract and the screens can name them.
 */

/** 补办 replaces a lost certificate; 换发 a damaged or wrongly filled one (DOMAIN.md §11). */
export const REPLACEMENT_KINDS = ['补办', '换发'] as const;
export type ReplacementKind = (typeof REPLACEMENT_KINDS)[number];

/** Why a certificate is to be reissued (换发): the paper is damaged, or something on it is wrong. */
export const DAMAGE_REASONS = ['损坏', '填错'] as const;
export type DamageReason = (typeof DAMAGE_REASONS)[number];

/** How the application reached the counter: the person at the window, or in a unit's batch. */
export const APPLICATION_CHANNELS = ['窗口', '单位汇总'] as const;
export type ApplicationChannel = (typeof APPLICATION_CHANNELS)[number];

/**
 * What a loss notice (遗失声明) must name, Sichuan 2015: 姓名，身份证号，证书名称、编号、专业、级别
 * 和取得时间. Hubei 2013 asks for 性别、评审通过时间、遗失时间 as well; an office sets which it requires.
 */
export const LOSS_NOTICE_FIELDS = ['姓名', '性别', '身份证号', '证书名称', '证书编号', '专业', '级别', '取得时间', '遗失时间'] as const;
export type LossNoticeField = (typeof LOSS_NOTICE_FIELDS)[number];

/** The materials a replacement is applied for with (DOMAIN.md §11), as the clerk ticks them. */
export const REPLACEMENT_MATERIALS = ['本人书面申请', '单位证明', '遗失声明报纸原件', '损坏或填错的证书原件', '登记表或任职资格文件复印件', '申报评审表复印件', '身份证复印件', '本人近期免冠彩色照片'] as const;
export type ReplacementMaterial = (typeof REPLACEMENT_MATERIALS)[number];

/** How a title was obtained: only a title obtained by review is confirmed (DOMAIN.md §12). */
export const TITLE_ROUTES = ['评审', '全国统一考试'] as const;
export type TitleRoute = (typeof TITLE_ROUTES)[number];

export const TITLE_LEVELS = ['正高级', '副高级', '中级', '初级'] as const;
export type TitleLevel = (typeof TITLE_LEVELS)[number];

/** Who manages the applicant's unit: it decides who confirms an intermediate or junior title. */
export const UNIT_MANAGEMENT = ['省直', '市州'] as const;
export type UnitManagement = (typeof UNIT_MANAGEMENT)[number];

/** How the person came into the province: a transfer brings the order that moved them. */
export const ARRIVALS = ['个人调入', '单位调入', '军队转业安置', '成建制划转'] as const;
export type Arrival = (typeof ARRIVALS)[number];

/** Proof of working in the province: one of the two is a condition (DOMAIN.md §12). */
export const EMPLOYMENT_PROOFS = ['劳动（聘用）合同', '社保缴交凭证'] as const;
export type EmploymentProof = (typeof EMPLOYMENT_PROOFS)[number];

/** The materials of a confirmation (Hubei 2013 三（四）). */
export const CONFIRMATION_MATERIALS = [
  '确认申请表（一式两份）', '资格证书原件', '评审表原件', '任职资格文件复印件', '劳动合同或社保缴交凭证原件', '调令或部队安置证明复印件', '成建制划转政策文件', '职称申报系统电子数据', '身份证复印件', '近期免冠彩色照片',
] as const;
export type ConfirmationMaterial = (typeof CONFIRMATION_MATERIALS)[number];

/** The four grounds on which a confirmation is refused (Hubei 2013 三（五）4). */
export const REFUSAL_REASONS = ['不再从事专业技术工作', '未经同意在省外申报评审', '材料不完整或不真实', '其他不符合确认情形'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const REFUSAL_REASON_TEXT: Record<RefusalReason, string> = {
  不再从事专业技术工作: '来本省后不再从事专业技术工作',
  未经同意在省外申报评审: '本省专业技术人员未经同意和办理委托评审手续，自行在省外申报评审取得专业技术资格',
  材料不完整或不真实: '提交的确认材料不完整、不真实',
  其他不符合确认情形: '违反国家、省专业技术任职资格政策或不符合确认的其他情形',
};

/** Two kinds of 认定书: the provincial office's for senior titles, the city's or department's for the rest. */
export const RECOGNITION_KINDS = ['高级职称认定书', '中初级职称认定书'] as const;
export type RecognitionKind = (typeof RECOGNITION_KINDS)[number];

export const REPLACEMENT_STATUSES = ['待报送', '已报送', '待签章', '已办结', '已退回'] as const;
export type ReplacementStatus = (typeof REPLACEMENT_STATUSES)[number];

export const CONFIRMATION_STATUSES = ['待审核', '已确认', '不予确认', '无需确认'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

/**
 * Findings on an application, each with a stable code like the roster's (DOMAIN.md §4): an error
 * stops the application from being recorded; a warning is recorded only with a supervisor's
 * confirmation and reason.
 */
export const APPLICATION_CODES = [
  'ID_INVALID',
  'ORIGINAL_NOT_IN_LEDGER',
  'ORIGINAL_OTHER_PERSON',
  'ORIGINAL_DETAILS_DIFFER',
  'ORIGINAL_VOIDED',
  'ORIGINAL_PENDING',
  'NOTICE_MISSING',
  'NOTICE_NOT_QUALIFIED',
  'NOTICE_FIELDS_MISSING',
  'NOTICE_DATE_INVALID',
  'NOTICE_TOO_YOUNG',
  'CORRECTION_MISSING',
  'MATERIALS_MISSING',
  'QUAL_REVOKED',
  'PERSON_BARRED',
  'NOT_COMPETENT',
  'CONDITION_UNMET',
  'TITLE_DATE_INVALID',
  'ALREADY_CONFIRMED',
] as const;
export type ApplicationCode = (typeof APPLICATION_CODES)[number];

export const APPLICATION_CODE_LABEL: Record<ApplicationCode, string> = {
  ID_INVALID: '身份证号码无效',
  ORIGINAL_NOT_IN_LEDGER: '原证书不在本窗口台账',
  ORIGINAL_OTHER_PERSON: '原证书属于他人',
  ORIGINAL_DETAILS_DIFFER: '原证书信息与台账不符',
  ORIGINAL_VOIDED: '原证书已作废',
  ORIGINAL_PENDING: '原证书已在补办（换发）中',
  NOTICE_MISSING: '缺少遗失声明',
  NOTICE_NOT_QUALIFIED: '登报报纸不合要求',
  NOTICE_FIELDS_MISSING: '遗失声明内容不全',
  NOTICE_DATE_INVALID: '登报日期无效',
  NOTICE_TOO_YOUNG: '遗失声明刊登未满期限',
  CORRECTION_MISSING: '未填写更正内容',
  MATERIALS_MISSING: '材料不齐',
  QUAL_REVOKED: '资格已被取消',
  PERSON_BARRED: '本人在限制申报期内',
  NOT_COMPETENT: '不属本窗口确认权限',
  CONDITION_UNMET: '不符合确认条件',
  TITLE_DATE_INVALID: '取得时间无效',
  ALREADY_CONFIRMED: '已有确认申请',
};

export type ApplicationSeverity = 'error' | 'warning';

export interface ApplicationFinding {
  code: ApplicationCode;
  severity: ApplicationSeverity;
  message: string;
}

const WARNINGS: ReadonlySet<ApplicationCode> = new Set(['ORIGINAL_NOT_IN_LEDGER', 'PERSON_BARRED']);

/** PERSON_BARRED stops a confirmation (applying for a title) but only needs confirming on a replacement. */
export function applicationFinding(code: ApplicationCode, message: string, severity: ApplicationSeverity = WARNINGS.has(code) ? 'warning' : 'error'): ApplicationFinding {
  return { code, severity, message };
}
