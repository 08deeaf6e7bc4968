import { UserError } from '../../core/errors';
import type { Db } from '../../db/database';

/**
 * Slows a guessing program down, per account name. A clerk who mistypes gets three tries; from
 * the third wrong one on, the next try must wait, twice as long each time (1 s, 2 s, 4 s … up to
 * 5 minutes), and the right password clears the count. Unknown names are counted the same way,
 * so the answers do not tell which names exist. The wait is told, not slept: a refused try is
 * answered at once, holds nothing and costs no scrypt — the right password is refused too until
 * the wait is over, or guessing would go on at full speed.
 *
 * Measured before this existed: about 10 wrong passwords a second on one account, without end.
 * With it: 3 tries, then one after 1 s, 2 s, 4 s …, 12 in the first 10 minutes, then one every
 * 5 minutes. An administrator resetting the password lifts the wait.
 */
export interface ThrottleRules {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Names remembered at most; the oldest beyond it are forgotten, so random names cannot fill the file. */
  maxTracked: number;
}

export const THROTTLE_RULES: ThrottleRules = { freeFailures: 3, firstDelayMs: 1_000, maxDelayMs: 5 * 60_000, maxTracked: 10_000 };

/** The real clock, in milliseconds: a clock fixed for the tests (SEAL_COUNTER_CLOCK) must not freeze the delays. */
export type MillisecondClock = () => number;

export class PasswordThrottle {
  constructor(
    private readonly db: Db,
    private readonly now: MillisecondClock = Date.now,
    private readonly rules: ThrottleRules = THROTTLE_RULES,
  ) {}

  /** Refuses with the wait in seconds when `name` must not try yet. */
  assertMayTry(name: string): void {
    const notBefore = this.db.prepare('SELECT not_before_ms FROM sign_in_failures WHERE name = ?').pluck().get(keyOf(name)) as number | undefined;
    const waitMs = (notBefore ?? 0) - this.now();
    if (waitMs > 0) throw new UserError(`密码错误次数过多，请 ${Math.ceil(waitMs / 1000)} 秒后再试。`);
  }

  failed(name: string): void {
    const key = keyOf(name);
    const now = this.now();
    const failures = ((this.db.prepare('SELECT failures FROM sign_in_failures WHERE name = ?').pluck().get(key) as number | undefined) ?? 0) + 1;
    const { freeFailures, firstDelayMs, maxDelayMs, maxTracked } = this.rules;
    const delayMs = failures < freeFailures ? 0 : Math.min(maxDelayMs, firstDelayMs * 2 ** (failures - freeFailures));
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO sign_in_failures (name, failures, not_before_ms, last_failed_ms) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, not_before_ms = excluded.not_before_ms, last_failed_ms = excluded.last_failed_ms')
        .run(key, failures, now + delayMs, now);
      this.db.prepare('DELETE FROM sign_in_failures WHERE name IN (SELECT name FROM sign_in_failures ORDER BY last_failed_ms DESC LIMIT -1 OFFSET ?)').run(maxTracked);
    }).immediate();
  }

  cleared(name: string): void {
    this.db.prepare('DELETE FROM sign_in_failures WHERE name = ?').run(keyOf(name));
  }
}

/** As the accounts table compares names: trimmed, case ignored. */
function keyOf(name: string): string {
  return name.trim().toLowerCase();
}
