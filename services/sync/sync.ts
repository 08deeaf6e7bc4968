import type { Response } from '../../core/contract';
import { verifyPublication, PUBLICATION_KIND_LABEL, type SignedPublication } from '../../core/hub/publication';
import type { HubConflict } from '../../core/hub/protocol';
import { batchPayload } from '../register/batches';
import { type ServiceContext } from '../context';
import { createHubClient, type HubClient, type PushResult } from './hubClient';
import { saveApprovedList } from '../lists/lists';
import { replaceIssuedSlips } from '../settings/reference';
import { loadSettings } from '../settings/settings';
import { updateWitness } from '../register/integrity';

export type SyncStatus = Response<'sync.status'>;

/** After a failure the agent waits 5 s, then twice as long each time, up to 5 minutes. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
/** While the hub answers, the agent looks for new batches, conflicts and publications this often. */
const ONLINE_INTERVAL_MS = 60_000;

export interface SyncAgentOptions {
  /** Tests give a client of their own; by default one is made from the settings for each round. */
  client?: (settings: { url: string }) => HubClient;
}

/**
 * The outbox and its courier (DOMAIN.md §9). Closed batches wait in the database until the hub
 * acknowledges them; the agent pushes them oldest first, pulls conflicts and signed publications,
 * and backs off while the hub cannot be reached. Everything it does is asynchronous and short on
 * the database, so the counter never waits for the network.
 */
