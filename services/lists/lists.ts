import type { ListOverrides } from '../../core/lists/approvedList';
import type { ApprovedRow } from '../../core/verify/verifyRoster';
import type { CertificateType } from '../../core/verify/certificateTypes';
import type { ApprovedPerson, ListSummary, Response } from '../../core/contract';
import { UserError } from '../../core/errors';
import type { Db } from '../../db/database';
import { type ServiceContext } from '../context';
import { parseApprovedListFile } from '../files/untrustedFiles';

interface ListRecord {
  id: number;
  approval_doc: string;
  title: string;
  certificate_type: CertificateType;
  row_count: number;
  source_file: string;
  imported_at: string;
}

function toSummary(row: ListRecord): ListSummary {
  return {
    id: row.id,
    approvalDoc: row.approval_doc,
    title: row.title,
    certificateType: row.certificate_type,
    rowCount: row.row_count,
    sourceFile: row.source_file,
    importedAt: row.imported_at,
  };
}

export async function previewList(ctx: ServiceContext, fileName: string, bytes: Uint8Array): Promise<Response<'lists.preview'>> {
  const parsed = await parseApprovedListFile(fileName, bytes, ctx.clock.date());
  const existing = findListByDoc(ctx.db, parsed.approvalDoc);
  return {
    approvalDoc: parsed.approvalDoc,
    title: parsed.title,
    certificateType: parsed.certificateType,
    headerLine: parsed.headerLine,
    sheetName: parsed.sheetName,
    rowCount: parsed.rows.length,
    rejected: parsed.rejected,
    alreadyImported: existing !== undefined,
    diff: existing ? listDiff(ctx.db, existing.id, parsed.rows) : null,
  };
}

/**
 * All or nothing: a file with any rejected row imports nothing and says which rows and why. A list
 * whose 批准文号 is already imported replaces the old rows only when the clerk confirmed the diff.
 */
export async function importList(ctx: ServiceContext, fileName: string, bytes: Uint8Array, overrides: ListOverrides & { replaceExisting?: boolean | undefined }): Promise<ListSummary> {
  const { replaceExisting, ...listOverrides } = overrides;
  const parsed = await parseApprovedListFile(fileName, bytes, ctx.clock.date(), listOverrides);
  if (parsed.rejected.length > 0) {
    const shown = parsed.rejected.slice(0, 5).map((r) => `第 ${r.line} 行：${r.reason}`).join('；');
    throw new UserError(`名单“${fileName}”有 ${parsed.rejected.length} 行无法导入，整份名单未导入。${shown}${parsed.rejected.length > 5 ? '；……' : ''}`);
  }
  const existing = findListByDoc(ctx.db, parsed.approvalDoc);
  if (existing && !replaceExisting) {
    throw new UserError(`批准文号“${parsed.approvalDoc}”的名单已经导入过；请先查看新旧名单的差异，确认后再更新。`);
  }
  return saveApprovedList(ctx, parsed, fileName);
}

/** A list as it is stored: from a file the clerk imported, or from the hub's signed publication. */
export interface ApprovedListContent {
  approvalDoc: string;
  title: string;
  certificateType: CertificateType;
  rows: ApprovedRow[];
}

