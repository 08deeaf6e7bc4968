import { describe, expect, it } from 'vitest';
import { checkedRange, formatRanges, parseRangeText, rangeContains, rangeSize, rangesOverlap, subtractRanges, takeLowest } from '../../core/stock/ranges';
import { isLateRequest, positiveCount, requestDeadline, sparesFor } from '../../core/stock/rules';
import { nextSlipNumbers, slipPattern } from '../../core/stock/slipNumbers';
import { neutraliseCell } from '../../core/exports/forms';

describe('number ranges (号段, DOMAIN.md §6)', () => {
  const range = checkedRange('51202500000101', '51202500000142', '发放');

  it('counts and contains numbers of the same letters and width only', () => {
    expect(rangeSize(range)).toBe(42);
    expect(rangeContains(range, '51202500000101')).toBe(true);
    expect(rangeContains(range, '51202500000142')).toBe(true);
    expect(rangeContains(range, '51202500000143')).toBe(false);
    expect(rangeContains(range, '5120250000011')).toBe(false);
    const worker = checkedRange('Z1122020001', 'Z1122020100', '入库');
    expect(rangeSize(worker)).toBe(100);
    expect(rangeContains(worker, 'Z1122020050')).toBe(true);
    expect(rangeContains(worker, 'G1122020050')).toBe(false);
  });

  it('reads what a clerk types, full-width digits and 至 included, and refuses a range that is not one', () => {
    expect(parseRangeText('５１２０２５０００００１０１ 至 51202500000142', '第 1 行')).toEqual(range);
    expect(parseRangeText('51202500000101', '第 1 行')).toEqual({ first: '51202500000101', last: '51202500000101' });
    expect(() => checkedRange('51202500000142', '51202500000101', '入库')).toThrow('入库的号段“51202500000142–51202500000101”起号大于止号。');
    expect(() => checkedRange('Z1122020001', 'G1122020100', '入库')).toThrow('两端的位数或字母部分不同');
    expect(() => checkedRange('5120250000010', '51202500000142', '入库')).toThrow('两端的位数或字母部分不同');
    expect(() => checkedRange('ABC', 'ABD', '入库')).toThrow('两端都应以数字结尾');
  });

  it('finds overlaps, what is left of stock, and the lowest free numbers', () => {
    expect(rangesOverlap(range, checkedRange('51202500000142', '51202500000150', ''))).toBe(true);
    expect(rangesOverlap(range, checkedRange('51202500000143', '51202500000150', ''))).toBe(false);
    const shelf = [checkedRange('51202500000101', '51202500000300', '')];
    const left = subtractRanges(shelf, [range, checkedRange('51202500000150', '51202500000159', '')]);
    expect(formatRanges(left)).toBe('51202500000143–51202500000149、51202500000160–51202500000300');
    expect(takeLowest(left, 10)).toEqual([{ first: '51202500000143', last: '51202500000149' }, { first: '51202500000160', last: '51202500000162' }]);
    expect(takeLowest(left, 1000)).toBeNull();
  });
});

describe('the stock’s counting rules', () => {
  it('gives 5% spares rounded up (Chongqing 2018)', () => {
    expect([1, 19, 20, 21, 40, 41, 100].map(sparesFor)).toEqual([1, 1, 1, 2, 2, 3, 5]);
  });

  it('refuses a count that is not a positive whole number, saying what was typed', () => {
    expect(positiveCount(30, '入库数量')).toBe(30);
    expect(positiveCount(' 30 ', '入库数量')).toBe(30);
    expect(() => positiveCount(0, '入库数量')).toThrow('入库数量应为正整数，填写的是“0”。');
    expect(() => positiveCount(-3, '入库数量')).toThrow('入库数量应为正整数，填写的是“-3”。');
    expect(() => positiveCount(2.5, '入库数量')).toThrow('入库数量应为正整数，填写的是“2.5”。');
    expect(() => positiveCount('三十', '入库数量')).toThrow('入库数量应为正整数，填写的是“三十”。');
    expect(() => positiveCount(null, '入库数量')).toThrow('填写的是“（空）”');
  });

  it('counts a request on 1 February as on time and one on 2 February as late (Sichuan 2015)', () => {
    expect(requestDeadline(2026)).toBe('2026-02-01');
    expect(isLateRequest(2026, '2025-12-20')).toBe(false);
    expect(isLateRequest(2026, '2026-02-01')).toBe(false);
    expect(isLateRequest(2026, '2026-02-02')).toBe(true);
  });

  it('neutralises cells that a spreadsheet would run as a formula', () => {
    expect(['=1+2', '+86', '-3', '@SUM(A1)', '\tx', '\rx', '\0x', '成都'].map(neutraliseCell)).toEqual(["'=1+2", "'+86", "'-3", "'@SUM(A1)", "'\tx", "'\rx", "'\0x", '成都']);
  });
});

describe('stamp-slip numbers (DOMAIN.md §13)', () => {
  it('numbers slips by the pattern, continuing after the year’s highest', () => {
    const pattern = slipPattern('qz{年}-{0000}');
    expect(pattern.format(2026, 7)).toBe('QZ2026-0007');
    expect(nextSlipNumbers(pattern, 2026, ['QZ2026-0001', 'QZ2026-0012', 'QZ2025-0099', 'OTHER-1'], 3)).toEqual(['QZ2026-0013', 'QZ2026-0014', 'QZ2026-0015']);
    expect(nextSlipNumbers(slipPattern('SC{年}{000}'), 2027, [], 2)).toEqual(['SC2027001', 'SC2027002']);
  });

  it('refuses a pattern without exactly one sequence, with other characters, or one that runs out', () => {
    expect(() => slipPattern('QZ{年}')).toThrow('应含一个且只含一个顺序号位置');
    expect(() => slipPattern('QZ{0}-{00}')).toThrow('应含一个且只含一个顺序号位置');
    expect(() => slipPattern('QZ {年}-{0000}')).toThrow('只能由字母、数字');
    expect(() => nextSlipNumbers(slipPattern('Q{0}'), 2026, ['Q8'], 2)).toThrow('顺序号已到 8，再编 2 张会超过 9');
  });
});
