import type { Response } from '../../core/contract';
import { verifyPublication, PUBLICATION_KIND_LABEL, type PublicationKind, type SignedPublication } from '../../core/hub/publication';
import type { HubConflict } from '../../core/hub/protocol';
import { batchPayload } from '../register/batches';
import { type ServiceContext } from '../context';
import { verifiedHubKey } from '../../core/hub/answer';
import type { Settings } from '../../core/settings/settings';
import { createHubClient, insecureHubUrl, type Failure, type HubClient, type PushResult } from './hubClient';
import { saveApprovedList } from '../lists/lists';
import { replaceIssuedSlips } from '../settings/reference';
import { replaceKnownWorkstations } from '../print/keys';
import { loadSettings, saveSettings } from '../settings/settings';
import { updateWitness } from '../register/integrity';
import { applyPublishedRevocations } from '../applications/revocations';

export type SyncStatus = Response<'sync.status'>;

/** After a failure the agent waits about 5 s, then about twice as long each time, up to about 5 minutes. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
/** While the hub answers, the agent looks for new batches, conflicts and publications about this often. */
const ONLINE_INTERVAL_MS = 60_000;

type HubSettings = NonNullable<Settings['hub']>;

export interface SyncAgentOptions {
  /** Tests give a client of their own; by default one is made from the settings for each round. */
  client?: (hub: HubSettings, answerPublicKey: Uint8Array | null) => HubClient;
  /** In [0, 1); tests fix it. */
  random?: () => number;
}

/**
 * The wait before the next round. Hundreds of workstations must not retry in step after the hub
 * comes back (or poll in step all day), so every wait is spread: a retry at random between half
 * and all of its back-off ("equal jitter"), a poll within ±20 % of the interval.
 */
