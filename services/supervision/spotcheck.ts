import { randomBytes } from 'node:crypto';
import type { Request, SpotcheckDrawView, SpotcheckItem, SpotcheckView, SpotcheckVisitItem, SpotcheckVisitSeen } from '../../core/contract';
import { UserError } from '../../core/errors';
import { sha256Hex } from '../../core/register/entries';
import type { SpotcheckDrawRecord, SpotcheckResultRecord, SpotcheckSampling } from '../../core/register/records';
import { drawSample, sampleSizeFor, samplingOf } from '../../core/supervision/spotcheck';
import { wallClockMinutes } from '../../core/time';
import type { RosterRow } from '../../core/verify/roster';
import type { ServiceContext } from '../context';
import { appendRegisterEntries, registerEntriesOf, withCorrections, type NewEntry } from '../register/entries';
import { writeToRegister } from '../register/integrity';
import { loadSettings } from '../settings/settings';
import { getVisitDetail } from '../visits/visits';
import { makePapers, type SheetData } from './papers';

/**
 * 抽查 (the Anhui notice: the province spot-checks the clerks' checks). A draw is a register entry
 * of its own carrying its seed, its parameters and the population as it stood, so the same sample
 * can be drawn again by anyone and a second draw over the same period is there for all to see.
 * A draw samples single certificates or whole sealed visits; each finding on a sampled certificate
 * or visit is a register entry too.
 */
const SPOTCHECK_KINDS = "r.kind IN ('spotcheck-draw', 'spotcheck-result')";

type DrawRequest = Request<'spotcheck.draw'>;

/** How the register entry, the screen and the paper count what a draw samples. */
const WORDS: Record<SpotcheckSampling, { noun: string; measure: string; whole: string }> = {
  certificates: { noun: '证书', measure: '张', whole: '张' },
  visits: { noun: '办证', measure: '次', whole: '次办证' },
};

export function drawSpotcheck(ctx: ServiceContext, request: DrawRequest): SpotcheckView {
  if (request.from > request.to) throw new UserError(`抽查期间的开始日期 ${request.from} 晚于结束日期 ${request.to}。`);
  const sampling = request.sampling ?? 'certificates';
  const words = WORDS[sampling];
  const filters = { from: request.from, to: request.to, unit: request.unit ?? '', clerk: request.clerk ?? '', certificateType: request.certificateType ?? '' };
  const seq = writeToRegister(ctx, '抽查', () => {
    const population = populationOf(ctx, sampling, filters);
    if (population.length === 0) throw new UserError(`${request.from} 至 ${request.to} 没有符合条件的已签章${words.noun}，无法抽样。`);
    const seed = request.seed ?? randomBytes(16).toString('hex');
    const sampleSize = sampleSizeFor(population.length, request);
    const sampleIds = drawSample(population.length, sampleSize, seed).map((i) => population[i]!);
    const earlierDraws = drawRecords(ctx).filter(({ record }) => samplingOf(record) === sampling && sameFilters(record, filters)).map(({ seq: s }) => s);
    const record: SpotcheckDrawRecord = {
      kind: 'spotcheck-draw', sampling, seed, ...filters, size: request.size ?? null, percent: request.percent ?? null,
      populationSize: population.length, populationDigest: sha256Hex(population.join(',')), sampleIds, earlierDraws,
    };
    const scope = [filters.unit && `单位 ${filters.unit}`, filters.clerk && `经办人 ${filters.clerk}`, filters.certificateType].filter(Boolean).join('，');
    const [entry] = appendRegisterEntries(ctx, [supervisionEntry(ctx, {
      kind: '抽查抽样', count: sampleIds.length, unit: filters.unit, visitId: 0,
      purpose: `抽查${sampling === 'visits' ? '办证' : ''} ${filters.from} 至 ${filters.to}${scope ? `（${scope}）` : ''}`,
      remarks: `随机种子 ${seed}；共 ${population.length} ${words.whole}，抽取 ${sampleIds.length} ${words.measure}${earlierDraws.length > 0 ? `；同一范围此前已抽样 ${earlierDraws.length} 次（第 ${earlierDraws.join('、')} 号）` : ''}`,
      records: [record],
    })]);
    return entry!.seq;
  });
  return spotcheckView(ctx, seq);
}

