import { keyFingerprint } from '../core/hub/answer';
import { PUBLICATION_KIND_LABEL, type PublicationKind } from '../core/hub/publication';
import { conflictCount } from './conflicts';
import { publicationVersions } from './publications';
import type { Hub } from './store';

/** What hub-status reports: enough for an administrator to see at a glance who syncs and what went wrong. */
export interface HubStatus {
  store: 'postgresql';
  serverVersion: string;
  /** 'embedded' (the hub's own PostgreSQL in its folder) or the server's address without a password. */
  database: string;
  provincePublicKey: string;
  provinceKeyFingerprint: string;
  answerPublicKey: string;
  answerKeyFingerprint: string;
  workstations: {
    id: string;
    officeName: string;
    enrolledAt: string;
    revokedAt: string | null;
    batches: number;
    entries: number;
    certificates: number;
    lastBatchNo: number;
    lastSeq: number;
    lastReceivedAt: string | null;
    /** Minutes since the last batch arrived; null before the first. */
    lagMinutes: number | null;
    refusals: number;
    conflicts: number;
  }[];
  conflicts: number;
  equivocations: number;
  refusals: number;
  refusalsByReason: { reason: string; count: number }[];
  publications: { kind: PublicationKind; version: number; publishedAt: string }[];
}

export async function hubStatus(hub: Hub): Promise<HubStatus> {
  const rows = await hub.db.query<Omit<HubStatus['workstations'][number], 'lagMinutes'>>(`
    SELECT w.id, w.office_name AS "officeName", w.enrolled_at AS "enrolledAt", w.revoked_at AS "revokedAt",
      coalesce(b.batches, 0)::int AS batches, coalesce(b.entries, 0)::int AS entries,
      (SELECT count(*) FROM certificates c WHERE c.workstation_id = w.id)::int AS certificates,
      coalesce(b.last_batch_no, 0) AS "lastBatchNo", coalesce(b.last_seq, 0) AS "lastSeq",
      (SELECT received_at FROM batches x WHERE x.workstation_id = w.id ORDER BY batch_no DESC LIMIT 1) AS "lastReceivedAt",
      (SELECT coalesce(sum(count), 0) FROM refusal_counts r WHERE r.workstation_id = w.id)::int AS refusals,
      (SELECT count(*) FROM conflict_members m WHERE m.workstation_id = w.id)::int AS conflicts
    FROM workstations w
    LEFT JOIN (SELECT workstation_id, count(*) AS batches, sum(entry_count) AS entries, max(batch_no) AS last_batch_no, max(last_seq) AS last_seq
      FROM batches GROUP BY workstation_id) b ON b.workstation_id = w.id
    ORDER BY w.enrolled_at, w.id`);
  const now = hub.now().getTime();
  const count = async (sql: string) => (await hub.db.one<{ n: number }>(sql))!.n;
  const { location } = hub;
  return {
    store: 'postgresql',
    serverVersion: await hub.db.serverVersion(),
    database: location.databaseUrl ? location.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : 'embedded',
    provincePublicKey: Buffer.from(hub.provincePublicKey).toString('base64'),
    provinceKeyFingerprint: keyFingerprint(hub.provincePublicKey),
    answerPublicKey: hub.hubKey.publicKey,
    answerKeyFingerprint: keyFingerprint(new Uint8Array(Buffer.from(hub.hubKey.publicKey, 'base64'))),
    workstations: rows.map((w) => ({ ...w, lagMinutes: w.lastReceivedAt ? Math.max(0, Math.floor((now - Date.parse(w.lastReceivedAt)) / 60_000)) : null })),
    conflicts: await conflictCount(hub.db),
    equivocations: await count('SELECT count(*) AS n FROM equivocations'),
    refusals: await count('SELECT coalesce(sum(count), 0) AS n FROM refusal_counts'),
    refusalsByReason: await hub.db.query<{ reason: string; count: number }>('SELECT reason, sum(count)::int AS count FROM refusal_counts GROUP BY reason ORDER BY count DESC, reason'),
    publications: await publicationVersions(hub.db),
  };
}

function lag(minutes: number | null): string {
  if (minutes === null) return '';
  if (minutes < 60) return `，${minutes} 分钟前`;
  if (minutes < 48 * 60) return `，${Math.floor(minutes / 60)} 小时前`;
  return `，${Math.floor(minutes / 1440)} 天前`;
}

export function formatHubStatus(status: HubStatus): string {
  const lines: string[] = [];
  lines.push(`数据库：PostgreSQL ${status.serverVersion}（${status.database === 'embedded' ? '内置' : status.database}）`);
  lines.push(`省级公钥：${status.provincePublicKey}（指纹 ${status.provinceKeyFingerprint}）`);
  lines.push(`应答公钥：${status.answerPublicKey}（指纹 ${status.answerKeyFingerprint}）`);
  lines.push('');
  if (status.workstations.length === 0) {
    lines.push('尚未登记任何工作站。');
  } else {
    lines.push(`已登记工作站 ${status.workstations.length} 台：`);
    for (const w of status.workstations) {
      const state = w.revokedAt ? `已注销（${w.revokedAt}）` : '有效';
      const held = w.batches === 0 ? '尚未收到批次' : `已收 ${w.batches} 批、${w.entries} 条登记、${w.certificates} 本证书（至第 ${w.lastBatchNo} 批、第 ${w.lastSeq} 号登记，最近接收 ${w.lastReceivedAt}${lag(w.lagMinutes)}）`;
      lines.push(`  ${w.id}  ${w.officeName}  ${state}  登记于 ${w.enrolledAt}`);
      lines.push(`      ${held}；拒绝 ${w.refusals} 次；冲突 ${w.conflicts} 起`);
    }
  }
  lines.push('');
  lines.push(`跨窗口冲突：${status.conflicts} 起`);
  lines.push(`同一批号的不同批次（疑似回退）：${status.equivocations} 次`);
  const byReason = status.refusalsByReason.map((r) => `${r.reason} ${r.count}`).join('，');
  lines.push(`拒绝的请求：${status.refusals} 次${byReason ? `（${byReason}）` : ''}`);
  const published = status.publications.map((p) => `${PUBLICATION_KIND_LABEL[p.kind]} 第 ${p.version} 版（${p.publishedAt}）`).join('；');
  lines.push(`已发布：${published || '尚无'}`);
  return lines.join('\n');
}
