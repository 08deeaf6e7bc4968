export interface CalendarDay {
  date: string;
  /** 休: a day off; 班: a weekend day that is a working day (调休). */
  kind: '休' | '班';
  name: string;
}

/**
 * Senior certificates are handled every Tuesday, Wednesday and Thursday, holidays excepted
 * (2015 Sichuan notice). A 调休 Saturday or Sunday is a working day but not a counter day.
 */
export const SENIOR_COUNTER_WEEKDAYS = [2, 3, 4];

export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWorkingDay(date: string, calendar: ReadonlyMap<string, CalendarDay>): boolean {
  const listed = calendar.get(date);
  if (listed) return listed.kind === '班';
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6;
}

/** Why `date` is not a counter day, or null when it is one. */
export function offCounterReason(date: string, calendar: ReadonlyMap<string, CalendarDay>, counterWeekdays: readonly number[] = SENIOR_COUNTER_WEEKDAYS): string | null {
  const listed = calendar.get(date);
  if (listed?.kind === '休') return `${date} 是${listed.name}假期`;
  if (!counterWeekdays.includes(weekdayOf(date))) return `${date} 是星期${'日一二三四五六'[weekdayOf(date)]}，高级证书只在每周${counterWeekdays.map((d) => '日一二三四五六'[d]).join('、')}办理`;
  if (!isWorkingDay(date, calendar)) return `${date} 不是工作日`;
  return null;
}
