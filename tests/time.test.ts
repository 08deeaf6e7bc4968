import { afterEach, describe, expect, it } from 'vitest';
import { isKnownTimeZone, officeDate, officeTimestamp, wallClockMinutes } from '../core/time';
import { freshServices } from './support/services';

// The workstation's operating system may be set to any zone; the office's time must not move.
const processZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = processZone;
});

describe('the office clock (DOMAIN.md §15)', () => {
  it('writes the office’s wall-clock time with its offset, whatever zone the PC is set to', () => {
    const sealing = new Date('2026-11-24T01:30:05Z');
    for (const zone of ['UTC', 'America/New_York', 'Asia/Shanghai']) {
      process.env.TZ = zone;
      expect(officeTimestamp(sealing)).toBe('2026-11-24T09:30:05+08:00');
      expect(officeDate(new Date('2026-11-24T17:00:00Z'))).toBe('2026-11-25');
    }
  });

  it('follows another zone when the office’s settings name one', () => {
    expect(officeTimestamp(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe('2026-07-01T14:00:00+02:00');
    expect(officeTimestamp(new Date('2026-01-01T00:00:00.900Z'), 'Asia/Kolkata')).toBe('2026-01-01T05:30:00+05:30');
    expect(isKnownTimeZone('Asia/Shanghai')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('shows a stored time as written, to the minute', () => {
    expect(wallClockMinutes('2026-11-22T09:31:05+08:00')).toBe('2026-11-22 09:31');
  });

  it('stamps what the services record in the office’s time on a PC set to UTC', () => {
    process.env.TZ = 'UTC';
    const services = freshServices(new Date('2026-11-24T01:30:00Z'));
    try {
      expect(services.ctx.clock.timestamp()).toBe('2026-11-24T09:30:00+08:00');
      expect(services.ctx.clock.date(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
    } finally {
      services.close();
    }
  });
});
