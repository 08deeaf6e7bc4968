import dayjs from 'dayjs';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "2025年6月12日 星期四" for the header; the date comes from the backend's clock, not the PC's. */
export function formatLongDate(isoDate: string): string {
  const d = dayjs(isoDate);
  return d.isValid() ? `${d.year()}年${d.month() + 1}月${d.date()}日 星期${WEEKDAYS[d.day()]}` : isoDate;
}

export function formatDateTime(isoDateTime: string | null): string {
  if (!isoDateTime) return '';
  const d = dayjs(isoDateTime);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : isoDateTime;
}

export const DATE_FORMAT = 'YYYY-MM-DD';

/** To the second: when the outbox last reached the hub and when it tries next. */
export function formatDateTimeSeconds(isoDateTime: string | null): string {
  if (!isoDateTime) return '';
  const d = dayjs(isoDateTime);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : isoDateTime;
}
