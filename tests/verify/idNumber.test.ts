import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckCharacter } from '../../core/verify/idNumber';

const TODAY = '2026-11-22';

describe('resident ID numbers (GB 11643-1999)', () => {
  it('accepts a valid number and reads gender and birth date from it', () => {
    expect(checkIdNumber('510703197903024724', TODAY)).toEqual({ ok: true, id: '510703197903024724', gender: '女', birthDate: '1979-03-02' });
    expect(checkIdNumber('510121196707144636', TODAY)).toMatchObject({ ok: true, gender: '男' });
  });

  it('computes the check character, including X', () => {
    expect(idCheckCharacter('51010519750311658')).toBe('2');
    expect(idCheckCharacter('51011419680426528')).not.toBe('X');
  });

  it('normalises full-width digits, spaces and a lower-case x before checking', () => {
    const withX = ['51010819870911595', 'X'].join('');
    expect(checkIdNumber(withX.toLowerCase(), TODAY)).toMatchObject({ ok: true, id: withX });
    expect(checkIdNumber('５１０７０３ １９７９０３０２４７２４', TODAY)).toMatchObject({ ok: true, id: '510703197903024724' });
  });

  it('calls a number stored by a spreadsheet mangled, never a valid ID', () => {
    expect(checkIdNumber(510121197208099000, TODAY)).toMatchObject({ ok: false, problem: 'ID_MANGLED' });
    expect(checkIdNumber('5.10104E+17', TODAY)).toMatchObject({ ok: false, problem: 'ID_MANGLED' });
  });

  it('tells a wrong length or letter from a wrong check character and an impossible birth date', () => {
    expect(checkIdNumber('51010619690529904', TODAY)).toMatchObject({ ok: false, problem: 'ID_FORMAT' });
    expect(checkIdNumber('5101141989O7154287', TODAY)).toMatchObject({ ok: false, problem: 'ID_FORMAT' });
    expect(checkIdNumber('51011419680426528X', TODAY)).toMatchObject({ ok: false, problem: 'ID_CHECKSUM' });
    expect(checkIdNumber('511602197402309472', TODAY)).toMatchObject({ ok: false, problem: 'ID_BIRTHDATE' });
    expect(checkIdNumber('510115203503152496', TODAY)).toMatchObject({ ok: false, problem: 'ID_BIRTHDATE' });
  });
});
