export interface IssuedSlip {
  slipNo: string;
  unit: string;
  year: number;
  issuedOn: string;
}

export interface AuthorisedSigner {
  name: string;
  title: string;
  from: string;
  /** null: still authorised. */
  to: string | null;
}

/**
 * Findings on the stamp slip of a visit (DOMAIN.md §5). All are errors but one: fewer rows to seal
 * than the slip names (certificates refused and handed back) is a warning the clerk confirms.
 */
export const SLIP_CODES = ['SLIP_UNKNOWN', 'SLIP_WRONG_UNIT', 'SLIP_WRONG_YEAR', 'SLIP_USED', 'SLIP_COUNT_MISMATCH', 'SLIP_SIGNER_UNAUTHORIZED'] as const;
export type SlipCode = (typeof SLIP_CODES)[number];

export interface SlipFinding {
  code: SlipCode;
  severity: 'error' | 'warning';
  message: string;
}

export interface SlipPresented {
  date: string;
  unit: string;
  slipNo: string;
  /** null: the clerk has not entered the count written on the slip. */
  countOnSlip: number | null;
  rowsToSeal: number;
  signer: string;
}

export interface SlipLookup {
  issued(slipNo: string): IssuedSlip | undefined;
  /** When the slip was used by an earlier sealing, if it was. */
  usedAt(slipNo: string): string | undefined;
  signers: readonly AuthorisedSigner[];
}

export function checkSlip(presented: SlipPresented, lookup: SlipLookup): SlipFinding[] {
  const findings: SlipFinding[] = [];
  const slipNo = presented.slipNo.trim().toUpperCase();
  const slip = lookup.issued(slipNo);
  if (!slip) {
    findings.push({ code: 'SLIP_UNKNOWN', severity: 'error', message: `签章凭条 ${slipNo || '（未填写）'} 没有发放记录。` });
  } else {
    if (slip.unit !== presented.unit.trim()) {
      findings.push({ code: 'SLIP_WRONG_UNIT', severity: 'error', message: `签章凭条 ${slipNo} 发给的是“${slip.unit}”，不是“${presented.unit}”。` });
    }
    const year = Number(presented.date.slice(0, 4));
    if (slip.year !== year) {
      findings.push({ code: 'SLIP_WRONG_YEAR', severity: 'error', message: `签章凭条 ${slipNo} 属于 ${slip.year} 年度，不能在 ${year} 年使用。` });
    }
    const usedAt = lookup.usedAt(slipNo);
    if (usedAt) findings.push({ code: 'SLIP_USED', severity: 'error', message: `签章凭条 ${slipNo} 已于 ${usedAt} 使用过，每张凭条只能使用一次。` });
  }
  const count = slipCountFinding(presented.countOnSlip, presented.rowsToSeal);
  if (count) findings.push(count);
  const signer = presented.signer.replace(/\s/g, '');
  const authorised = lookup.signers.some((s) => s.name === signer && s.from <= presented.date && (s.to == null || presented.date <= s.to));
  if (!authorised) {
    const known = lookup.signers.filter((s) => s.name === signer);
    const when = known.map((s) => `${s.from} 至 ${s.to ?? '今'}`).join('、');
    findings.push({ code: 'SLIP_SIGNER_UNAUTHORIZED', severity: 'error', message: known.length > 0
      ? `签字人“${signer}”的授权期为 ${when}，${presented.date} 不在授权期内。`
      : `签字人“${signer || '（未填写）'}”不在授权签字人名单中。` });
  }
  return findings;
}

/**
 * The slip allows so many certificates: sealing more is an error. Sealing fewer is what happens when
 * some are refused and handed back to the unit; it is a warning, confirmed with a reason.
 */
export function slipCountFinding(countOnSlip: number | null, rowsToSeal: number): SlipFinding | null {
  if (countOnSlip === null) {
    return { code: 'SLIP_COUNT_MISMATCH', severity: 'error', message: `未填写凭条上的证书数，无法与本次可签章的 ${rowsToSeal} 本核对。` };
  }
  if (rowsToSeal > countOnSlip) {
    return { code: 'SLIP_COUNT_MISMATCH', severity: 'error', message: `凭条上填写的证书数为 ${countOnSlip} 本，本次可签章的为 ${rowsToSeal} 本，多于凭条准许的数量，不能签章。` };
  }
  if (rowsToSeal < countOnSlip) {
    return { code: 'SLIP_COUNT_MISMATCH', severity: 'warning', message: `凭条上填写的证书数为 ${countOnSlip} 本，本次可签章的为 ${rowsToSeal} 本，少 ${countOnSlip - rowsToSeal} 本：须确认退回用章单位的证书并填写理由。` };
  }
  return null;
}

/** The reason clerks most often give for sealing fewer than the slip names, offered first. */
export function handedBackReason(countOnSlip: number, rowsToSeal: number): string {
  return `${countOnSlip - rowsToSeal} 本核验不符退回单位`;
}
