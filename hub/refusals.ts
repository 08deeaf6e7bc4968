import type { HubDb } from './db';

/**
 * The refusal log, counted rather than written row by row: one row per minute, client address,
 * reason and claimed workstation. The first refusal of such a group is written at once (an
 * administrator watching sees it, and so does a test); the ones after it in the same minute are
 * added up in memory and written once a second. stderr gets the first of each group and, for a
 * flood, one line with the count — a flood moves counters, it does not fill the disk, and
 * minutes older than the retention period are deleted.
 */
export interface RefusalEvent {
  remoteAddress: string;
  reason: string;
  /** As claimed by the request: not proven for unenrolled or bad-signature. */
  workstationId: string;
  method: string;
  path: string;
  message: string;
}

interface Pending {
  minute: Date;
  event: RefusalEvent;
  count: number;
}

const FLUSH_EVERY_MS = 1_000;
const PRUNE_EVERY_MS = 60 * 60_000;
/** Distinct groups kept in memory per minute; beyond that they are folded into one per reason. */
const MAX_GROUPS_PER_MINUTE = 10_000;

export class RefusalLog {
  private currentMinute = 0;
  private readonly written = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly timer: NodeJS.Timeout;
  private lastPrune = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: HubDb,
    private readonly now: () => Date,
    private readonly timestamp: () => string,
    private readonly warn: (line: string) => void,
    private readonly retentionDays: number,
  ) {
    this.timer = setInterval(() => { void this.flush(); }, FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Resolves once the refusal is on record (the first of its group) or counted in memory. */
  async record(event: RefusalEvent): Promise<void> {
    const now = this.now();
    const minuteMs = Math.floor(now.getTime() / 60_000) * 60_000;
    if (minuteMs !== this.currentMinute) {
      this.currentMinute = minuteMs;
      this.written.clear();
    }
    const folded = this.written.size >= MAX_GROUPS_PER_MINUTE;
    const grouped: RefusalEvent = folded ? { ...event, remoteAddress: '（多个地址）', workstationId: '' } : event;
    const key = `${grouped.remoteAddress}\u0000${grouped.reason}\u0000${grouped.workstationId}`;
    if (!this.written.has(key)) {
      this.written.add(key);
      this.warn(`${this.timestamp()} 拒绝 ${event.method} ${event.path.slice(0, 200)}（来自 ${event.remoteAddress || '未知地址'}，自称工作站 ${event.workstationId || '（未提供）'}）：${event.reason}，${event.message}`);
      await this.write(new Date(minuteMs), grouped, 1);
      return;
    }
    const pending = this.pending.get(key);
    if (pending && pending.minute.getTime() === minuteMs) pending.count++;
    else this.pending.set(key, { minute: new Date(minuteMs), event: grouped, count: 1 });
  }

  private async write(minute: Date, event: RefusalEvent, count: number): Promise<void> {
    await this.db.query(`INSERT INTO refusal_counts (minute, remote_address, reason, workstation_id, count, first_at, last_request, last_message)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (minute, remote_address, reason, workstation_id) DO UPDATE SET count = refusal_counts.count + excluded.count, last_request = excluded.last_request, last_message = excluded.last_message`,
    [minute, event.remoteAddress, event.reason, event.workstationId, count, this.timestamp(), `${event.method} ${event.path.slice(0, 500)}`, event.message]);
  }

  /** Writes what was counted in memory; also deletes minutes past the retention period, hourly. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = [...this.pending.values()];
      this.pending.clear();
      for (const p of batch) {
        if (p.count >= 10) this.warn(`${this.timestamp()} 来自 ${p.event.remoteAddress} 的请求本分钟又被拒绝 ${p.count} 次（${p.event.reason}）。`);
        await this.write(p.minute, p.event, p.count).catch((error: unknown) => this.warn(`${this.timestamp()} 无法记录拒绝：${(error as Error).message}`));
      }
      const nowMs = this.now().getTime();
      if (nowMs - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = nowMs;
        await this.prune().catch(() => {});
      }
    });
    return this.flushing;
  }

  async prune(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 24 * 60 * 60_000);
    const deleted = await this.db.query('DELETE FROM refusal_counts WHERE minute < $1 RETURNING 1', [cutoff]);
    return deleted.length;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
