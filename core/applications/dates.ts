import { formatDate, normalizeDate } from '../verify/text';

/**
 * Calendar arithmetic on office dates (YYYY-MM-DD). A month later is the same day of the month,
 * or the month's last day when it has no such day: a notice of 31 August is six months old on
 * 28 February.
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const total = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(total / 12);
  const targetMonth = (total % 12) + 1;
  return formatDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "2026年11月24日", as the forms and the 认定书 write a date. */
export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${year}年${month}月${day}日`;
}

/** A date as typed or read from a file, or null when it is none. */
export function dateOrNull(value: string | null | undefined): string | null {
  return normalizeDate(value ?? null);
}
