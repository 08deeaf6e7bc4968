import { checkIdNumber, ID_PROBLEM_TEXT } from '../verify/idNumber';
import { normalizeCode, sameText } from '../verify/text';
import { addMonths, daysBetween } from './dates';
import type { ApplicantPerson, LossNotice, OriginalCertificate } from './records';
import type { ApplicationSettings } from './settings';
import { applicationFinding, type ApplicationChannel, type ApplicationFinding, type DamageReason, type ReplacementKind, type ReplacementMaterial } from './terms';

/** A replacement as the clerk enters it (DOMAIN.md §11). */
export interface ReplacementInput {
  replacementKind: ReplacementKind;
  channel: ApplicationChannel;
  submittedBy: string;
  person: ApplicantPerson;
  original: OriginalCertificate;
  lossNotice: LossNotice | null;
  damage: { reason: DamageReason; correction: string } | null;
  materials: readonly ReplacementMaterial[];
}

/** The original certificate as this counter's ledger knows it. */
export interface LedgerOriginal {
  certNo: string;
  idNumber: string;
  name: string;
  qualification: string;
  approvalDoc: string;
  sealedAt: string;
  unit: string;
  entrySeq: number;
  /** The replacement that voided it, if one did. */
  voidedBy: { certNo: string; sealedAt: string } | null;
}

/** A bar on applying (取消资格, or false confirmation materials) in force on the day asked. */
export interface Bar {
  until: string;
  from: string;
  why: string;
}

export interface RevokedQualification {
  document: string;
  revokedOn: string;
  barUntil: string | null;
}

/** What the rules look up; the store answers from the register, tests from arrays. */
export interface ReplacementLookups {
  today: string;
  original(certNo: string): LedgerOriginal | undefined;
  /** A sealing that voided this number although the original is not in the ledger (entered from paper). */
  voidedWithoutLedger(certNo: string): { certNo: string; sealedAt: string } | undefined;
  /** An application for this original that is neither closed nor returned. */
  openApplication(certNo: string): { appNo: string; filedAt: string } | undefined;
  revoked(idNumber: string, qualification: string): RevokedQualification | undefined;
  bar(idNumber: string): Bar | undefined;
}

/** 国内统一刊号: CN, two digits of the region, four of the paper (CN51-0001, CN11-0000/N). */
const UNIFIED_ISSN = /^CN\d{2}-\d{4}(\/[A-Z0-9]+)?$/;

export function normalizeIssn(issn: string): string {
  return normalizeCode(issn).replace(/[－—]/g, '-');
}

/**
 * The findings on a replacement: errors keep it from being recorded; warnings (an original not in
 * this counter's ledger, a barred applicant) need a supervisor's confirmation with a reason.
 */
