/**
 * The office's local time (DOMAIN.md §15). Every time the app shows, prints, exports or hashes is
 * the wall-clock time of the office's zone with its offset, e.g. 2026-11-22T09:31:05+08:00,
 * whatever zone the workstation's operating system is set to: a sealing done at 09:30 in Chengdu
 * is 09:30 on the screen, on the paper and in the hash, also on a PC left on UTC.
 */
export const DEFAULT_OFFICE_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime knows the zone (settings refuse an unknown one rather than fall back silently). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** ISO 8601 wall-clock time in `timeZone` with its UTC offset, to the second. */
export function officeTimestamp(at: Date, timeZone: string = DEFAULT_OFFICE_TIME_ZONE): string {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  const wall = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const wholeSeconds = Math.floor(at.getTime() / 1000) * 1000;
  const offsetMinutes = Math.round((Date.parse(`${wall}Z`) - wholeSeconds) / 60000);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The office's calendar date, YYYY-MM-DD: the counter's day, not UTC's and not the PC's. */
export function officeDate(at: Date, timeZone: string = DEFAULT_OFFICE_TIME_ZONE): string {
  return officeTimestamp(at, timeZone).slice(0, 10);
}

/**
 * 'YYYY-MM-DD HH:mm' read straight off a stored office timestamp rather than through Date, so a
 * paper or a screen shows the time the counter wrote down whatever zone the machine is set to.
 */
export function wallClockMinutes(stored: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(stored.trim());
  return match ? `${match[1]} ${match[2]}` : stored;
}

/**
 * The clock: real time, unless SEAL_COUNTER_CLOCK fixes it (an ISO timestamp) so that end-to-end
 * tests get the same calendar and slip years on any day they run.
 */
export function clockFromEnvironment(env: Readonly<Record<string, string | undefined>>): () => Date {
  const fixed = env.SEAL_COUNTER_CLOCK;
  if (!fixed) return () => new Date();
  const at = new Date(fixed);
  if (Number.isNaN(at.getTime())) throw new Error(`SEAL_COUNTER_CLOCK is not a timestamp: ${fixed}`);
  return () => at;
}
