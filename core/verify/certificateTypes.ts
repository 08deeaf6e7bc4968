/** The certificate types the counter seals (DOMAIN.md §1). */
export const CERTIFICATE_TYPES = [
  '高级专业技术职务资格证书',
  '专业技术资格证书',
  '职（执）业资格证书',
  '工人技术等级资格证书',
] as const;

export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

export const SENIOR_CERTIFICATE: CertificateType = '高级专业技术职务资格证书';
export const WORKER_CERTIFICATE: CertificateType = '工人技术等级资格证书';

const WORKER_GRADES = new Set(['技师', '高级技师', '高级工', '中级工', '初级工']);
const SENIOR_LEVELS = new Set(['副高级', '正高级']);

/** A list says what it approves through its grades and title; the clerk can still override it. */
export function inferCertificateType(title: string, levels: Iterable<string>, qualifications: Iterable<string>): CertificateType {
  const levelSet = new Set(levels);
  if (title.includes('工人技术等级') || [...levelSet].some((l) => WORKER_GRADES.has(l))) return WORKER_CERTIFICATE;
  if (title.includes('评审') || [...levelSet].some((l) => SENIOR_LEVELS.has(l))) return SENIOR_CERTIFICATE;
  for (const q of qualifications) if (/^(正高级|高级)/.test(q) && !q.endsWith('工')) return SENIOR_CERTIFICATE;
  if (/职业资格|执业资格/.test(title)) return '职（执）业资格证书';
  return '专业技术资格证书';
}