export function checkReplacement(input: ReplacementInput, settings: ApplicationSettings, lookups: ReplacementLookups): ApplicationFinding[] {
  const findings: ApplicationFinding[] = [];
  const { person, original, today } = { ...input, today: lookups.today };
  const id = checkIdNumber(person.idNumber, today);
  if (!id.ok) {
    findings.push(applicationFinding('ID_INVALID', `身份证号码“${id.shown || '（空）'}”${ID_PROBLEM_TEXT[id.problem]}。`));
  }
  const idNumber = id.ok ? id.id : normalizeCode(person.idNumber);
  const certNo = normalizeCode(original.certNo);
  const correctingName = input.replacementKind === '换发' && input.damage?.reason === '填错';

  const ledger = lookups.original(certNo);
  if (ledger) {
    if (ledger.idNumber !== idNumber) {
      findings.push(applicationFinding('ORIGINAL_OTHER_PERSON', `证书编号 ${certNo} 在本窗口台账中是 ${ledger.name}（${ledger.idNumber}）的证书，不是 ${person.name}（${idNumber}）的。`));
    } else {
      const differences = [
        !sameText(ledger.qualification, original.qualification) && `资格名称：申请为“${original.qualification}”，台账为“${ledger.qualification}”`,
        !sameText(ledger.approvalDoc, original.approvalDoc) && `批准文号：申请为“${original.approvalDoc || '（空）'}”，台账为“${ledger.approvalDoc}”`,
        !correctingName && !sameText(ledger.name, person.name) && `姓名：申请为“${person.name}”，台账为“${ledger.name}”`,
      ].filter((d): d is string => typeof d === 'string');
      if (differences.length > 0) findings.push(applicationFinding('ORIGINAL_DETAILS_DIFFER', `原证书 ${certNo} 与本窗口台账不符：${differences.join('；')}。`));
    }
    if (ledger.voidedBy) {
      findings.push(applicationFinding('ORIGINAL_VOIDED', `原证书 ${certNo} 已于 ${ledger.voidedBy.sealedAt} 因补办（换发）作废，补发证书为 ${ledger.voidedBy.certNo}，不能再次申请。`));
    }
  } else {
    const voided = lookups.voidedWithoutLedger(certNo);
    if (voided) {
      findings.push(applicationFinding('ORIGINAL_VOIDED', `原证书 ${certNo} 已于 ${voided.sealedAt} 因补办（换发）作废，补发证书为 ${voided.certNo}，不能再次申请。`));
    } else {
      findings.push(applicationFinding('ORIGINAL_NOT_IN_LEDGER', `原证书 ${certNo} 不在本窗口的证书台账中（可能在本系统启用前签章）：须由审核人对照纸质登记表核实后确认，并说明依据。`));
    }
  }
  const pending = lookups.openApplication(certNo);
  if (pending) {
    findings.push(applicationFinding('ORIGINAL_PENDING', `原证书 ${certNo} 已有补办（换发）申请 ${pending.appNo}（${pending.filedAt.slice(0, 10)} 受理），尚未办结，不能重复申请。`));
  }

  if (input.replacementKind === '补办') findings.push(...lossNoticeFindings(input.lossNotice, original, settings, today));
  else if (!input.damage || (input.damage.reason === '填错' && input.damage.correction.trim() === '')) {
    findings.push(applicationFinding('CORRECTION_MISSING', input.damage ? '换发原因为“填错”：请写明证书上哪一项填错、应更正为什么。' : '换发须说明原因：证书损坏，或填错（并写明应更正的内容）。'));
  }

  const required = settings.replacementMaterials[input.replacementKind];
  const missing = required.filter((m) => !input.materials.includes(m));
  if (missing.length > 0) findings.push(applicationFinding('MATERIALS_MISSING', `${input.replacementKind}须提交的材料未齐：缺少${missing.map((m) => `“${m}”`).join('、')}。`));

  const revoked = lookups.revoked(idNumber, original.qualification);
  if (revoked) {
    findings.push(applicationFinding('QUAL_REVOKED', `${person.name}（${idNumber}）的“${original.qualification}”资格已于 ${revoked.revokedOn} 依 ${revoked.document} 取消，不能补办或换发。`));
  }
  const bar = lookups.bar(idNumber);
  if (bar && !revoked) {
    findings.push(applicationFinding('PERSON_BARRED', `${person.name}（${idNumber}）${bar.why}，${bar.from} 至 ${bar.until} 不得申报专业技术资格：补办（换发）已取得的证书须经审核人确认。`));
  }
  return findings;
}

function lossNoticeFindings(notice: LossNotice | null, original: OriginalCertificate, settings: ApplicationSettings, today: string): ApplicationFinding[] {
  if (!notice || notice.newspaper.trim() === '') {
    return [applicationFinding('NOTICE_MISSING', '补办须提交刊登遗失声明的报纸原件：请填写报纸名称、刊号和刊登日期。')];
  }
  const findings: ApplicationFinding[] = [];
  const issn = normalizeIssn(notice.issn);
  if (!UNIFIED_ISSN.test(issn)) {
    findings.push(applicationFinding('NOTICE_NOT_QUALIFIED', `遗失声明须刊登在市级以上公开发行、有国家统一刊号的报纸上：《${notice.newspaper}》的刊号“${notice.issn || '（空）'}”不是国内统一刊号（应为 CN××-××××）。`));
  }
  const missing = settings.lossNoticeFields.filter((f) => !notice.fieldsNamed.includes(f));
  if (missing.length > 0) {
    findings.push(applicationFinding('NOTICE_FIELDS_MISSING', `遗失声明须写明${settings.lossNoticeFields.join('、')}；本声明缺少${missing.join('、')}，不予受理。`));
  }
  if (notice.publishedOn > today || (original.approvedOn && notice.publishedOn < original.approvedOn)) {
    findings.push(applicationFinding('NOTICE_DATE_INVALID', notice.publishedOn > today
      ? `遗失声明的刊登日期 ${notice.publishedOn} 晚于今天（${today}）。`
      : `遗失声明的刊登日期 ${notice.publishedOn} 早于证书的取得时间 ${original.approvedOn}。`));
  } else if (settings.lossNoticeWaitMonths > 0) {
    const acceptableFrom = addMonths(notice.publishedOn, settings.lossNoticeWaitMonths);
    if (acceptableFrom > today) {
      findings.push(applicationFinding('NOTICE_TOO_YOUNG', `遗失声明于 ${notice.publishedOn} 刊登，须刊登满 ${settings.lossNoticeWaitMonths} 个月（${acceptableFrom} 起）方可受理补办，还需 ${daysBetween(today, acceptableFrom)} 天。`));
    }
  }
  return findings;
}

/** Errors block; warnings wait for a supervisor. */
export function blocking(findings: readonly ApplicationFinding[]): ApplicationFinding[] {
  return findings.filter((f) => f.severity === 'error');
}

export function needingConfirmation(findings: readonly ApplicationFinding[]): ApplicationFinding[] {
  return findings.filter((f) => f.severity === 'warning');
}