export function recordSpotcheckResult(ctx: ServiceContext, request: Request<'spotcheck.record'>): SpotcheckView {
  const { drawSeq, verdict } = request;
  const note = request.note.trim();
  writeToRegister(ctx, '抽查', () => {
    const { record } = requireDraw(ctx, drawSeq);
    let checked: { result: SpotcheckResultRecord; unit: string; what: string };
    if (samplingOf(record) === 'visits') {
      const { visitId } = request;
      if (visitId === undefined) throw new UserError(`第 ${drawSeq} 号是按办证抽样，请指明所查的办证。`);
      requireSampledVisit(record, drawSeq, visitId);
      checked = { result: { kind: 'spotcheck-result', drawSeq, visitId, verdict, note }, unit: visitItem(ctx, visitId, undefined).unit, what: `第 ${visitId} 号办证` };
    } else {
      const { certificateId } = request;
      if (certificateId === undefined) throw new UserError(`第 ${drawSeq} 号是按证书抽样，请指明所查的证书。`);
      if (!record.sampleIds.includes(certificateId)) throw new UserError(`该证书不在第 ${drawSeq} 号抽样中。`);
      const certificate = ctx.db.prepare('SELECT cert_no, unit FROM certificates WHERE id = ?').get(certificateId) as { cert_no: string; unit: string };
      checked = { result: { kind: 'spotcheck-result', drawSeq, certificateId, certNo: certificate.cert_no, verdict, note }, unit: certificate.unit, what: `证书 ${certificate.cert_no}` };
    }
    appendRegisterEntries(ctx, [supervisionEntry(ctx, {
      // visitId 0 even for a sampled visit: like every entry that is not seal usage, it stays off the
      // counter's register list and papers (services/register/entries.ts); the record names the visit.
      kind: '抽查结果', count: 1, unit: checked.unit, visitId: 0,
      purpose: `第 ${drawSeq} 号抽查：${checked.what}`,
      remarks: `${verdict}${note ? `：${note}` : ''}`,
      records: [checked.result],
    })]);
  });
  return spotcheckView(ctx, drawSeq);
}

function requireSampledVisit(record: SpotcheckDrawRecord, drawSeq: number, visitId: number): void {
  if (!record.sampleIds.includes(visitId)) throw new UserError(`第 ${visitId} 号办证不在第 ${drawSeq} 号抽样中。`);
}

function supervisionEntry(ctx: ServiceContext, fields: Pick<NewEntry, 'kind' | 'count' | 'unit' | 'visitId' | 'purpose' | 'remarks' | 'records'>): NewEntry {
  const supervisor = ctx.session.requireAccount();
  return {
    at: ctx.clock.timestamp(), correctsSeq: null, sealId: '', sealName: '', sealKind: '', documentKind: '', agentName: '', agentPhone: '', slipNo: '',
    clerk: supervisor.displayName, clerkAccount: supervisor.username, approver: '', signMethod: '', ...fields,
  };
}

interface Filters {
  from: string;
  to: string;
  unit: string;
  clerk: string;
  certificateType: string;
}

const sameFilters = (a: Filters, b: Filters) => a.from === b.from && a.to === b.to && a.unit === b.unit && a.clerk === b.clerk && a.certificateType === b.certificateType;

/**
 * The draw's population, from the ledger: the certificates sealed in the period that fit the
 * filters, in ledger order, or the visits those certificates name, in the order of the visit ids
 * the ledger records (so the same seed draws the same visits from any copy of the register).
 */
function populationOf(ctx: ServiceContext, sampling: SpotcheckSampling, f: Filters): number[] {
  const [select, grouped] = sampling === 'visits' ? ['c.visit_id', 'GROUP BY c.visit_id ORDER BY c.visit_id'] : ['c.id', 'ORDER BY c.id'];
  return ctx.db.prepare(
    `SELECT ${select} FROM certificates c
     JOIN register_entries e ON e.seq = c.entry_seq
     LEFT JOIN visits v ON v.id = c.visit_id
     WHERE c.sealed_at >= ? AND c.sealed_at < ?
       AND (? = '' OR c.unit = ?) AND (? = '' OR e.clerk = ?) AND (? = '' OR v.certificate_type = ?)
     ${grouped}`,
  ).pluck().all(f.from, `${f.to}\uffff`, f.unit, f.unit, f.clerk, f.clerk, f.certificateType, f.certificateType) as number[];
}

interface StoredDraw {
  seq: number;
  at: string;
  supervisor: string;
  record: SpotcheckDrawRecord;
}

function drawRecords(ctx: ServiceContext): StoredDraw[] {
  return (ctx.db.prepare(
    `SELECT r.entry_seq AS seq, e.at, e.clerk AS supervisor, r.record FROM entry_records r JOIN register_entries e ON e.seq = r.entry_seq
     WHERE ${SPOTCHECK_KINDS} AND r.kind = 'spotcheck-draw' ORDER BY r.entry_seq`,
  ).all() as { seq: number; at: string; supervisor: string; record: string }[]).map((row) => ({ ...row, record: JSON.parse(row.record) as SpotcheckDrawRecord }));
}

