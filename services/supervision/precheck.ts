import { UserError } from '../../core/errors';
import type { PrecheckMatch, PrecheckView, Request, Response } from '../../core/contract';
import { sha256HexOfBytes } from '../../core/register/entries';
import { compareRosters, precheckCode, type PrecheckRow } from '../../core/supervision/precheck';
import { wallClockMinutes } from '../../core/time';
import type { CertificateType } from '../../core/verify/certificateTypes';
import { FINDING_LABEL, type FindingCode } from '../../core/verify/findings';
import type { ServiceContext } from '../context';
import { parseRosterFile } from '../files/untrustedFiles';
import { loadSettings } from '../settings/settings';
import { getVisitDetail, verifyParsedRoster } from '../visits/visits';
import { makePapers, type SheetData } from './papers';
import { rosterFileOf } from './rosterFiles';

/**
 * 预审: a unit's roster checked before the counter day with exactly the counter's verification
 * (services/visits), without a visit: nothing is sealed, no register entry is written, no slip is
 * looked at or used. What was found is kept with the file's SHA-256, and the report carries the
 * short code, so the counter can tell on the day whether the roster brought is the one checked.
 */
export async function runPrecheck(ctx: ServiceContext, request: { fileName: string; bytes: Uint8Array; unit?: string | undefined; certificateType?: CertificateType | undefined }): Promise<Response<'precheck.run'>> {
  const parsed = await parseRosterFile(request.fileName, request.bytes);
  // From the command line at a unit's own workstation the unit may go unnamed: the roster's own 工作单位 names it.
  const unit = request.unit?.trim() || mostFrequent(parsed.rows.map((r) => r.workUnit.trim()).filter(Boolean));
  if (!unit) throw new UserError(`名册“${request.fileName}”没有工作单位，请注明用章单位。`);
  const results = verifyParsedRoster(ctx, parsed, request.certificateType);
  const rows: PrecheckRow[] = parsed.rows.map((row, i) => ({
    rowNo: row.rowNo,
    name: row.name,
    idText: row.idRaw == null ? '' : String(row.idRaw),
    certNo: row.certNo,
    qualification: row.qualification,
    verdict: results[i]!.verdict,
    findings: results[i]!.findings.map((f) => ({ code: f.code, message: f.message })),
  }));
  const count = (verdict: string) => rows.filter((r) => r.verdict === verdict).length;
  const digest = sha256HexOfBytes(request.bytes);
  const at = ctx.clock.timestamp();
  // The command line works without signing in; the report then names it as the checker.
  const account = ctx.session.state().account ?? { username: '', displayName: '命令行预审' };
  const id = Number(ctx.db.prepare(
    `INSERT INTO prechecks (at, account, unit, file_name, digest, certificate_type, row_count, pass_count, warning_count, error_count, rows_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(at, account.username, unit, request.fileName, digest, request.certificateType ?? null, rows.length, count('pass'), count('warning'), count('error'), JSON.stringify(rows)).lastInsertRowid);
  const precheck = precheckView(ctx, id)!;
  const papers = await precheckPapers(ctx, precheck, account.displayName);
  return { precheck, papers };
}

interface PrecheckRecord {
  id: number;
  at: string;
  account: string;
  unit: string;
  file_name: string;
  digest: string;
  certificate_type: string | null;
  row_count: number;
  pass_count: number;
  warning_count: number;
  error_count: number;
  rows_json: string;
}

function toView(record: PrecheckRecord): PrecheckView {
  return {
    id: record.id, at: record.at, unit: record.unit, fileName: record.file_name, digest: record.digest, code: precheckCode(record.digest),
    certificateType: record.certificate_type,
    counts: { total: record.row_count, pass: record.pass_count, warning: record.warning_count, error: record.error_count },
    rows: JSON.parse(record.rows_json) as PrecheckRow[],
  };
}

function precheckView(ctx: ServiceContext, id: number): PrecheckView | undefined {
  const record = ctx.db.prepare('SELECT * FROM prechecks WHERE id = ?').get(id) as PrecheckRecord | undefined;
  return record && toView(record);
}

const VERDICT_TEXT = { pass: '通过', warning: '警告', error: '错误' } as const;

const findingText = (row: PrecheckRow) => row.findings.map((f) => `${FINDING_LABEL[f.code as FindingCode] ?? f.code}：${f.message}`).join('\n');

async function precheckPapers(ctx: ServiceContext, precheck: PrecheckView, checkedBy: string) {
  const { counts } = precheck;
  const toFix = precheck.rows.filter((r) => r.verdict === 'error');
  const toConfirm = precheck.rows.filter((r) => r.verdict === 'warning');
  const summary = `共 ${counts.total} 行：通过 ${counts.pass}，警告 ${counts.warning}，错误 ${counts.error}`;
  const rowColumns = [{ title: '序号', width: 28 }, { title: '姓名', width: 52 }, { title: '身份证号码', width: 110 }, { title: '问题及修改要求', width: '*' as const }];
  const rowCells = (r: PrecheckRow) => [String(r.rowNo), r.name, r.idText, findingText(r)];
  const when = wallClockMinutes(precheck.at);
  const stem = `预审报告-${precheck.code}`;
  return makePapers(ctx, stem, {
    officeName: loadSettings(ctx.db).officeName,
    title: '预审报告',
    subtitle: `${precheck.unit}　发证名册预审`,
    facts: [
      ['用章单位', precheck.unit],
      ['名册文件', precheck.fileName],
      ['证书类型', precheck.certificateType ?? '按名单推定'],
      ['预审时间', when],
      ['预审人', checkedBy],
      ['结果', summary],
      ['文件摘要', `SHA-256 ${precheck.digest}`],
    ],
    code: { label: '预审码', value: precheck.code },
    tables: [
      { heading: `须修改后才能签章的行（${toFix.length} 行）`, columns: rowColumns, rows: toFix.map(rowCells), empty: '没有错误行' },
      { heading: `签章时须由窗口确认的警告（${toConfirm.length} 行）`, columns: rowColumns, rows: toConfirm.map(rowCells), empty: '没有警告' },
    ],
    printedAt: wallClockMinutes(ctx.clock.timestamp()),
    footnote: '预审不签章、不登记、不使用签章凭条；签章日导入同一文件即核对预审码',
  }, [precheckSheet(precheck, summary, when)]);
}

function precheckSheet(precheck: PrecheckView, summary: string, when: string): SheetData {
  return {
    name: '预审结果',
    preamble: [`预审报告　${precheck.unit}`, `预审码：${precheck.code}　名册文件：${precheck.fileName}　预审时间：${when}`, summary],
    columns: [
      { header: '序号', width: 6 }, { header: '证书编号', width: 18 }, { header: '姓名', width: 10 }, { header: '身份证号码', width: 21 },
      { header: '资格名称', width: 14 }, { header: '结果', width: 6 }, { header: '问题及修改要求', width: 80 },
    ],
    rows: precheck.rows.map((r) => [r.rowNo, r.certNo, r.name, r.idText, r.qualification, VERDICT_TEXT[r.verdict], findingText(r)]),
  };
}

/**
 * On the counter day: is the roster this visit imported the one a 预审 checked? The same file
 * (same SHA-256) says so; another file from the same unit is compared row by row with the last
 * 预审 of that unit, the rows as verified now at the counter.
 */
export function precheckForVisit(ctx: ServiceContext, request: Request<'precheck.forVisit'>): PrecheckMatch {
  const file = rosterFileOf(ctx.db, request.visitId);
  const detail = getVisitDetail(ctx, request.visitId);
  if (!file) return { status: 'none', message: '本次办证还没有导入发证名册。', code: null, changes: [] };
  const same = ctx.db.prepare('SELECT * FROM prechecks WHERE digest = ? ORDER BY id DESC LIMIT 1').get(file.digest) as PrecheckRecord | undefined;
  if (same) {
    const view = toView(same);
    return { status: 'match', message: `已预审，与预审报告一致（预审码 ${view.code}，${wallClockMinutes(view.at)} 预审）。`, code: view.code, changes: [] };
  }
  const unit = detail.visit.unit.trim();
  const last = ctx.db.prepare('SELECT * FROM prechecks WHERE unit = ? ORDER BY id DESC LIMIT 1').get(unit) as PrecheckRecord | undefined;
  if (!last) return { status: 'none', message: `此名册未经预审（${unit}没有预审记录）。`, code: null, changes: [] };
  const view = toView(last);
  const brought: PrecheckRow[] = detail.rows.map((r) => ({
    rowNo: r.rowNo, name: r.name, idText: r.idText, certNo: r.certNo, qualification: r.qualification, verdict: r.verdict,
    findings: r.findings.map((f) => ({ code: f.code, message: f.message })),
  }));
  const changes = compareRosters(view.rows, brought);
  const tally = (change: string) => changes.filter((c) => c.change === change).length;
  return {
    status: 'changed',
    message: `今天导入的名册不是预审时的文件（预审码 ${view.code}，${wallClockMinutes(view.at)} 预审）：新增 ${tally('新增')} 行，删除 ${tally('删除')} 行，修改 ${tally('修改')} 行。`,
    code: view.code,
    changes,
  };
}

function mostFrequent(items: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
