import { UserError } from '../core/errors';
import {
  PUBLICATION_FORMAT,
  PUBLICATION_KIND_LABEL,
  PUBLICATION_KINDS,
  SignedPublicationSchema,
  signPublication,
  type Publication,
  type PublicationKind,
  type PublishedList,
  type PublishedWorkstation,
  type SignedPublication,
} from '../core/hub/publication';
import { parseSlips } from '../core/settings/referenceData';
import { parseRevocationList, revocationKey, type RevocationEntry } from '../core/applications/revocations';
import { DEFAULT_APPLICATION_SETTINGS } from '../core/applications/settings';
import type { IssuedSlip } from '../core/verify/slips';

import { parseApprovedListFile } from '../services/files/untrustedFiles';
import { keyFingerprint } from '../core/hub/answer';
import type { Queryable } from './db';
import { loadProvinceKey, recordAdminAction, type Hub, type Operator } from './store';
import { listWorkstations } from './workstations';
import { officeDate } from '../core/time';

/**
 * Publishing approved lists and slip issuance for the workstations (DOMAIN.md §9). Each
 * publication is the complete current set of its kind: publishing a new list keeps the lists
 * already published (a list with the same 批准文号 is replaced), and publishing a slips file adds
 * its slips to those already published (the same 凭条编号 is replaced). A workstation therefore
 * only ever needs the latest version of each kind.
 */
export interface PublishRequest {
  lists: { fileName: string; bytes: Uint8Array }[];
  slips: { fileName: string; bytes: Uint8Array } | null;
  /** 批准文号 of lists to take out of the published set (published in error). */
  withdraw: string[];
  /** Publish the enrolled workstations' public keys as they stand (the 'workstation-keys' kind). */
  workstationKeys?: boolean;
  /** A list of revoked qualifications (取消资格) to add to those published. */
  revocations?: { fileName: string; bytes: Uint8Array } | null;
  /** 身份证号码 whose published revocations are lifted (taken out of the set). */
  lift?: string[];
}

export interface PublishResult {
  published: { kind: PublicationKind; version: number; summary: string }[];
}

const MAX_REJECTIONS_SHOWN = 20;