function requireDraw(ctx: ServiceContext, seq: number): StoredDraw {
  const draw = drawRecords(ctx).find((d) => d.seq === seq);
  if (!draw) throw new UserError(`登记簿第 ${seq} 号不是抽查抽样。`);
  return draw;
}

interface StoredResult {
  seq: number;
  at: string;
  by: string;
  record: SpotcheckResultRecord;
}

/** The latest finding per certificate (or visit) of a draw (an earlier one stays in the register). */
function resultsOf(ctx: ServiceContext, drawSeq: number): Map<number, StoredResult> {
  const rows = ctx.db.prepare(
    `SELECT r.entry_seq AS seq, e.at, e.clerk AS by, r.record FROM entry_records r JOIN register_entries e ON e.seq = r.entry_seq
     WHERE ${SPOTCHECK_KINDS} AND r.kind = 'spotcheck-result' AND json_extract(r.record, '$.drawSeq') = ? ORDER BY r.entry_seq`,
  ).all(drawSeq) as { seq: number; at: string; by: string; record: string }[];
  const latest = new Map<number, StoredResult>();
  for (const row of rows) {
    const record = JSON.parse(row.record) as SpotcheckResultRecord;
    latest.set('visitId' in record ? record.visitId : record.certificateId, { ...row, record });
  }
  return latest;
}

function drawView(draw: StoredDraw, results: Map<number, StoredResult>): SpotcheckDrawView {
  const { record } = draw;
  return {
    seq: draw.seq, sampling: samplingOf(record), at: draw.at, supervisor: draw.supervisor, seed: record.seed, from: record.from, to: record.to, unit: record.unit, clerk: record.clerk,
    certificateType: record.certificateType, size: record.size, percent: record.percent, populationSize: record.populationSize, sampleSize: record.sampleIds.length,
    earlierDraws: record.earlierDraws, checked: results.size, problems: [...results.values()].filter((r) => r.record.verdict === '有问题').length,
  };
}

export function listSpotchecks(ctx: ServiceContext): SpotcheckDrawView[] {
  return drawRecords(ctx).reverse().map((draw) => drawView(draw, resultsOf(ctx, draw.seq)));
}

interface SampledRow {
  id: number;
  cert_no: string;
  name: string;
  id_number: string;
  qualification: string;
  approval_doc: string;
  unit: string;
  visit_id: number;
  sealed_at: string;
  entry_seq: number;
  clerk: string;
  slip_no: string;
  approver: string;
  documents_seen: string | null;
  day_acknowledgement: string | null;
}

const resultView = (result: StoredResult | undefined) => (result ? { verdict: result.record.verdict, note: result.record.note, by: result.by, at: result.at, seq: result.seq } : null);

export function spotcheckView(ctx: ServiceContext, seq: number): SpotcheckView {
  const draw = requireDraw(ctx, seq);
  const results = resultsOf(ctx, seq);
  if (samplingOf(draw.record) === 'visits') {
    return { draw: drawView(draw, results), items: [], visits: draw.record.sampleIds.map((id) => visitItem(ctx, id, results.get(id))) };
  }
  const certificate = ctx.db.prepare(
    `SELECT c.id, c.cert_no, c.name, c.id_number, c.qualification, c.approval_doc, c.unit, c.visit_id, c.sealed_at, c.entry_seq,
       e.clerk, e.slip_no, e.approver, v.documents_seen, v.day_acknowledgement
     FROM certificates c JOIN register_entries e ON e.seq = c.entry_seq LEFT JOIN visits v ON v.id = c.visit_id WHERE c.id = ?`,
  );
  const rosterRows = ctx.db.prepare('SELECT row_json, acknowledgement, sealed_findings FROM visit_rows WHERE visit_id = ?');
  const items = draw.record.sampleIds.map((id): SpotcheckItem => {
    const c = certificate.get(id) as SampledRow;
    const seen = (rosterRows.all(c.visit_id) as { row_json: string; acknowledgement: string | null; sealed_findings: string | null }[])
      .map((r) => ({ row: JSON.parse(r.row_json) as RosterRow, acknowledgement: r.acknowledgement, kept: JSON.parse(r.sealed_findings ?? '{"findings":[]}') as { findings: SpotcheckItem['findings'] } }))
      .find((r) => r.row.certNo === c.cert_no);
    const result = results.get(id);
    return {
      certificateId: c.id, certNo: c.cert_no, name: c.name, idNumber: c.id_number, qualification: c.qualification, approvalDoc: c.approval_doc, unit: c.unit,
      visitId: c.visit_id, sealedAt: c.sealed_at, clerk: c.clerk, entrySeq: c.entry_seq, slipNo: c.slip_no, approver: c.approver,
      rosterRow: seen ? { rowNo: seen.row.rowNo, workUnit: seen.row.workUnit, major: seen.row.major, approvedOn: seen.row.approvedOn == null ? '' : String(seen.row.approvedOn), remark: seen.row.remark } : null,
      findings: seen?.kept.findings ?? [],
      acknowledgement: seen?.acknowledgement ?? null,
      documentsSeen: JSON.parse(c.documents_seen ?? '[]') as string[],
      dayAcknowledgement: c.day_acknowledgement,
      result: resultView(result),
    };
  });
  return { draw: drawView(draw, results), items, visits: [] };
}

