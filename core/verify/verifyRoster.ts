import { formatRanges, rangesContain, type NumberRange } from '../stock/ranges';
import { certNoProblem, type CertNoRule } from './certNo';
import type { Field } from './columns';
import { finding, sortFindings, verdictOf, type Finding, type Verdict } from './findings';
import { checkIdNumber, ID_PROBLEM_TEXT, type IdCheck } from './idNumber';
import type { RosterRow } from './roster';
import { normalizeDate, normalizeText, sameText, toHalfWidth } from './text';

/** One approved person (合格人员 / 评审通过人员), as kept after import. */
export interface ApprovedRow {
  line: number;
  name: string;
  gender: string;
  idNumber: string;
  workUnit: string;
  department: string;
  major: string;
  qualification: string;
  level: string;
  approvedOn: string;
  langRequirement: string;
  managementNo: string;
  approvalDoc: string;
}

/** A certificate already in the ledger, as far as verification needs to know it. */
export interface LedgerCertificate {
  certNo: string;
  idNumber: string;
  name: string;
  qualification: string;
  sealedAt: string;
  unit: string;
  voided: boolean;
}

/** What verification may look up; the store answers it from SQLite, tests from arrays. */
export interface VerificationContext {
  today: string;
  certNoRule: CertNoRule | null;
  approvedById(idNumber: string): readonly ApprovedRow[];
  /** Approved people whose ID starts with these 15 digits: how a truncated ID pasted back as text is recognised. */
  approvedByIdPrefix(first15: string): readonly ApprovedRow[];
  /** A certificate of this person for this 资格名称 that is sealed and not voided. */
  sealedFor(idNumber: string, qualification: string): LedgerCertificate | undefined;
  certificate(certNo: string): LedgerCertificate | undefined;
  /**
   * Where the certificates of this type and year are pre-numbered (DOMAIN.md §6 号段): the ranges
   * issued to the visiting unit, which every 证书编号 must fall in. Absent: no range check.
   */
  numberRanges?: UnitRanges | null;
  /**
   * 取消资格 (DOMAIN.md §14): this person's qualification was revoked. Optional, like the next
   * one, so that a context made without the applications (a test's arrays) still verifies.
   */
  revokedFor?(idNumber: string, qualification: string): { document: string; revokedOn: string } | undefined;
  /** The replacement application (补办/换发, DOMAIN.md §11) naming this original, unless it was returned. */
  replacementApplication?(originalCertNo: string): ReplacementApplicationRef | undefined;
}

export interface ReplacementApplicationRef {
  appNo: string;
  idNumber: string;
  /** Not yet closed by the sealing of its replacement. */
  open: boolean;
  /** The original predates the ledger: it was entered from the paper, with a supervisor's confirmation. */
  paperOriginal: boolean;
}

export interface UnitRanges {
  unit: string;
  year: number;
  ranges: readonly NumberRange[];
}

export interface RowVerification {
  rowNo: number;
  verdict: Verdict;
  findings: Finding[];
  /** The 批准文号 of the approved row this roster row was matched to. */
  matchedDoc: string | null;
  /** The original certificate number a replacement (补办) voids. */
  replaces: string | null;
  /** The ID as normalised, when it is usable. */
  idNumber: string | null;
}

const LANGUAGE_COPY_NEEDED = new Set(['先评后考', '先评后补']);