export async function publish(hub: Hub, request: PublishRequest, operator: Operator): Promise<PublishResult> {
  const lift = request.lift ?? [];
  if (request.lists.length === 0 && !request.slips && request.withdraw.length === 0 && !request.workstationKeys && !request.revocations && lift.length === 0) {
    throw new UserError('没有要发布的内容：请用 --list FILE 指定批准名单，用 --slips FILE 指定签章凭条发放记录，用 --workstation-keys 发布已登记工作站的公钥，或用 --revocations FILE 指定取消资格名单。');
  }
  // Parsed before the transaction: parsing is slow and runs in a worker, and nothing is written
  // unless every file is clean.
  const today = officeDate(hub.now());
  const newLists: PublishedList[] = [];
  for (const file of request.lists) {
    const parsed = await parseApprovedListFile(file.fileName, file.bytes, today);
    if (parsed.rejected.length > 0) {
      const shown = parsed.rejected.slice(0, MAX_REJECTIONS_SHOWN).map((r) => `  第 ${r.line} 行：${r.reason}`).join('\n');
      const more = parsed.rejected.length > MAX_REJECTIONS_SHOWN ? `\n  ……另有 ${parsed.rejected.length - MAX_REJECTIONS_SHOWN} 行` : '';
      throw new UserError(`名单“${file.fileName}”有 ${parsed.rejected.length} 行无法接受，未发布任何内容。请更正后重新发布：\n${shown}${more}`);
    }
    if (parsed.rows.length === 0) throw new UserError(`名单“${file.fileName}”中没有人员，未发布任何内容。`);
    const twin = newLists.find((l) => l.approvalDoc === parsed.approvalDoc);
    if (twin) throw new UserError(`名单“${file.fileName}”与“${twin.sourceFile}”的批准文号同为 ${parsed.approvalDoc}，一次只能发布其中一份。`);
    newLists.push({ approvalDoc: parsed.approvalDoc, title: parsed.title, certificateType: parsed.certificateType, sourceFile: file.fileName, rows: parsed.rows });
  }
  let newSlips: IssuedSlip[] | null = null;
  if (request.slips) {
    newSlips = parseSlips(request.slips.fileName, request.slips.bytes);
    const seen = new Set<string>();
    for (const slip of newSlips) {
      if (seen.has(slip.slipNo)) throw new UserError(`文件“${request.slips.fileName}”中凭条编号 ${slip.slipNo} 出现了不止一次，未发布任何内容。`);
      seen.add(slip.slipNo);
    }
    if (newSlips.length === 0) throw new UserError(`文件“${request.slips.fileName}”中没有凭条，未发布任何内容。`);
  }

  // The bar where a revocation names no end: the default of the workstations' settings (Anhui 2013: 5 years).
  const newRevocations = request.revocations ? parseRevocationList(request.revocations.fileName, request.revocations.bytes, today, DEFAULT_APPLICATION_SETTINGS.revocationBarYears) : [];

  // Read only here: the serving process never holds the province key.
  const provinceKey = loadProvinceKey(hub);
  return hub.db.transaction(async (tx): Promise<PublishResult> => {
    // One publisher at a time, so two versions cannot get the same number.
    await tx.query('LOCK TABLE publications IN EXCLUSIVE MODE');
    const store = async (publication: Publication): Promise<number> => {
      const signed = signPublication(publication, provinceKey.privateKey);
      await tx.query('INSERT INTO publications (kind, version, published_at, signed_json) VALUES ($1, $2, $3, $4)', [signed.kind, signed.version, signed.publishedAt, JSON.stringify(signed)]);
      return signed.version;
    };
    const published: PublishResult['published'] = [];
    if (newLists.length > 0 || request.withdraw.length > 0) {
      const current = await latestOf(tx, 'approved-lists');
      const byDoc = new Map<string, PublishedList>();
      if (current?.kind === 'approved-lists') for (const list of current.payload.lists) byDoc.set(list.approvalDoc, list);
      for (const doc of request.withdraw) {
        if (!byDoc.delete(doc)) throw new UserError(`已发布的名单中没有批准文号为 ${doc} 的名单，无法撤下。`);
      }
      for (const list of newLists) byDoc.set(list.approvalDoc, list);
      const lists = [...byDoc.values()].sort((a, b) => (a.approvalDoc < b.approvalDoc ? -1 : a.approvalDoc > b.approvalDoc ? 1 : 0));
      const version = await store({ format: PUBLICATION_FORMAT, kind: 'approved-lists', version: await nextVersion(tx, 'approved-lists'), publishedAt: hub.timestamp(), payload: { lists } });
      const people = lists.reduce((n, l) => n + l.rows.length, 0);
      published.push({ kind: 'approved-lists', version, summary: `共 ${lists.length} 份名单、${people} 人（${lists.map((l) => l.approvalDoc).join('、') || '无'}）` });
    }
    if (newSlips) {
      const current = await latestOf(tx, 'slips');
      const bySlipNo = new Map<string, IssuedSlip>();
      if (current?.kind === 'slips') for (const slip of current.payload.slips) bySlipNo.set(slip.slipNo, slip);
      for (const slip of newSlips) bySlipNo.set(slip.slipNo, slip);
      const slips = [...bySlipNo.values()].sort((a, b) => (a.slipNo < b.slipNo ? -1 : a.slipNo > b.slipNo ? 1 : 0));
      const version = await store({ format: PUBLICATION_FORMAT, kind: 'slips', version: await nextVersion(tx, 'slips'), publishedAt: hub.timestamp(), payload: { slips } });
      published.push({ kind: 'slips', version, summary: `共 ${slips.length} 张凭条（本次文件 ${newSlips.length} 张）` });
    }
    if (request.workstationKeys) {
      const workstations = await publishedWorkstations(tx);
      const version = await store({ format: PUBLICATION_FORMAT, kind: 'workstation-keys', version: await nextVersion(tx, 'workstation-keys'), publishedAt: hub.timestamp(), payload: { workstations } });
      const revoked = workstations.filter((w) => w.revokedAt !== null).length;
      published.push({ kind: 'workstation-keys', version, summary: `共 ${workstations.length} 个工作站（其中已注销 ${revoked} 个）` });
    }
    if (newRevocations.length > 0 || lift.length > 0) {
      const current = await latestOf(tx, 'revocations');
      const byKey = new Map<string, RevocationEntry>();
      if (current?.kind === 'revocations') for (const r of current.payload.revocations) byKey.set(revocationKey(r), r);
      for (const id of lift) {
        const keys = [...byKey.entries()].filter(([, r]) => r.idNumber === id.toUpperCase()).map(([key]) => key);
        if (keys.length === 0) throw new UserError(`已发布的取消资格名单中没有身份证号码为 ${id} 的人员，无法撤销。`);
        for (const key of keys) byKey.delete(key);
      }
      for (const r of newRevocations) byKey.set(revocationKey(r), r);
      const revocations = [...byKey.values()];
      const version = await store({ format: PUBLICATION_FORMAT, kind: 'revocations', version: await nextVersion(tx, 'revocations'), publishedAt: hub.timestamp(), payload: { revocations } });
      published.push({ kind: 'revocations', version, summary: `共 ${revocations.length} 人（本次新增或更新 ${newRevocations.length} 人，撤销 ${lift.length} 人）` });
    }
    for (const p of published) {
      await recordAdminAction(tx, hub.timestamp(), 'publish', operator, `${PUBLICATION_KIND_LABEL[p.kind]}第 ${p.version} 版`, keyFingerprint(provinceKey.publicKey), p.summary);
    }
    return { published };
  });
}