/**
 * A sampled visit as the ledger and the register have it: sealed when and by whom, how many
 * certificates; the unit, the agent and the slip as the sealing entry recorded them. The visit's
 * entries are found by the register's stored visit column, not by reading every ledger record.
 */
function visitItem(ctx: ServiceContext, visitId: number, result: StoredResult | undefined): SpotcheckVisitItem {
  const row = ctx.db.prepare(
    `SELECT count(c.id) AS certificates, min(c.sealed_at) AS sealed_at, min(e.clerk) AS clerk, min(e.unit) AS unit, min(e.agent_name) AS agent_name, min(e.slip_no) AS slip_no,
       (SELECT certificate_type FROM visits WHERE id = @visitId) AS certificate_type,
       (SELECT count(*) FROM visit_rows WHERE visit_id = @visitId) AS rows,
       (SELECT count(*) FROM visit_rows WHERE visit_id = @visitId AND coalesce(json_extract(sealed_findings, '$.sealed'), 0) = 0) AS refused
     FROM register_entries e JOIN certificates c ON c.entry_seq = e.seq WHERE e.visit_id = @visitId`,
  ).get({ visitId }) as { certificates: number; sealed_at: string; clerk: string; unit: string; agent_name: string; slip_no: string; certificate_type: string | null; rows: number; refused: number };
  return {
    visitId, unit: row.unit, agentName: row.agent_name, certificateType: row.certificate_type ?? '', slipNo: row.slip_no, sealedAt: row.sealed_at, clerk: row.clerk,
    certificateCount: row.certificates, rowCount: row.rows, refusedCount: row.refused, result: resultView(result),
  };
}

/** What the clerk saw of one sampled visit: the sealed visit as the counter shows it, and the register entries naming it. */
export function spotcheckVisit(ctx: ServiceContext, request: Request<'spotcheck.visit'>): SpotcheckVisitSeen {
  const draw = requireDraw(ctx, request.drawSeq);
  if (samplingOf(draw.record) !== 'visits') throw new UserError(`第 ${request.drawSeq} 号是按证书抽样，没有抽取办证。`);
  requireSampledVisit(draw.record, request.drawSeq, request.visitId);
  return {
    item: visitItem(ctx, request.visitId, resultsOf(ctx, request.drawSeq).get(request.visitId)),
    detail: getVisitDetail(ctx, request.visitId),
    entries: withCorrections(ctx.db, registerEntriesOf(ctx.db, { visitId: request.visitId })),
  };
}

