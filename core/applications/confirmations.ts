import { checkIdNumber, ID_PROBLEM_TEXT } from '../verify/idNumber';
import { normalizeCode, normalizeDate } from '../verify/text';
import type { ApplicantPerson, ConfirmationConditions, ConfirmationTitle } from './records';
import type { Bar, RevokedQualification } from './replacements';
import type { ApplicationSettings } from './settings';
import {
  applicationFinding, CONFIRMATION_MATERIALS, type ApplicationFinding, type Arrival, type ConfirmationMaterial, type RecognitionKind, type TitleLevel, type UnitManagement,
} from './terms';

/** An out-of-province title to confirm, as the clerk enters it (DOMAIN.md §12). */
export interface ConfirmationInput {
  person: ApplicantPerson & { unitManagement: UnitManagement };
  title: ConfirmationTitle;
  conditions: ConfirmationConditions;
  arrival: Arrival;
  materials: readonly ConfirmationMaterial[];
}

export interface ConfirmationLookups {
  today: string;
  revoked(idNumber: string, qualification: string): RevokedQualification | undefined;
  bar(idNumber: string): Bar | undefined;
  /** An earlier application of this person for this title that is waiting or was confirmed. */
  existing(idNumber: string, qualification: string): { appNo: string; status: string } | undefined;
}

export interface ConfirmationCheck {
  findings: ApplicationFinding[];
  /** 无需确认: a title from a national exam needs no confirmation, answered at once. */
  answer: '无需确认' | null;
  competentBody: string;
  recognitionKind: RecognitionKind;
}

export const isSenior = (level: TitleLevel): boolean => level === '正高级' || level === '副高级';

export function recognitionKindOf(level: TitleLevel): RecognitionKind {
  return isSenior(level) ? '高级职称认定书' : '中初级职称认定书';
}

/** Who confirms a title (Hubei 2013 三（二）): senior titles the provincial office, the rest by who manages the unit. */
export function competentBodyFor(level: TitleLevel, unitManagement: UnitManagement): string {
  if (isSenior(level)) return '省职改办';
  return unitManagement === '市州' ? '市州职改办' : '省直中评委会办公室（主管部门职改办）';
}

/** The materials a confirmation must bring, given how the person came (三（四）). */
export function requiredConfirmationMaterials(arrival: Arrival): ConfirmationMaterial[] {
  return CONFIRMATION_MATERIALS.filter((m) => {
    if (m === '调令或部队安置证明复印件') return arrival === '单位调入' || arrival === '军队转业安置';
    if (m === '成建制划转政策文件') return arrival === '成建制划转';
    return true;
  });
}

export function checkConfirmation(input: ConfirmationInput, settings: ApplicationSettings, lookups: ConfirmationLookups): ConfirmationCheck {
  const { person, title, conditions } = input;
  const findings: ApplicationFinding[] = [];
  const competentBody = competentBodyFor(title.level, person.unitManagement);
  const recognitionKind = recognitionKindOf(title.level);
  const id = checkIdNumber(person.idNumber, lookups.today);
  if (!id.ok) findings.push(applicationFinding('ID_INVALID', `身份证号码“${id.shown || '（空）'}”${ID_PROBLEM_TEXT[id.problem]}。`));
  if (title.route === '全国统一考试') {
    // A national exam's certificate is valid everywhere: nothing to confirm, whatever else is missing.
    return { findings, answer: '无需确认', competentBody, recognitionKind };
  }
  const idNumber = id.ok ? id.id : normalizeCode(person.idNumber);

  const competence = settings.confirmation;
  if (isSenior(title.level) && !competence.senior) {
    findings.push(applicationFinding('NOT_COMPETENT', `${title.level}职称“${title.qualification}”统一由省职改办确认，不属本窗口的确认权限，请告知申请人向省职改办申请。`));
  } else if (!isSenior(title.level) && !competence.intermediateJuniorOf.includes(person.unitManagement)) {
    findings.push(applicationFinding('NOT_COMPETENT', `所在单位属${person.unitManagement}管理的${title.level}职称由${competentBody}确认，不属本窗口的确认权限，请告知申请人向其申请。`));
  }

  if (!conditions.approvedUnderNationalPolicy) {
    findings.push(applicationFinding('CONDITION_UNMET', `原资格须是按国家专业技术职务任职资格政策评审通过并经核准的，“${title.qualification}”未经核准，不能确认。`));
  }
  if (!conditions.fileMovedIn) {
    findings.push(applicationFinding('CONDITION_UNMET', '申请人的人事档案尚未正式调入本省，不符合确认条件。'));
  }
  if (!conditions.employmentProof) {
    findings.push(applicationFinding('CONDITION_UNMET', '申请人须与本省现工作单位依法签订劳动（聘用）合同，或在本省缴交社保，二者均未提供，不符合确认条件。'));
  }

  const missing = requiredConfirmationMaterials(input.arrival).filter((m) => !input.materials.includes(m));
  if (missing.length > 0) findings.push(applicationFinding('MATERIALS_MISSING', `确认须提交的材料未齐：缺少${missing.map((m) => `“${m}”`).join('、')}。`));

  const obtainedOn = normalizeDate(title.obtainedOn);
  if (!obtainedOn || obtainedOn > lookups.today) {
    findings.push(applicationFinding('TITLE_DATE_INVALID', `资格取得时间“${title.obtainedOn || '（空）'}”${obtainedOn ? '晚于今天' : '不是有效日期'}。`));
  }

  const revoked = lookups.revoked(idNumber, title.qualification);
  if (revoked) findings.push(applicationFinding('QUAL_REVOKED', `${person.name}（${idNumber}）的“${title.qualification}”资格已于 ${revoked.revokedOn} 依 ${revoked.document} 取消，不能确认。`));
  const bar = lookups.bar(idNumber);
  if (bar) {
    findings.push(applicationFinding('PERSON_BARRED', `${person.name}（${idNumber}）${bar.why}，${bar.from} 至 ${bar.until} 不得申报专业技术资格，本次确认申请不予受理。`, 'error'));
  }
  const existing = lookups.existing(idNumber, title.qualification);
  if (existing) findings.push(applicationFinding('ALREADY_CONFIRMED', `${person.name} 的“${title.qualification}”已有确认申请 ${existing.appNo}（${existing.status}），不能重复申请。`));
  return { findings, answer: null, competentBody, recognitionKind };
}

/** From the year after the application, for `years` years (Hubei 2013 三（五）6). */
export function falseMaterialsBar(filedOn: string, years: number): { from: string; until: string } | null {
  if (years <= 0) return null;
  const year = Number(filedOn.slice(0, 4));
  return { from: `${year + 1}-01-01`, until: `${year + years}-12-31` };
}

/** A 认定书's number from the office's template: {year}, and {seq} as three digits. */
export function recognitionNumber(template: string, year: number, seq: number): string {
  return template.replaceAll('{year}', String(year)).replaceAll('{seq}', String(seq).padStart(3, '0'));
}
