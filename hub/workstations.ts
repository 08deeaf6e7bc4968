import { workstationIdOf } from '../core/register/batch';
import { UserError } from '../core/errors';
import { WORKSTATION_KEY_FORMAT, WorkstationKeyFileSchema } from '../core/hub/protocol';
import { keyFingerprint } from '../core/hub/answer';
import type { Queryable } from './db';
import { recordAdminAction, type Hub, type Operator } from './store';

/** Enrolment: the hub learns a workstation's public key from the file the workstation exports. */
export interface EnrolledWorkstation {
  id: string;
  publicKey: Uint8Array;
  officeName: string;
  enrolledAt: string;
  revokedAt: string | null;
}

interface WorkstationRow {
  id: string;
  public_key: string;
  office_name: string;
  enrolled_at: string;
  revoked_at: string | null;
}

const rowToWorkstation = (row: WorkstationRow): EnrolledWorkstation => ({
  id: row.id,
  publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64')),
  officeName: row.office_name,
  enrolledAt: row.enrolled_at,
  revokedAt: row.revoked_at,
});

export async function findWorkstation(db: Queryable, id: string): Promise<EnrolledWorkstation | null> {
  const row = await db.one<WorkstationRow>('SELECT * FROM workstations WHERE id = $1', [id]);
  return row ? rowToWorkstation(row) : null;
}

/** The workstation as the hub will talk to it: enrolled and not revoked. */
export async function activeWorkstation(db: Queryable, id: string): Promise<EnrolledWorkstation | null> {
  const found = await findWorkstation(db, id);
  return found && found.revokedAt === null ? found : null;
}

export async function listWorkstations(db: Queryable): Promise<EnrolledWorkstation[]> {
  return (await db.query<WorkstationRow>('SELECT * FROM workstations ORDER BY enrolled_at, id')).map(rowToWorkstation);
}

/** Reads the exported public-key file; every problem is a sentence the administrator can act on. */
export function parseWorkstationKeyFile(fileName: string, text: string): { workstationId: string; publicKey: Uint8Array; officeName: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`文件“${fileName}”不是有效的 JSON，不是签章窗口导出的工作站公钥文件。`);
  }
  const parsed = WorkstationKeyFileSchema.safeParse(json);
  if (!parsed.success) {
    const format = typeof json === 'object' && json !== null && 'format' in json ? String((json).format) : '';
    throw new UserError(format && format !== WORKSTATION_KEY_FORMAT
      ? `文件“${fileName}”的格式为“${format}”，不是工作站公钥文件（${WORKSTATION_KEY_FORMAT}）。`
      : `文件“${fileName}”缺少工作站公钥文件应有的字段（workstationId、publicKey、officeName、exportedAt）。`);
  }
  const file = parsed.data;
  const publicKey = Buffer.from(file.publicKey, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(file.publicKey) || publicKey.length !== 32) {
    throw new UserError(`文件“${fileName}”中的公钥不是 32 字节的 Ed25519 公钥（base64）。`);
  }
  const derived = workstationIdOf(publicKey);
  if (derived !== file.workstationId) {
    throw new UserError(`文件“${fileName}”记载的工作站编号 ${file.workstationId} 与其公钥不符（该公钥对应 ${derived}）。文件可能被改动，请重新从工作站导出。`);
  }
  const officeName = file.officeName.trim();
  if (!officeName) throw new UserError(`文件“${fileName}”没有填写单位名称（officeName）。`);
  return { workstationId: derived, publicKey: new Uint8Array(publicKey), officeName };
}

export type EnrolOutcome = 'enrolled' | 'unchanged' | 'office-renamed' | 'reinstated';

/**
 * Enrols a workstation. Enrolling the same key again changes nothing (or only the office name).
 * A revoked workstation is enrolled again only with `reinstate`: revocation is usually for a lost
 * or compromised machine, and a stray old key file must not undo it by accident. Each change is
 * written to the admin log with who made it and the key's fingerprint.
 */
export async function enrolWorkstation(hub: Hub, key: { workstationId: string; publicKey: Uint8Array; officeName: string }, options: { reinstate: boolean; operator: Operator }): Promise<{ outcome: EnrolOutcome; workstation: EnrolledWorkstation }> {
  const fingerprint = keyFingerprint(key.publicKey);
  return hub.db.transaction(async (tx) => {
    // Two administrators enrolling the same key at once: one waits for the other.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key.workstationId]);
    const existing = await findWorkstation(tx, key.workstationId);
    const log = (action: string, detail: string) => recordAdminAction(tx, hub.timestamp(), action, options.operator, key.workstationId, fingerprint, detail);
    if (!existing) {
      await tx.query('INSERT INTO workstations (id, public_key, office_name, enrolled_at) VALUES ($1, $2, $3, $4)', [key.workstationId, Buffer.from(key.publicKey).toString('base64'), key.officeName, hub.timestamp()]);
      await log('enrol', key.officeName);
      return { outcome: 'enrolled' as const, workstation: (await findWorkstation(tx, key.workstationId))! };
    }
    if (existing.revokedAt !== null) {
      if (!options.reinstate) {
        throw new UserError(`工作站 ${key.workstationId}（${existing.officeName}）已于 ${existing.revokedAt} 注销。确需恢复，请加 --reinstate 重新登记；若工作站丢失或密钥泄露，应在工作站上生成新密钥后登记新公钥。`);
      }
      await tx.query('UPDATE workstations SET revoked_at = NULL, office_name = $1 WHERE id = $2', [key.officeName, key.workstationId]);
      await log('reinstate', key.officeName);
      return { outcome: 'reinstated' as const, workstation: (await findWorkstation(tx, key.workstationId))! };
    }
    if (existing.officeName !== key.officeName) {
      await tx.query('UPDATE workstations SET office_name = $1 WHERE id = $2', [key.officeName, key.workstationId]);
      await log('rename', `${existing.officeName} → ${key.officeName}`);
      return { outcome: 'office-renamed' as const, workstation: (await findWorkstation(tx, key.workstationId))! };
    }
    return { outcome: 'unchanged' as const, workstation: existing };
  });
}

export async function revokeWorkstation(hub: Hub, workstationId: string, operator: Operator): Promise<{ alreadyRevoked: boolean; workstation: EnrolledWorkstation }> {
  return hub.db.transaction(async (tx) => {
    // The row lock a batch being stored holds: a revocation waits for it, and no batch follows.
    const existing = await tx.one<WorkstationRow>('SELECT * FROM workstations WHERE id = $1 FOR UPDATE', [workstationId]);
    if (!existing) throw new UserError(`集中服务器上没有登记工作站 ${workstationId}。可用 seal-counter hub-status 查看已登记的工作站。`);
    const workstation = rowToWorkstation(existing);
    if (workstation.revokedAt !== null) return { alreadyRevoked: true, workstation };
    await tx.query('UPDATE workstations SET revoked_at = $1 WHERE id = $2', [hub.timestamp(), workstationId]);
    await recordAdminAction(tx, hub.timestamp(), 'revoke', operator, workstationId, keyFingerprint(workstation.publicKey), workstation.officeName);
    return { alreadyRevoked: false, workstation: (await findWorkstation(tx, workstationId))! };
  });
}