/** 抽查记录: the draw and every sampled certificate or visit with the finding, as PDF and .xlsx. */
export async function spotcheckPapers(ctx: ServiceContext, seq: number) {
  const view = spotcheckView(ctx, seq);
  const { draw } = view;
  const words = WORDS[draw.sampling];
  const scope = [draw.unit && `用章单位：${draw.unit}`, draw.clerk && `窗口经办人：${draw.clerk}`, draw.certificateType && `证书类型：${draw.certificateType}`].filter(Boolean).join('；') || '全部';
  const asked = draw.size != null ? `${draw.size} ${words.whole}` : `${draw.percent}%`;
  const redraw = draw.earlierDraws.length > 0 ? `是：同一范围此前已抽样 ${draw.earlierDraws.length} 次（登记簿第 ${draw.earlierDraws.join('、')} 号）` : '否';
  const summary = `抽取 ${draw.sampleSize} ${words.whole}，已检查 ${draw.checked} ${words.measure}，其中有问题 ${draw.problems} ${words.measure}`;
  const { table, sheet } = draw.sampling === 'visits' ? visitRows(view.visits) : certificateRows(view.items);
  return makePapers(ctx, `抽查记录-${seq}`, {
    officeName: loadSettings(ctx.db).officeName,
    title: '抽查记录',
    subtitle: `${draw.from} 至 ${draw.to} 签章${words.noun}抽查`,
    facts: [
      ['登记簿号', `第 ${draw.seq} 号（抽查抽样）`], ['抽样时间', wallClockMinutes(draw.at)], ['抽查人', draw.supervisor],
      ['抽样对象', draw.sampling === 'visits' ? '已签章的办证（每次办证整体检查）' : '已签章的证书'], ['抽查范围', scope],
      ['抽样方法', `按随机种子抽取 ${asked}，总体 ${draw.populationSize} ${words.whole}`], ['重新抽样', redraw], ['结果', summary],
    ],
    code: { label: '随机种子', value: draw.seed },
    tables: [{ heading: '抽查明细', ...table, empty: '无' }],
    printedAt: wallClockMinutes(ctx.clock.timestamp()),
    footnote: '抽样参数与结果均已记入登记簿，可按随机种子复现',
  }, [{
    name: '抽查记录',
    preamble: [`抽查记录　${draw.from} 至 ${draw.to}　登记簿第 ${draw.seq} 号`, `随机种子：${draw.seed}　范围：${scope}　总体 ${draw.populationSize} ${words.whole}`, summary],
    ...sheet,
  }]);
}

type Result = SpotcheckItem['result'];
const verdictOf = (result: Result) => result?.verdict ?? '未检查';
/** The finding's own columns, last on every row of the .xlsx: 结论, 说明, 检查人, 检查时间. */
const RESULT_COLUMNS: SheetData['columns'] = [{ header: '结论', width: 8 }, { header: '说明', width: 40 }, { header: '检查人', width: 10 }, { header: '检查时间', width: 17 }];
const resultCells = (result: Result) => [verdictOf(result), result?.note ?? '', result?.by ?? '', result ? wallClockMinutes(result.at) : ''];

type PaperRows = { table: { columns: { title: string; width: number | '*' }[]; rows: string[][] }; sheet: Pick<SheetData, 'columns' | 'rows'> };

function certificateRows(items: SpotcheckItem[]): PaperRows {
  return {
    table: {
      columns: [{ title: '证书编号', width: 74 }, { title: '姓名', width: 44 }, { title: '用章单位', width: 90 }, { title: '签章时间', width: 62 }, { title: '经办人', width: 40 }, { title: '结论', width: 36 }, { title: '说明', width: '*' }],
      rows: items.map((item) => [item.certNo, item.name, item.unit, wallClockMinutes(item.sealedAt), item.clerk, verdictOf(item.result), item.result?.note ?? '']),
    },
    sheet: {
      columns: [
        { header: '证书编号', width: 18 }, { header: '姓名', width: 10 }, { header: '身份证号码', width: 21 }, { header: '资格名称', width: 14 }, { header: '用章单位', width: 28 },
        { header: '签章时间', width: 17 }, { header: '窗口经办人', width: 10 }, ...RESULT_COLUMNS,
      ],
      rows: items.map((item) => [item.certNo, item.name, item.idNumber, item.qualification, item.unit, wallClockMinutes(item.sealedAt), item.clerk, ...resultCells(item.result)]),
    },
  };
}

function visitRows(visits: SpotcheckVisitItem[]): PaperRows {
  return {
    table: {
      columns: [{ title: '办证号', width: 30 }, { title: '用章单位', width: 110 }, { title: '经办人', width: 40 }, { title: '窗口经办人', width: 54 }, { title: '签章时间', width: 62 }, { title: '证书张数', width: 44 }, { title: '结论', width: 36 }, { title: '说明', width: '*' }],
      rows: visits.map((v) => [String(v.visitId), v.unit, v.agentName, v.clerk, wallClockMinutes(v.sealedAt), String(v.certificateCount), verdictOf(v.result), v.result?.note ?? '']),
    },
    sheet: {
      columns: [
        { header: '办证号', width: 8 }, { header: '用章单位', width: 28 }, { header: '经办人', width: 10 }, { header: '证书类型', width: 16 }, { header: '签章凭条', width: 14 },
        { header: '签章时间', width: 17 }, { header: '窗口经办人', width: 10 }, { header: '证书张数', width: 9 }, { header: '名册行数', width: 9 }, { header: '未签章行数', width: 10 }, ...RESULT_COLUMNS,
      ],
      rows: visits.map((v) => [v.visitId, v.unit, v.agentName, v.certificateType, v.slipNo, wallClockMinutes(v.sealedAt), v.clerk, v.certificateCount, v.rowCount, v.refusedCount, ...resultCells(v.result)]),
    },
  };
}
