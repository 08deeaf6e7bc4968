import dayjs from 'dayjs';

export const DATE_FORMAT = 'YYYY-MM-DD';

export type PeriodKind = 'day' | 'week' | 'month' | 'year' | 'custom';

export const PERIOD_LABEL: Record<PeriodKind, string> = { day: '日', week: '周', month: '月', year: '年', custom: '自定义' };

/** The day, week (Monday to Sunday), month or year that holds `date` (the office's date, from the backend). */
export function periodOf(kind: Exclude<PeriodKind, 'custom'>, date: string): { from: string; to: string } {
  const d = dayjs(date);
  if (kind === 'day') return { from: date, to: date };
  if (kind === 'week') {
    const monday = d.subtract((d.day() + 6) % 7, 'day');
    return { from: monday.format(DATE_FORMAT), to: monday.add(6, 'day').format(DATE_FORMAT) };
  }
  return { from: d.startOf(kind).format(DATE_FORMAT), to: d.endOf(kind).format(DATE_FORMAT) };
}
