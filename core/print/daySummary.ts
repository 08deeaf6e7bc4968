import { wallClockMinutes } from '../time';
import type { DayPrintData, PrintEntry } from './inputs';
import { totalsOf } from './registerSheet';
import type { PrintedSheet, SheetRow } from './sheet';

/**
 * 当日汇总: what the counter did on one office day, per seal and document kind, per unit and per
 * clerk, with the batches closed and the day's first and last register numbers.
 */
export const DAY_SUMMARY_TITLE = '当日汇总';

interface Tally {
  visits: Set<number>;
  sealed: number;
  refused: number;
  reissued: number;
}

const tally = (): Tally => ({ visits: new Set(), sealed: 0, refused: 0, reissued: 0 });

function tallyBy(data: DayPrintData, keyOf: (visit: { unit: string; clerk: string }) => string): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const visits = new Map(data.visits.map((v) => [v.id, v]));
  const get = (key: string) => tallies.get(key) ?? (tallies.set(key, tally()), tallies.get(key)!);
  for (const visit of data.visits) {
    const t = get(keyOf(visit));
    t.visits.add(visit.id);
    t.refused += visit.refused;
  }
  for (const certificate of data.certificates) {
    const visit = visits.get(certificate.visitId);
    const t = get(keyOf(visit ?? { unit: certificate.unit, clerk: '' }));
    t.sealed++;
    if (certificate.reissue) t.reissued++;
  }
  return tallies;
}

function tallyRows(tallies: Map<string, Tally>, what: string): SheetRow[] {
  return [...tallies].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, t]) => ({
    label: `${what}“${key}”一行`,
    cells: [key, String(t.visits.size), String(t.sealed), String(t.refused), String(t.reissued)],
  }));
}

const TALLY_COLUMNS = (first: string) => [
  { title: first, width: '*' as const },
  { title: '办证次数', width: 60, align: 'center' as const },
  { title: '签章本数', width: 60, align: 'center' as const },
  { title: '退回本数', width: 60, align: 'center' as const },
  { title: '补发本数', width: 60, align: 'center' as const },
];

export function daySummarySheet(data: DayPrintData, subtitle: string, proofCaption: string): PrintedSheet {
  const seals = data.entries.filter((e) => e.kind === '签章');
  const first: PrintEntry | undefined = data.entries[0];
  const last: PrintEntry | undefined = data.entries[data.entries.length - 1];
  const refused = data.visits.reduce((sum, v) => sum + v.refused, 0);
  const reissued = data.certificates.filter((c) => c.reissue).length;
  return {
    form: 'day-summary',
    scope: { date: data.date },
    officeName: data.officeName,
    title: DAY_SUMMARY_TITLE,
    subtitle,
    orientation: 'portrait',
    parts: [
      {
        kind: 'facts',
        items: [
          { label: '办证次数', value: String(data.visits.length) },
          { label: '签章证书', value: `${data.certificates.length} 本` },
          { label: '退回', value: `${refused} 本` },
          { label: '补发', value: `${reissued} 本` },
          { label: '登记', value: `${data.entries.length} 条（签章 ${seals.length} 条）` },
          { label: '登记序号', value: first && last ? `第 ${first.seq} 号至第 ${last.seq} 号` : '当日无登记' },
          { label: '首条登记时间', value: first ? wallClockMinutes(first.at) : '—' },
          { label: '末条登记时间', value: last ? wallClockMinutes(last.at) : '—' },
        ],
      },
      {
        kind: 'table',
        title: '按印章及用印文件',
        columns: [{ title: '印章', width: '*' }, { title: '用印文件', width: 70, align: 'center' }, { title: '登记次数', width: 70, align: 'center' }, { title: '数量', width: 70, align: 'center' }],
        rows: totalsOf(data.entries).map((t) => ({ label: `印章“${t.seal} ${t.documentKind}”一行`, cells: [t.seal, t.documentKind, String(t.entries), String(t.count)] })),
        empty: '当日没有签章',
      },
      { kind: 'table', title: '按用章单位', columns: TALLY_COLUMNS('用章单位'), rows: tallyRows(tallyBy(data, (v) => v.unit), '用章单位'), empty: '当日没有办证' },
      { kind: 'table', title: '按窗口经办人', columns: TALLY_COLUMNS('窗口经办人'), rows: tallyRows(tallyBy(data, (v) => v.clerk), '窗口经办人'), empty: '当日没有办证' },
      {
        kind: 'table',
        title: '日结批次',
        columns: [{ title: '批次', width: 60, align: 'center' }, { title: '登记序号', width: '*' }, { title: '条数', width: 70, align: 'center' }, { title: '日结时间', width: 110, align: 'center' }],
        rows: data.batches.map((b) => ({ label: `第 ${b.batchNo} 批一行`, cells: [`第 ${b.batchNo} 批`, `第 ${b.firstSeq}–${b.lastSeq} 号`, String(b.entryCount), wallClockMinutes(b.createdAt)] })),
        empty: '当日尚未日结',
      },
      { kind: 'signatures', items: ['制表人：', '审核人签字：'] },
    ],
    proofCaption,
  };
}
