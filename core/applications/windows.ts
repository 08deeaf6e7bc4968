import { formatDate } from '../verify/text';
import { daysInMonth } from './dates';
import type { CollectionWindow } from './settings';

/** One sending-up of replacements: Sichuan's May or November, Anhui's end of October. */
export interface WindowOccurrence {
  /** YYYY-MM of its deadline: what a send-up record names. */
  key: string;
  deadline: string;
  label: string;
}

export function windowOccurrence(year: number, window: CollectionWindow): WindowOccurrence {
  const deadline = formatDate(year, window.month, Math.min(window.day, daysInMonth(year, window.month)));
  return { key: deadline.slice(0, 7), deadline, label: `${year}年${window.month}月报送（${window.month}月${Number(deadline.slice(8))}日前）` };
}

/**
 * The window an application waiting today goes up in: the first deadline on or after today. An
 * application received on the deadline itself still makes it; one the office failed to send
 * waits for the next window rather than being lost.
 */
export function nextWindow(today: string, windows: readonly CollectionWindow[]): WindowOccurrence | null {
  if (windows.length === 0) return null;
  const year = Number(today.slice(0, 4));
  const candidates = [year, year + 1].flatMap((y) => windows.map((w) => windowOccurrence(y, w)));
  return candidates.filter((c) => c.deadline >= today).sort((a, b) => (a.deadline < b.deadline ? -1 : 1))[0] ?? null;
}