export function verifyRoster(rows: readonly RosterRow[], present: readonly Field[], context: VerificationContext): RowVerification[] {
  const has = new Set(present);
  const ids = rows.map((row) => checkIdNumber(row.idRaw, context.today));
  const certNoCount = countBy(rows, (row) => row.certNo);
  const personCount = countBy(rows, (row, i) => {
    const id = ids[i]!;
    return id.ok ? `${id.id}|${normalizeText(row.qualification)}` : '';
  });

  return rows.map((row, index): RowVerification => {
    const mangled = truncatedAsText(row.idRaw, ids[index]!, context);
    const id: IdCheck = mangled ? { ok: false, problem: 'ID_MANGLED', shown: mangled.shown } : ids[index]!;
    const findings: Finding[] = [];
    const result = (matchedDoc: string | null, replaces: string | null): RowVerification => ({
      rowNo: row.rowNo,
      findings: sortFindings(findings),
      verdict: verdictOf(findings),
      matchedDoc,
      replaces,
      idNumber: id.ok ? id.id : null,
    });

    // An unusable ID is never matched: its one finding says all there is to say.
    if (!id.ok) {
      findings.push(finding(id.problem, mangled ? mangled.message : idMessage(id.problem, id.shown)));
      return result(null, null);
    }

    if (has.has('gender') && row.gender && normalizeText(row.gender) !== id.gender) {
      findings.push(finding('GENDER_MISMATCH', `性别：名册为“${row.gender}”，身份证号码第 17 位表示“${id.gender}”。`));
    }

    if (row.certNo) {
      if (certNoCount.get(row.certNo)! > 1) {
        findings.push(finding('CERTNO_DUP_ROSTER', `证书编号 ${row.certNo} 在本名册中出现 ${certNoCount.get(row.certNo)} 次（序号 ${rowNosWith(rows, (r) => r.certNo === row.certNo)}）。`));
      }
      if (context.certNoRule) {
        const problem = certNoProblem(context.certNoRule, row.certNo, row.level || row.qualification);
        if (problem) findings.push(finding('CERTNO_FORMAT', `证书编号“${row.certNo}”${problem}。`));
      }
      const held = context.numberRanges;
      if (held && !findings.some((f) => f.code === 'CERTNO_FORMAT') && !rangesContain(held.ranges, row.certNo)) {
        findings.push(finding('CERTNO_FORMAT', held.ranges.length > 0
          ? `证书编号“${row.certNo}”不在发给“${held.unit}”的${held.year}年度号段 ${formatRanges(held.ranges)} 之内。`
          : `证书编号“${row.certNo}”不在号段之内：${held.year}年度该类证书按号段发放，“${held.unit}”没有领取过号段。`));
      }
    }

    const personKey = `${id.id}|${normalizeText(row.qualification)}`;
    if (personCount.get(personKey)! > 1) {
      findings.push(finding('PERSON_DUP_ROSTER', `${row.name}（${id.id}）的“${row.qualification}”在本名册中出现 ${personCount.get(personKey)} 次（序号 ${rowNosWith(rows, (_, i) => { const other = ids[i]!; return other.ok && other.id === id.id && sameText(rows[i]!.qualification, row.qualification); })}）。`));
    }

    const approved = bestApprovedRow(context.approvedById(id.id), row);
    if (!approved) {
      findings.push(finding('NOT_APPROVED', `身份证号码 ${id.id}（${row.name}）不在任何已导入的批准名单中。`));
    } else {
      const doc = approved.approvalDoc;
      if (!sameText(row.name, approved.name)) {
        findings.push(finding('NAME_MISMATCH', `姓名：名册为“${row.name}”，批准名单（${doc}）中该身份证号码的姓名为“${approved.name}”。`));
      }
      if (!sameText(row.qualification, approved.qualification)) {
        findings.push(finding('QUAL_MISMATCH', `资格名称：名册为“${row.qualification}”，批准名单（${doc}）为“${approved.qualification}”。`));
      }
      if (has.has('major') && approved.major && !sameText(row.major, approved.major)) {
        findings.push(finding('MAJOR_MISMATCH', `专业名称：名册为“${row.major || '（空）'}”，批准名单（${doc}）为“${approved.major}”。`));
      }
      if (has.has('approvalDoc') && !sameText(row.approvalDoc, doc)) {
        findings.push(finding('DOC_MISMATCH', `批准文号：名册为“${row.approvalDoc || '（空）'}”，该人员的批准文号为“${doc}”。`));
      }
      if (has.has('approvedOn') && approved.approvedOn) {
        const rosterDate = normalizeDate(row.approvedOn) ?? normalizeText(row.approvedOn == null ? '' : String(row.approvedOn));
        if (rosterDate !== approved.approvedOn) {
          findings.push(finding('DATE_MISMATCH', `批准时间：名册为“${rosterDate || '（空）'}”，批准名单（${doc}）为“${approved.approvedOn}”。`));
        }
      }
      if (has.has('workUnit') && approved.workUnit && !sameText(row.workUnit, approved.workUnit)) {
        findings.push(finding('UNIT_MISMATCH', `工作单位：名册为“${row.workUnit || '（空）'}”，批准名单（${doc}）为“${approved.workUnit}”。请核实人员是否调动后再决定。`));
      }
      if (LANGUAGE_COPY_NEEDED.has(approved.langRequirement)) {
        findings.push(finding('LANG_CERT_REQUIRED', `外语要求为“${approved.langRequirement}”：须核验本人职称外语合格证复印件。`));
      }
    }

    const revoked = context.revokedFor?.(id.id, row.qualification);
    if (revoked) {
      findings.push(finding('QUAL_REVOKED', `${row.name}（${id.id}）的“${row.qualification}”资格已于 ${revoked.revokedOn} 依 ${revoked.document} 取消，不能签章。`));
    }

    const replaces = replacedCertNo(row.remark);
    if (replaces) {
      const original = context.certificate(replaces);
      const application = context.replacementApplication?.(replaces);
      const applied = application !== undefined && application.idNumber === id.id;
      if (!original || original.idNumber !== id.id) {
        if (applied && application.paperOriginal && !application.open) {
          findings.push(finding('REISSUE_ORIGINAL_VOIDED', `原证书 ${replaces} 已因补办（换发）申请 ${application.appNo} 作废，不能再次补办作废。`));
        } else if (!(applied && application.paperOriginal)) {
          findings.push(finding('REISSUE_ORIGINAL_UNKNOWN', `备注称补办并作废原证书 ${replaces}，但本窗口没有为 ${row.name}（${id.id}）签章过该编号的证书。`));
        }
      } else if (original.voided) {
        findings.push(finding('REISSUE_ORIGINAL_VOIDED', `原证书 ${replaces} 已因此前的补办作废，不能再次补办作废。`));
      } else if (context.replacementApplication && !(applied && application.open)) {
        findings.push(finding('REISSUE_NO_APPLICATION', `备注称补办并作废原证书 ${replaces}，但本窗口没有 ${row.name} 该证书的补办（换发）申请：请核实原证书确已遗失或损坏后填写理由确认。`));
      }
    } else {
      const earlier = context.sealedFor(id.id, row.qualification);
      if (earlier) {
        findings.push(finding('ALREADY_SEALED', `${row.name} 的“${row.qualification}”证书已于 ${earlier.sealedAt} 为“${earlier.unit}”签章，证书编号 ${earlier.certNo}。`));
      }
    }
    if (row.certNo) {
      const holder = context.certificate(row.certNo);
      if (holder && holder.idNumber !== id.id) {
        findings.push(finding('CERTNO_USED', `证书编号 ${row.certNo} 已于 ${holder.sealedAt} 签章给 ${holder.name}（${holder.idNumber}）。`));
      }
    }
    return result(approved?.approvalDoc ?? null, replaces);
  });
}

