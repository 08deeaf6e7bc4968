/** Finding codes of DOMAIN.md §4 and §5, in the order that section lists them. */
export const FINDING_CODES = [
  'ID_FORMAT',
  'ID_CHECKSUM',
  'ID_BIRTHDATE',
  'ID_MANGLED',
  'GENDER_MISMATCH',
  'NOT_APPROVED',
  'NAME_MISMATCH',
  'QUAL_MISMATCH',
  'MAJOR_MISMATCH',
  'DOC_MISMATCH',
  'DATE_MISMATCH',
  'UNIT_MISMATCH',
  'CERTNO_FORMAT',
  'CERTNO_DUP_ROSTER',
  'PERSON_DUP_ROSTER',
  'ALREADY_SEALED',
  'CERTNO_USED',
  'REISSUE_ORIGINAL_UNKNOWN',
  'REISSUE_ORIGINAL_VOIDED',
  'REISSUE_NO_APPLICATION',
  'LANG_CERT_REQUIRED',
  'OFF_COUNTER_DAY',
  'QUAL_REVOKED',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];
export type Severity = 'error' | 'warning';
export type Verdict = 'pass' | 'warning' | 'error';

export const SEVERITY: Record<FindingCode, Severity> = {
  ID_FORMAT: 'error',
  ID_CHECKSUM: 'error',
  ID_BIRTHDATE: 'error',
  ID_MANGLED: 'error',
  GENDER_MISMATCH: 'error',
  NOT_APPROVED: 'error',
  NAME_MISMATCH: 'error',
  QUAL_MISMATCH: 'error',
  MAJOR_MISMATCH: 'error',
  DOC_MISMATCH: 'error',
  DATE_MISMATCH: 'error',
  UNIT_MISMATCH: 'warning',
  CERTNO_FORMAT: 'error',
  CERTNO_DUP_ROSTER: 'error',
  PERSON_DUP_ROSTER: 'error',
  ALREADY_SEALED: 'error',
  CERTNO_USED: 'error',
  REISSUE_ORIGINAL_UNKNOWN: 'error',
  REISSUE_ORIGINAL_VOIDED: 'error',
  REISSUE_NO_APPLICATION: 'warning',
  LANG_CERT_REQUIRED: 'warning',
  OFF_COUNTER_DAY: 'warning',
  QUAL_REVOKED: 'error',
};

/** Short Chinese names for the counts and filters of the verification screen. */
export const FINDING_LABEL: Record<FindingCode, string> = {
  ID_FORMAT: '身份证号码格式错误',
  ID_CHECKSUM: '身份证校验位错误',
  ID_BIRTHDATE: '身份证出生日期无效',
  ID_MANGLED: '身份证号码被表格软件转成数字',
  GENDER_MISMATCH: '性别与身份证不符',
  NOT_APPROVED: '不在批准名单内',
  NAME_MISMATCH: '姓名与批准名单不符',
  QUAL_MISMATCH: '资格名称不符',
  MAJOR_MISMATCH: '专业名称不符',
  DOC_MISMATCH: '批准文号不符',
  DATE_MISMATCH: '批准时间不符',
  UNIT_MISMATCH: '工作单位不符',
  CERTNO_FORMAT: '证书编号格式错误',
  CERTNO_DUP_ROSTER: '证书编号在名册中重复',
  PERSON_DUP_ROSTER: '同一人员同一资格重复',
  ALREADY_SEALED: '已签章过',
  CERTNO_USED: '证书编号已被他人使用',
  REISSUE_ORIGINAL_UNKNOWN: '补办原证书未在本窗口签章',
  REISSUE_ORIGINAL_VOIDED: '补办原证书已作废',
  REISSUE_NO_APPLICATION: '补办无申请记录',
  LANG_CERT_REQUIRED: '需核验外语合格证复印件',
  OFF_COUNTER_DAY: '非高级证书办证日',
  QUAL_REVOKED: '资格已被取消',
};

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
}

export function finding(code: FindingCode, message: string): Finding {
  return { code, severity: SEVERITY[code], message };
}

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.length > 0) return 'warning';
  return 'pass';
}

/** Findings in the order DOMAIN.md lists them, so that every screen and export agrees. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code));
}
