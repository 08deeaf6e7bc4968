import { describe, expect, it } from 'vitest';
import { idCheckCharacter } from '../../core/verify/idNumber';
import type { RosterRow } from '../../core/verify/roster';
import { verifyRoster, type ApprovedRow, type VerificationContext } from '../../core/verify/verifyRoster';

/**
 * An ID number that a spreadsheet turned into a number is ID_MANGLED in every form it arrives in:
 * as the number itself, as its E+ text, and as the truncated digits pasted back as text — "…000"
 * whose first 15 digits are an approved person's while the whole number is nobody's.
 */
const withCheck = (first17: string) => first17 + idCheckCharacter(first17);

/** 15 digits (region 510121, a real birth date) whose "…000" has a correct check digit, and one whose has not. */
function prefixes(): { checksOut: string; checksWrong: string } {
  let checksOut = '';
  let checksWrong = '';
  for (let n = 0; n < 100 && (!checksOut || !checksWrong); n++) {
    const base = `5101211967071${String(n).padStart(2, '0')}`;
    if (idCheckCharacter(`${base}00`) === '0') checksOut ||= base;
    else checksWrong ||= base;
  }
  return { checksOut, checksWrong };
}

function approved(idNumber: string, name: string): ApprovedRow {
  return { line: 2, name, gender: Number(idNumber[16]) % 2 ? '男' : '女', idNumber, workUnit: '四川省交通运输厅', department: '', major: '道路工程', qualification: '高级工程师',
    level: '副高级', approvedOn: '2025-06-12', langRequirement: '合格', managementNo: '', approvalDoc: '川职改〔2025〕12号' };
}

function row(rowNo: number, idRaw: string | number, name: string): RosterRow {
  return { rowNo, line: rowNo + 1, certNo: '', workUnit: '', department: '', name, gender: '', idRaw, major: '', qualification: '高级工程师', level: '', approvedOn: null, approvalDoc: '', remark: '' };
}

function context(people: ApprovedRow[]): VerificationContext {
  return {
    today: '2026-11-24',
    certNoRule: null,
    approvedById: (id) => people.filter((p) => p.idNumber === id),
    approvedByIdPrefix: (first15) => people.filter((p) => p.idNumber.startsWith(first15)),
    sealedFor: () => undefined,
    certificate: () => undefined,
  };
}

describe('ID_MANGLED', () => {
  const { checksOut, checksWrong } = prefixes();
  const a = withCheck(`${checksOut}12`);
  const b = withCheck(`${checksWrong}34`);
  const ctx = context([approved(a, '张洁露'), approved(b, '欧阳明')]);

  it('is found for a truncated ID pasted as text, whether or not its check digit happens to fit', () => {
    expect(`${checksOut}000`).toMatch(/^\d{15}000$/);
    expect(idCheckCharacter(`${checksOut}00`)).toBe('0');
    expect(idCheckCharacter(`${checksWrong}00`)).not.toBe('0');
    const [first, second] = verifyRoster([row(1, `${checksOut}000`, '张洁露'), row(2, `${checksWrong}000`, '欧阳明')], ['name', 'idNumber', 'qualification'], ctx);
    for (const [result, name] of [[first!, '张洁露'], [second!, '欧阳明']] as const) {
      expect(result.findings.map((f) => f.code)).toEqual(['ID_MANGLED']);
      expect(result.findings[0]!.message).toContain(`前 15 位与批准名单中的 ${name} 相同`);
      expect(result.idNumber).toBeNull();
    }
  });

  it('is found for the number itself and its E+ text, whatever else matches', () => {
    const results = verifyRoster([row(1, Number(a), '张洁露'), row(2, '5.10121E+17', '欧阳明')], ['name', 'idNumber', 'qualification'], ctx);
    expect(results.map((r) => r.findings.map((f) => f.code))).toEqual([['ID_MANGLED'], ['ID_MANGLED']]);
  });

  it('is not claimed for a text ID ending in 000 that is somebody\'s, or whose first 15 digits are nobody\'s', () => {
    const owner = `${checksOut}000`;
    const withOwner = context([approved(a, '张洁露'), approved(owner, '王芳')]);
    expect(verifyRoster([row(1, owner, '王芳')], ['name', 'idNumber', 'qualification'], withOwner)[0]!.findings.map((f) => f.code)).not.toContain('ID_MANGLED');
    const stranger = `${checksWrong.slice(0, 14)}${(Number(checksWrong[14]) + 1) % 10}000`;
    expect(verifyRoster([row(1, stranger, '李四')], ['name', 'idNumber', 'qualification'], ctx)[0]!.findings.map((f) => f.code)).toEqual(['ID_CHECKSUM']);
  });
});