export function nextDelay(kind: 'retry' | 'poll', backoffMs: number, random: number): number {
  return Math.round(kind === 'retry' ? backoffMs / 2 + (backoffMs / 2) * random : ONLINE_INTERVAL_MS * (0.8 + 0.4 * random));
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
  /** The tags of the last conflicts and publications answers: unchanged ones come back as 304, empty. */
  private conflictsTag: string | null = null;
  private publicationsTag: string | null = null;
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
    const random = this.options.random ?? Math.random;
    if (!settings.hub) {
      // No network without a hub; look again later, so a hub named in 设置 is used without a restart.
      this.online = null;
      this.schedule(nextDelay('poll', 0, random()));
      return;
    }
    this.lastAttemptAt = this.ctx.clock.timestamp();
    const reached = await this.exchange(settings.hub);
    if (reached === true) {
      this.retryMs = FIRST_RETRY_MS;
      this.schedule(nextDelay('poll', 0, random()));
    } else {
      this.schedule(Math.max(reached === false ? 0 : reached.retryAfterMs, nextDelay('retry', this.retryMs, random())));
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }
  }

  private clientFor(hub: HubSettings, answerPublicKey: Uint8Array | null): HubClient {
    return this.options.client?.(hub, answerPublicKey) ?? createHubClient({
      baseUrl: hub.url,
      workstationId: this.ctx.workstation.id,
      answerPublicKey,
      tlsCertificate: hub.tlsCertificate,
      sign: this.ctx.workstation.sign,
      now: this.ctx.clock.now,
    });
  }

  /**
   * The hub's answer key: the one pinned in the settings, or, the first time, the one named by the
   * hub's statement if the province key verifies it — then it is pinned. null when there is none
   * to trust (the problem says why).
   */
  private async answerKey(hub: HubSettings): Promise<Uint8Array | { retryAfterMs: number } | false | null> {
    if (hub.answerPublicKey) return new Uint8Array(Buffer.from(hub.answerPublicKey, 'base64'));
    const answer = await this.clientFor(hub, null).hubKey();
    if (answer.kind === 'insecure') return this.needsAttention(answer.message) && null;
    if (answer.kind !== 'hub-key') return this.wentOffline(answer.message, answer.kind === 'offline' ? answer.retryAfterMs : undefined);
    const key = verifiedHubKey(answer.statement, new Uint8Array(Buffer.from(hub.provincePublicKey, 'base64')));
    if (!key) {
      this.needsAttention('集中服务器提供的应答公钥没有省厅的有效签名（可能不是真正的集中服务器，或设置中的省厅公钥有误），未上报任何批次。请联系省厅管理员核对。');
      return null;
    }
    // Pinned: from now on only answers signed with this key are believed.
    const settings = loadSettings(this.ctx.db);
    if (settings.hub) saveSettings(this.ctx.db, { ...settings, hub: { ...settings.hub, answerPublicKey: answer.statement.publicKey } });
    return key;
  }

  /**
   * One round against the hub: true when it answered, false (or when to retry) when it could
   * not be reached or its answers could not be believed.
   */
  private async exchange(hub: HubSettings): Promise<true | false | { retryAfterMs: number }> {
    this.problem = null;
    const insecure = (() => {
      try {
        return insecureHubUrl(new URL(hub.url));
      } catch {
        return null;
      }
    })();
    if (insecure) return this.needsAttention(insecure.message) && false;
    const key = await this.answerKey(hub);
    if (key === null || key === false) return false;
    if (!(key instanceof Uint8Array)) return key;
    const client = this.clientFor(hub, key);
    const pushed = await this.pushOutbox(client);
    if (pushed !== 'done' && pushed !== 'stopped') return pushed;
    const conflicts = await client.conflicts(this.conflictsTag);
    if (conflicts.kind !== 'conflicts' && conflicts.kind !== 'unchanged') return this.failed(conflicts);
    this.reached();
    if (conflicts.kind === 'conflicts') {
      this.keepConflicts(conflicts.conflicts);
      this.conflictsTag = conflicts.etag;
    }
    const have = Object.fromEntries((this.ctx.db.prepare('SELECT kind, version FROM hub_publications').all() as { kind: PublicationKind; version: number }[]).map((r) => [r.kind, r.version]));
    const publications = await client.publications(have, this.publicationsTag);
    if (publications.kind !== 'publications' && publications.kind !== 'unchanged') return this.failed(publications);
    if (publications.kind === 'publications') {
      this.applyPublications(publications.publications, hub.provincePublicKey);
      this.publicationsTag = publications.etag;
    }
    return true;
  }

  /** What a failed call means for the round. */
  private failed(failure: Failure): false | { retryAfterMs: number } {
    switch (failure.kind) {
      case 'refused':
        this.needsAttention(failure.message);
        return false;
      case 'forged':
        // Something on the line answered for the hub: nothing it said is acted on.
        this.problem = failure.message;
        return this.wentOffline(failure.message);
      case 'insecure':
        this.needsAttention(failure.message);
        return false;
      case 'offline':
        return this.wentOffline(failure.message, failure.retryAfterMs);
      case 'unexpected':
        return this.wentOffline(failure.message);
    }
  }

  private wentOffline(message: string, retryAfterMs?: number): false | { retryAfterMs: number } {
    this.online = false;
    this.lastError = message;
    return retryAfterMs ? { retryAfterMs } : false;
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
  private async pushOutbox(client: HubClient): Promise<'done' | 'stopped' | false | { retryAfterMs: number }> {
    const nextWaiting = this.ctx.db.prepare('SELECT min(batch_no) FROM batches WHERE batch_no NOT IN (SELECT batch_no FROM batch_deliveries)').pluck();
    const markDelivered = this.ctx.db.prepare('INSERT OR IGNORE INTO batch_deliveries (batch_no, acknowledged_at) VALUES (?, ?)');
    if (nextWaiting.get() !== null) {
      const behind = await this.hubIsAhead(client);
      if (behind && behind.kind !== 'ahead') return this.failed(behind);
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
        case 'forged':
          // The batch stays in the outbox: an acknowledgement nobody can prove came from the hub is none.
          return this.failed({ kind: 'forged', message: `第 ${batchNo} 批仍在待上报中：${answer.message}` });
        case 'offline':
        case 'unexpected':
        case 'insecure':
          return this.failed(answer);
      }
    }
    return 'done';
  }

  /**
   * Before pushing: does the hub hold batches of this workstation that its register does not (a
   * data file restored from an older backup, or cut back)? Pushing then would create a second,
   * different batch under a number the hub already holds; the gap is reported instead.
   */
  private async hubIsAhead(client: HubClient): Promise<Exclude<Failure, { kind: 'refused' }> | { kind: 'ahead'; message: string } | null> {
    const state = await client.state();
    // A refusal is for the pushes to report, with the batch it concerns.
    if (state.kind === 'refused') return null;
    if (state.kind !== 'state') return state;
    if (state.lastBatchNo === 0) return null;
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
      const noteApplied = () => this.ctx.db.prepare('INSERT OR REPLACE INTO hub_publications (kind, version, published_at, applied_at) VALUES (?, ?, ?, ?)')
        .run(publication.kind, publication.version, publication.publishedAt, this.ctx.clock.timestamp());
      // Revocations are register entries: they are written through the register's own transaction,
      // which refuses a register changed outside the app; the round goes on and says so.
      if (publication.kind === 'revocations') {
        try {
          applyPublishedRevocations(this.ctx, publication, noteApplied);
        } catch (error) {
          refused.push(`集中服务器发来的${label}（第 ${publication.version} 版）未能采用：${(error as Error).message}`);
          continue;
        }
      } else this.ctx.db.transaction(() => {
        if (publication.kind === 'approved-lists') {
          for (const list of publication.payload.lists) saveApprovedList(this.ctx, list, `中心发布第 ${publication.version} 版：${list.sourceFile}`);
        } else if (publication.kind === 'slips') {
          replaceIssuedSlips(this.ctx.db, publication.payload.slips);
        } else {
          replaceKnownWorkstations(this.ctx.db, publication.version, publication.payload.workstations);
        }
        noteApplied();
      }).immediate();
      applied.push(`已采用集中服务器发布的${label}（第 ${publication.version} 版）。`);
    }
    if (applied.length + refused.length > 0) this.publicationNote = [...refused, ...applied].join('');
    if (refused.length > 0) this.problem = refused.join('');
  }
}
