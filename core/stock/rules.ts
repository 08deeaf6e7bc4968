import { UserError } from '../errors';
import { REQUEST_DEADLINE_MONTH_DAY, SPARE_PERCENT } from './terms';

/** The most one movement may count: far above any office's yearly stock, low enough to catch a typo. */
export const MAX_COUNT = 1_000_000;

/**
 * A count the clerk typed: a positive whole number. Anything else (0, -3, 2.5, "三十", empty) is
 * refused with the field named, before anything is written.
 */
export function positiveCount(value: unknown, label: string): number {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) {
    throw new UserError(`${label}应为正整数，填写的是“${shown(value)}”。`);
  }
  if (number > MAX_COUNT) throw new UserError(`${label}为 ${number}，超过 ${MAX_COUNT} 本，请核对。`);
  return number;
}

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return '（空）';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** Like positiveCount, but 0 is allowed (spares, a grade nobody passed). */
export function wholeCount(value: unknown, label: string): number {
  if (value === 0 || value === '0') return 0;
  return positiveCount(value, label);
}

/** Chongqing 2018: the 登记表's people plus 5%, rounded up (41 people → 3 spares). */
export function sparesFor(rows: number): number {
  return Math.ceil((rows * SPARE_PERCENT) / 100);
}

/** The last day a request for `year` is on time (Sichuan 2015: before 1 February). */
export function requestDeadline(year: number): string {
  return `${year}-${REQUEST_DEADLINE_MONTH_DAY}`;
}

/** Whether a request for `year` that arrived on `arrivedOn` (YYYY-MM-DD) is late. */
export function isLateRequest(year: number, arrivedOn: string): boolean {
  return arrivedOn > requestDeadline(year);
}

export function checkYear(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2000 || value > 2100) {
    throw new UserError(`年度应为 2000–2100 之间的四位年份，填写的是“${String(value)}”。`);
  }
  return value;
}