/**
 * Every workstation ever enrolled, a revoked one listed with the date: a verifier that meets its
 * paper can then say the key was revoked, rather than that it does not know the workstation.
 */
async function publishedWorkstations(db: Queryable): Promise<PublishedWorkstation[]> {
  return (await listWorkstations(db)).map((w) => ({ workstationId: w.id, publicKey: Buffer.from(w.publicKey).toString('base64'), officeName: w.officeName, enrolledAt: w.enrolledAt, revokedAt: w.revokedAt }));
}

async function nextVersion(db: Queryable, kind: PublicationKind): Promise<number> {
  return ((await db.one<{ version: number | null }>('SELECT max(version) AS version FROM publications WHERE kind = $1', [kind]))?.version ?? 0) + 1;
}

async function latestJson(db: Queryable, kind: PublicationKind): Promise<string | undefined> {
  return (await db.one<{ signed_json: string }>('SELECT signed_json FROM publications WHERE kind = $1 ORDER BY version DESC LIMIT 1', [kind]))?.signed_json;
}

async function latestOf(db: Queryable, kind: PublicationKind): Promise<SignedPublication | null> {
  const json = await latestJson(db, kind);
  if (json === undefined) return null;
  const parsed = SignedPublicationSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new UserError(`集中服务器保存的${PUBLICATION_KIND_LABEL[kind]}发布记录已损坏，无法在其基础上发布新版本。`);
  return parsed.data;
}

export async function publicationVersions(db: Queryable): Promise<{ kind: PublicationKind; version: number; publishedAt: string }[]> {
  return db.query<{ kind: PublicationKind; version: number; publishedAt: string }>(`SELECT DISTINCT ON (kind) kind, version, published_at AS "publishedAt"
    FROM publications ORDER BY kind, version DESC`);
}

/** "Which versions are current": the ETag of the publications answer. */
export function publicationsTag(versions: readonly { kind: PublicationKind; version: number }[]): string {
  const of = (kind: PublicationKind) => versions.find((v) => v.kind === kind)?.version ?? 0;
  return `"p${PUBLICATION_KINDS.map(of).join('-')}"`;
}

/**
 * The latest publication of each kind as stored (already JSON, so serving them costs no
 * re-encoding), leaving out the kinds of which the workstation already has that version.
 */
export async function latestPublicationsJson(db: Queryable, have: Partial<Record<PublicationKind, number>> = {}): Promise<string[]> {
  const rows = await db.query<{ kind: PublicationKind; version: number; signed_json: string }>('SELECT DISTINCT ON (kind) kind, version, signed_json FROM publications ORDER BY kind, version DESC');
  return rows.filter((r) => r.version > (have[r.kind] ?? 0)).map((r) => r.signed_json);
}
