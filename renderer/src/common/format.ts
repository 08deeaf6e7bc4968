import dayjs from 'dayjs';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "2025年6月12日 星期四" for the header; the date comes from the backend's clock, not the PC's. */
export function formatLongDate(isoDate: string): string {
  const d = dayjs(isoDate);
  return d.isValid() ? `${d.year()}年${d.month() + 1}月${d.date()}日 星期${WEEKDAYS[d.day()]}` : isoDate;
}

export const DATE_FORMAT = 'YYYY-MM-DD';

// Times arrive as the office wrote them (its own zone, with the offset: DOMAIN.md §15). They are
// shown as written, never converted through the PC's zone, which may be set to anything.
const OFFICE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?/;

/** "2026-11-24 09:30", the office's wall-clock time as stored. */
export function formatDateTime(officeTimestamp: string | null): string {
  if (!officeTimestamp) return '';
  const match = OFFICE_TIME.exec(officeTimestamp);
  return match ? `${match[1]} ${match[2]}` : officeTimestamp;
}

/** To the second: when the outbox last reached the hub and when it tries next. */
export function formatDateTimeSeconds(officeTimestamp: string | null): string {
  if (!officeTimestamp) return '';
  const match = OFFICE_TIME.exec(officeTimestamp);
  return match ? `${match[1]} ${match[2]}${match[3] ?? ':00'}` : officeTimestamp;
}