/**
 * Excel keeps 15 significant digits: an ID typed as a number loses its last three to zeros, and a
 * unit that copies the cell and pastes it back as text brings "…000" as text. Such a text ID matches
 * nobody (its check digit is usually wrong too), but its first 15 digits are an approved person's:
 * it is that person's mangled ID, and saying so beats calling it a wrong check digit or NOT_APPROVED.
 */
function truncatedAsText(raw: RosterRow['idRaw'], id: IdCheck, context: VerificationContext): { shown: string; message: string } | null {
  if (typeof raw !== 'string') return null;
  const text = id.ok ? id.id : id.shown;
  if (!/^\d{15}000$/.test(text)) return null;
  if (id.ok ? context.approvedById(text).length > 0 : id.problem !== 'ID_CHECKSUM') return null;
  const candidates = context.approvedByIdPrefix(text.slice(0, 15)).filter((a) => a.idNumber !== text);
  if (candidates.length === 0) return null;
  const names = [...new Set(candidates.map((a) => a.name))].join('、');
  return {
    shown: text,
    message: `身份证号码“${text}”末三位是 000，前 15 位与批准名单中的 ${names} 相同：这是被表格软件转成数字、末三位丢失后又粘贴成文本的号码，无法核对本人。请单位把 Excel 中该列设为“文本”格式，重新录入完整号码后再提交名册。`,
  };
}

function idMessage(problem: keyof typeof ID_PROBLEM_TEXT, shown: string): string {
  if (problem === 'ID_MANGLED') {
    return `身份证号码“${shown}”已被表格软件转成数字，末几位已丢失，无法核对本人。请单位把 Excel 中该列设为“文本”格式，重新录入完整号码后再提交名册。`;
  }
  if (problem === 'ID_BIRTHDATE') {
    const birth = `${shown.slice(6, 10)}-${shown.slice(10, 12)}-${shown.slice(12, 14)}`;
    return `身份证号码“${shown}”中的出生日期 ${birth} ${normalizeDate(birth) ? '晚于今天' : '不存在'}。`;
  }
  return `身份证号码“${shown || '（空）'}”${ID_PROBLEM_TEXT[problem]}。`;
}

/** The approved row that best explains this roster row when a person holds several approvals. */
function bestApprovedRow(candidates: readonly ApprovedRow[], row: RosterRow): ApprovedRow | undefined {
  if (candidates.length <= 1) return candidates[0];
  const score = (a: ApprovedRow) =>
    (sameText(a.qualification, row.qualification) ? 4 : 0) + (sameText(a.approvalDoc, row.approvalDoc) ? 2 : 0) + (sameText(a.major, row.major) ? 1 : 0);
  return [...candidates].sort((a, b) => score(b) - score(a))[0];
}

/** "补办、原证书编号51202501000017作废" names the certificate the new one replaces. */
export function replacedCertNo(remark: string): string | null {
  const m = /(?:补办|换发|补发)[^原]*原证书编号\s*[:：]?\s*([0-9A-Za-z]+)\s*作废/.exec(toHalfWidth(remark));
  return m ? m[1]!.toUpperCase() : null;
}

function countBy<T>(items: readonly T[], key: (item: T, index: number) => string): Map<string, number> {
  const counts = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item, i);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  return counts;
}

function rowNosWith(rows: readonly RosterRow[], match: (row: RosterRow, index: number) => boolean): string {
  return rows.filter(match).map((r) => r.rowNo).join('、');
}
