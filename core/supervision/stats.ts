/** The days of a period, first to last inclusive (YYYY-MM-DD, calendar arithmetic in UTC, no clock involved). */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = Date.parse(`${from}T00:00:00Z`), last = Date.parse(`${to}T00:00:00Z`); day <= last; day += 86_400_000) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

/** Longer periods are charted by week and month; a bar per day of several years says nothing. */
export const MAX_DAILY_DAYS = 400;

/** The Monday of a date's week (YYYY-MM-DD): weeks in the charts start on Monday, as the office's do. */
export function mondayOf(date: string): string {
  const day = Date.parse(`${date}T00:00:00Z`);
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}
