import { conflictCount } from './conflicts';
import { PUBLICATION_KIND_LABEL, type PublicationKind } from '../core/hub/publication';
import { publicationVersions } from './publications';
import type { Hub } from './store';

/** What hub-status reports: enough for an administrator to see at a glance who syncs and what went wrong. */
export interface HubStatus {
  provincePublicKey: string;
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
  }[];
  conflicts: number;
  equivocations: number;
  refusals: number;
  refusalsByReason: { reason: string; count: number }[];
  publications: { kind: PublicationKind; version: number; publishedAt: string }[];
}

export function hubStatus(hub: Hub): HubStatus {
  const workstations = hub.db.prepare(`
    SELECT w.id, w.office_name AS officeName, w.enrolled_at AS enrolledAt, w.revoked_at AS revokedAt,
      (SELECT COUNT(*) FROM batches b WHERE b.workstation_id = w.id) AS batches,
      (SELECT COALESCE(SUM(entry_count), 0) FROM batches b WHERE b.workstation_id = w.id) AS entries,
      (SELECT COUNT(*) FROM certificates c WHERE c.workstation_id = w.id) AS certificates,
      (SELECT COALESCE(MAX(batch_no), 0) FROM batches b WHERE b.workstation_id = w.id) AS lastBatchNo,
      (SELECT COALESCE(MAX(last_seq), 0) FROM batches b WHERE b.workstation_id = w.id) AS lastSeq,
      (SELECT MAX(received_at) FROM batches b WHERE b.workstation_id = w.id) AS lastReceivedAt
    FROM workstations w ORDER BY w.enrolled_at, w.id`).all() as HubStatus['workstations'];
  const count = (sql: string) => hub.db.prepare(sql).pluck().get() as number;
  return {
    provincePublicKey: Buffer.from(hub.provinceKey.publicKey).toString('base64'),
    workstations,
    conflicts: conflictCount(hub),
    equivocations: count('SELECT COUNT(*) FROM equivocations'),
    refusals: count('SELECT COUNT(*) FROM refusals'),
    refusalsByReason: hub.db.prepare('SELECT reason, COUNT(*) AS count FROM refusals GROUP BY reason ORDER BY count DESC, reason').all() as HubStatus['refusalsByReason'],
    publications: publicationVersions(hub),
  };
}

export function formatHubStatus(status: HubStatus): string {
  const lines: string[] = [];
  lines.push(`省级公钥：${status.provincePublicKey}`);
  lines.push('');
  if (status.workstations.length === 0) {
    lines.push('尚未登记任何工作站。');
  } else {
    lines.push(`已登记工作站 ${status.workstations.length} 台：`);
    for (const w of status.workstations) {
      const state = w.revokedAt ? `已注销（${w.revokedAt}）` : '有效';
      const held = w.batches === 0 ? '尚未收到批次' : `已收 ${w.batches} 批、${w.entries} 条登记、${w.certificates} 本证书（至第 ${w.lastBatchNo} 批、第 ${w.lastSeq} 号登记，最近接收 ${w.lastReceivedAt}）`;
      lines.push(`  ${w.id}  ${w.officeName}  ${state}  登记于 ${w.enrolledAt}`);
      lines.push(`      ${held}`);
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