export class SyncAgent {
  private online: boolean | null = null;
  private lastContactAt: string | null = null;
  private lastAttemptAt: string | null = null;
  private nextAttemptAt: string | null = null;
  private lastError: string | null = null;
  /** Something a person must look at (an equivocation, a refusal, a bad publication signature): retrying alone will not fix it. */
  private problem: string | null = null;
  private publicationNote: string | null = null;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly ctx: ServiceContext, private readonly options: SyncAgentOptions = {}) {}

  /** Starts pushing in the background (the hosts do; the CLI and tests call syncNow). */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A batch was just closed: take it to the hub now rather than at the next round (only while running). */
  nudge(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** 同步: one round now (or the one already under way), then the status. */
  async syncNow(): Promise<SyncStatus> {
    this.running ??= this.round().finally(() => { this.running = null; });
    await this.running;
    return this.status();
  }

  status(): SyncStatus {
    const hub = loadSettings(this.ctx.db).hub;
    const waiting = this.ctx.db.prepare('SELECT count(*) FROM batches WHERE batch_no NOT IN (SELECT batch_no FROM batch_deliveries)').pluck().get() as number;
    const conflicts = this.ctx.db.prepare('SELECT count(*) FROM hub_conflicts').pluck().get() as number;
    return {
      configured: hub !== null,
      hubUrl: hub?.url ?? null,
      online: hub ? this.online : null,
      waiting,
      conflicts,
      lastContactAt: this.lastContactAt,
      lastAttemptAt: this.lastAttemptAt,
      nextAttemptAt: this.stopped ? null : this.nextAttemptAt,
      lastError: this.lastError,
      problem: this.problem,
      publicationNote: this.publicationNote,
    };
  }

  conflicts(): HubConflict[] {
    return (this.ctx.db.prepare('SELECT detail_json FROM hub_conflicts ORDER BY received_at DESC, id').pluck().all() as string[]).map((json) => JSON.parse(json) as HubConflict);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAttemptAt = this.ctx.clock.timestamp(new Date(this.ctx.clock.now().getTime() + delayMs));
    this.timer = setTimeout(() => {
      this.timer = null;
      // A round that throws (not one that finds the hub offline) is a fault someone must see.
      this.syncNow().then(() => this.ctx.log.taskSucceeded('sync'), (error: unknown) => {
        this.ctx.log.taskFailed('sync', '同步出错，将按计划重试。', error);
        // The round ended before it could schedule the next one.
        this.schedule(this.retryMs);
      });
    }, delayMs);
    // The counter may close while a retry is pending.
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const settings = loadSettings(this.ctx.db);
    if (!settings.hub) {
      // No network without a hub; look again later, so a hub named in 设置 is used without a restart.
      this.online = null;
      this.schedule(ONLINE_INTERVAL_MS);
      return;
    }
    this.lastAttemptAt = this.ctx.clock.timestamp();
    const client = this.options.client?.(settings.hub) ?? createHubClient({
      baseUrl: settings.hub.url,
      workstationId: this.ctx.workstation.id,
      sign: this.ctx.workstation.sign,
      now: this.ctx.clock.now,
    });
    const reached = await this.exchange(client, settings.hub.provincePublicKey);
    if (reached) {
      this.retryMs = FIRST_RETRY_MS;
      this.schedule(ONLINE_INTERVAL_MS);
    } else {
      this.schedule(this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }
  }

  /** One round against the hub; false when it could not be reached (retry with back-off). */
  private async exchange(client: HubClient, provincePublicKey: string): Promise<boolean> {
    this.problem = null;
    const pushed = await this.pushOutbox(client);
    if (pushed === 'offline') return false;
    const conflicts = await client.conflicts();
    if (conflicts.kind === 'offline' || conflicts.kind === 'unexpected') return this.wentOffline(conflicts.message);
    if (conflicts.kind === 'refused') return this.needsAttention(conflicts.message);
    this.reached();
    this.keepConflicts(conflicts.conflicts);
    const publications = await client.publications();
    if (publications.kind === 'offline' || publications.kind === 'unexpected') return this.wentOffline(publications.message);
    if (publications.kind === 'refused') return this.needsAttention(publications.message);
    this.applyPublications(publications.publications, provincePublicKey);
    return true;
  }

  private wentOffline(message: string): false {
    this.online = false;
    this.lastError = message;
    return false;
  }

  /** The hub answered, but refused: it is online, and a person has to act. */
  private needsAttention(message: string): true {
    this.reached();
    this.problem = message;
    return true;
  }

  private reached(): void {
    this.online = true;
    this.lastError = null;
    this.lastContactAt = this.ctx.clock.timestamp();
  }

  /**
   * Pushes every batch the hub has not acknowledged, oldest first. A batch is marked delivered
   * only on the hub's answer, so a push cut off half way is simply sent again; the hub answers
   * a batch it already has with `duplicate`, so nothing is doubled.
   */
  private async pushOutbox(client: HubClient): Promise<'offline' | 'done' | 'stopped'> {
    const nextWaiting = this.ctx.db.prepare('SELECT min(batch_no) FROM batches WHERE batch_no NOT IN (SELECT batch_no FROM batch_deliveries)').pluck();
    const markDelivered = this.ctx.db.prepare('INSERT OR IGNORE INTO batch_deliveries (batch_no, acknowledged_at) VALUES (?, ?)');
    if (nextWaiting.get() !== null) {
      const behind = await this.hubIsAhead(client);
      if (behind?.kind === 'offline') return 'offline';
      if (behind) {
        this.needsAttention(behind.message);
        return 'stopped';
      }
    }
    for (let batchNo = nextWaiting.get() as number | null; batchNo !== null; batchNo = nextWaiting.get() as number | null) {
      const payload = batchPayload(this.ctx.db, batchNo)!;
      const answer: PushResult = await client.pushBatch(payload);
      switch (answer.kind) {
        case 'accepted':
        case 'duplicate':
          this.reached();
          markDelivered.run(batchNo, this.ctx.clock.timestamp());
          // The witness outside the database learns what the hub now holds: a register cut back
          // below it later (a deleted batch, an old copy) is found even offline.
          updateWitness(this.ctx, batchNo);
          break;
        case 'gap':
          this.reached();
          if (answer.expectedBatchNo >= batchNo) {
            this.problem = `集中服务器期待第 ${answer.expectedBatchNo} 批，本工作站只有到第 ${batchNo} 批的记录：${answer.message}`;
            return 'stopped';
          }
          // The hub lost batches it once acknowledged (restored from an older backup): send them again.
          this.ctx.db.prepare('DELETE FROM batch_deliveries WHERE batch_no >= ?').run(answer.expectedBatchNo);
          break;
        case 'equivocation':
          this.needsAttention(`集中服务器已有另一份不同的第 ${answer.batchNo} 批，拒绝了本工作站的这一批（疑似记录被改动）：${answer.message}`);
          return 'stopped';
        case 'rejected':
        case 'refused':
          this.needsAttention(`集中服务器拒收第 ${batchNo} 批：${answer.message}`);
          return 'stopped';
        case 'offline':
        case 'unexpected':
          this.wentOffline(answer.message);
          return 'offline';
      }
    }
    return 'done';
  }

  /**
   * Before pushing: does the hub hold batches of this workstation that its register does not (a
   * data file restored from an older backup, or cut back)? Pushing then would create a second,
   * different batch under a number the hub already holds; the gap is reported instead.
   */
  private async hubIsAhead(client: HubClient): Promise<{ kind: 'offline' } | { kind: 'ahead'; message: string } | null> {
    const state = await client.state();
    if (state.kind === 'offline' || state.kind === 'unexpected') {
      this.wentOffline(state.message);
      return { kind: 'offline' };
    }
    if (state.kind !== 'state' || state.lastBatchNo === 0) return null;
    const local = this.ctx.db.prepare('SELECT last_hash FROM batches WHERE batch_no = ?').pluck().get(state.lastBatchNo) as string | undefined;
    if (local === state.lastHash) return null;
    const localLast = (this.ctx.db.prepare('SELECT max(batch_no) FROM batches').pluck().get() as number | null) ?? 0;
    return { kind: 'ahead', message: local === undefined
      ? `集中服务器已收到本工作站至第 ${state.lastBatchNo} 批（第 ${state.lastSeq} 号登记），本机数据文件只有到第 ${localLast} 批：可能恢复了较早的备份。第 ${localLast + 1}–${state.lastBatchNo} 批须从集中服务器取回，本机暂不上报，以免出现两份同号的批次。请联系省厅管理员。`
      : `集中服务器收到的本工作站第 ${state.lastBatchNo} 批与本机的第 ${state.lastBatchNo} 批不同：本机数据文件可能被回退或替换。本机暂不上报，请联系省厅管理员核查。` };
  }

  private keepConflicts(conflicts: HubConflict[]): void {
    const keep = this.ctx.db.prepare('INSERT INTO hub_conflicts (id, kind, detail_json, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET detail_json = excluded.detail_json');
    const at = this.ctx.clock.timestamp();
    this.ctx.db.transaction(() => { for (const c of conflicts) keep.run(c.id, c.kind, JSON.stringify(c), at); }).immediate();
  }

  /**
   * Applies each publication newer than the one applied before, only if the province's key
   * verifies it. One that fails keeps what the workstation had, and says so.
   */
  private applyPublications(publications: SignedPublication[], provincePublicKey: string): void {
    const applied: string[] = [];
    const refused: string[] = [];
    const appliedVersion = this.ctx.db.prepare('SELECT version FROM hub_publications WHERE kind = ?').pluck();
    for (const publication of publications) {
      const label = PUBLICATION_KIND_LABEL[publication.kind];
      if (publication.version <= ((appliedVersion.get(publication.kind) as number | undefined) ?? 0)) continue;
      if (!verifyPublication(publication, new Uint8Array(Buffer.from(provincePublicKey, 'base64')))) {
        refused.push(`集中服务器发来的${label}（第 ${publication.version} 版）签名无效，未采用，仍使用原有的${label}。`);
        continue;
      }
      this.ctx.db.transaction(() => {
        if (publication.kind === 'approved-lists') {
          for (const list of publication.payload.lists) saveApprovedList(this.ctx, list, `中心发布第 ${publication.version} 版：${list.sourceFile}`);
        } else {
          replaceIssuedSlips(this.ctx.db, publication.payload.slips);
        }
        this.ctx.db.prepare('INSERT OR REPLACE INTO hub_publications (kind, version, published_at, applied_at) VALUES (?, ?, ?, ?)')
          .run(publication.kind, publication.version, publication.publishedAt, this.ctx.clock.timestamp());
      }).immediate();
      applied.push(`已采用集中服务器发布的${label}（第 ${publication.version} 版）。`);
    }
    if (applied.length + refused.length > 0) this.publicationNote = [...refused, ...applied].join('');
    if (refused.length > 0) this.problem = refused.join('');
  }
}