/** Stores a list in one transaction, replacing the rows of a list with the same 批准文号 if there is one. */
export function saveApprovedList(ctx: ServiceContext, list: ApprovedListContent, sourceFile: string): ListSummary {
  const existing = findListByDoc(ctx.db, list.approvalDoc);
  const insertList = ctx.db.prepare(
    `INSERT INTO approved_lists (approval_doc, title, certificate_type, source_file, row_count, imported_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertPerson = ctx.db.prepare(
    `INSERT INTO approved_people (list_id, line, id_number, name, gender, work_unit, department, major, qualification,
       level, approved_on, lang_requirement, management_no, approval_doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const listId = ctx.db.transaction(() => {
    if (existing) {
      ctx.db.prepare('DELETE FROM approved_people WHERE list_id = ?').run(existing.id);
      ctx.db.prepare('DELETE FROM approved_lists WHERE id = ?').run(existing.id);
    }
    const id = Number(insertList.run(list.approvalDoc, list.title, list.certificateType, sourceFile, list.rows.length, ctx.clock.timestamp()).lastInsertRowid);
    for (const r of list.rows) {
      insertPerson.run(id, r.line, r.idNumber, r.name, r.gender, r.workUnit, r.department, r.major, r.qualification, r.level, r.approvedOn, r.langRequirement, r.managementNo, r.approvalDoc);
    }
    return id;
  }).immediate();
  return toSummary(ctx.db.prepare('SELECT * FROM approved_lists WHERE id = ?').get(listId) as ListRecord);
}

const COMPARED_FIELDS: [keyof ApprovedRow, string][] = [
  ['name', '姓名'], ['gender', '性别'], ['workUnit', '工作单位'], ['department', '主管部门'], ['major', '专业名称'],
  ['level', '级别'], ['approvedOn', '批准时间'], ['langRequirement', '外语要求'], ['approvalDoc', '批准文号'],
];

/** Rows added, removed and changed, keyed by ID number and 资格名称. */
function listDiff(db: Db, listId: number, incoming: ApprovedRow[]): NonNullable<Response<'lists.preview'>['diff']> {
  const key = (r: { idNumber: string; qualification: string }) => `${r.idNumber}|${r.qualification}`;
  const old = new Map((db.prepare('SELECT * FROM approved_people WHERE list_id = ?').all(listId) as PersonRecord[]).map((r) => [key(toApprovedRow(r)), toApprovedRow(r)]));
  const samples: NonNullable<Response<'lists.preview'>['diff']>['samples'] = [];
  let added = 0;
  let changed = 0;
  for (const row of incoming) {
    const before = old.get(key(row));
    old.delete(key(row));
    if (!before) {
      added++;
      if (samples.length < 20) samples.push({ change: 'added', idNumber: row.idNumber, name: row.name, detail: `新增：${row.qualification}` });
      continue;
    }
    const differences = COMPARED_FIELDS.filter(([field]) => before[field] !== row[field]).map(([field, label]) => `${label}由“${before[field]}”改为“${row[field]}”`);
    if (differences.length > 0) {
      changed++;
      if (samples.length < 20) samples.push({ change: 'changed', idNumber: row.idNumber, name: row.name, detail: differences.join('，') });
    }
  }
  for (const row of old.values()) if (samples.length < 20) samples.push({ change: 'removed', idNumber: row.idNumber, name: row.name, detail: `删除：${row.qualification}` });
  return { added, removed: old.size, changed, samples };
}

function findListByDoc(db: Db, approvalDoc: string): ListRecord | undefined {
  return db.prepare('SELECT * FROM approved_lists WHERE approval_doc = ?').get(approvalDoc) as ListRecord | undefined;
}

export function listLists(db: Db): ListSummary[] {
  return (db.prepare('SELECT * FROM approved_lists ORDER BY imported_at DESC, id DESC').all() as ListRecord[]).map(toSummary);
}

interface PersonRecord {
  list_id: number;
  line: number;
  id_number: string;
  name: string;
  gender: string;
  work_unit: string;
  department: string;
  major: string;
  qualification: string;
  level: string;
  approved_on: string;
  lang_requirement: string;
  management_no: string;
  approval_doc: string;
}

function toPerson(r: PersonRecord): ApprovedPerson {
  return {
    listId: r.list_id, line: r.line, name: r.name, gender: r.gender, idNumber: r.id_number, workUnit: r.work_unit,
    department: r.department, major: r.major, qualification: r.qualification, level: r.level, approvedOn: r.approved_on,
    langRequirement: r.lang_requirement, approvalDoc: r.approval_doc,
  };
}

export function toApprovedRow(r: PersonRecord): ApprovedRow & { listId: number } {
  return { ...toPerson(r), managementNo: r.management_no };
}

/** Rows of one list, or a search by name or ID number across all lists. */
export function listRows(db: Db, request: { listId?: number | undefined; query?: string | undefined; offset: number; limit: number }): Response<'lists.rows'> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (request.listId !== undefined) {
    where.push('list_id = ?');
    params.push(request.listId);
  }
  const query = request.query?.replace(/\s/g, '').toUpperCase();
  if (query) {
    // An ID number (or its start) is matched by prefix on the index; anything else is a name.
    if (/^\d/.test(query)) {
      where.push('id_number >= ? AND id_number < ?');
      params.push(query, `${query}\uffff`);
    } else {
      where.push('name LIKE ?');
      params.push(`%${query.replace(/[%_]/g, '')}%`);
    }
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM approved_people ${clause}`).get(...params) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM approved_people ${clause} ORDER BY list_id, line LIMIT ? OFFSET ?`)
    .all(...params, request.limit, request.offset) as PersonRecord[];
  return { total, rows: rows.map(toPerson) };
}

type PersonRow = [number, number, string, string, string, string, string, string, string, string, string, string, string, string];

/**
 * Verification asks once per roster row; rows come back as arrays (`raw`) so that better-sqlite3
 * does not build a keyed record only for it to be copied into an ApprovedRow.
 */
export function approvedByIdLookup(db: Db): (idNumber: string) => ApprovedRow[] {
  const statement = db.prepare(`${PERSON_COLUMNS} WHERE id_number = ?`).raw();
  return (idNumber) => (statement.all(idNumber) as PersonRow[]).map(personOf);
}

/** People whose ID starts with `first15`: a range on the id_number index, as IDs are digits and X. */
export function approvedByIdPrefixLookup(db: Db): (first15: string) => ApprovedRow[] {
  const statement = db.prepare(`${PERSON_COLUMNS} WHERE id_number >= ? AND id_number < ? LIMIT 20`).raw();
  return (first15) => (statement.all(first15, `${first15}~`) as PersonRow[]).map(personOf);
}

const PERSON_COLUMNS = `SELECT list_id, line, name, gender, id_number, work_unit, department, major, qualification, level, approved_on, lang_requirement,
  approval_doc, management_no FROM approved_people`;

function personOf(r: PersonRow): ApprovedRow & { listId: number } {
  return {
    listId: r[0], line: r[1], name: r[2], gender: r[3], idNumber: r[4], workUnit: r[5], department: r[6], major: r[7], qualification: r[8],
    level: r[9], approvedOn: r[10], langRequirement: r[11], approvalDoc: r[12], managementNo: r[13],
  };
}
