import { Alert, Button, Card, Col, DatePicker, Row, Segmented, Space, Statistic, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Stats } from '../../../core/contract';
import type { StatsChart } from '../../../core/contract/supervision';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';
import { EChart, type EChartHandle } from './EChart';
import { downloadBase64, downloadDataUrl } from '../common/download';
import { downloadXlsx } from './papers';
import { DATE_FORMAT, PERIOD_LABEL, periodOf, type PeriodKind } from './period';

/** The charts on the page as they are drawn, for the report's PDF. */
type ChartRegistry = Map<StatsChart, EChartHandle>;

/**
 * 统计 for supervisors and administrators: the office's work as charts, each with its table beside
 * it, a PNG of it for a report, every table in one .xlsx, and the page as a PDF. The numbers are
 * the backend's aggregates over the register and the ledger; the PDF takes only the pictures from
 * here and prints tables the backend computes itself.
 */
export function StatsPage({ today }: { today: string }) {
  const showError = useShowError();
  const [kind, setKind] = useState<PeriodKind>('month');
  const [anchor, setAnchor] = useState(today);
  const [custom, setCustom] = useState(() => periodOf('month', today));
  const period = useMemo(() => (kind === 'custom' ? custom : periodOf(kind, anchor)), [kind, custom, anchor]);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [making, setMaking] = useState(false);
  const drawn = useRef<ChartRegistry>(new Map());

  useEffect(() => {
    let current = true;
    setError(null);
    call('stats.get', period).then((s) => { if (current) setStats(s); }, (e: unknown) => { if (current) setError(e instanceof Error ? e.message : String(e)); });
    return () => { current = false; };
  }, [period]);

  const exportAll = async () => {
    try {
      const { xlsxFileName, xlsxBase64 } = await call('stats.export', period);
      downloadXlsx(xlsxFileName, xlsxBase64);
    } catch (e) {
      showError(e);
    }
  };

  const exportPdf = async () => {
    setMaking(true);
    try {
      const charts = [...drawn.current].flatMap(([chart, handle]) => { const png = handle.png(); return png ? [{ chart, png }] : []; });
      const { pdfFileName, pdfBase64 } = await call('stats.pdf', { ...period, charts });
      downloadBase64(pdfFileName, pdfBase64, 'application/pdf');
    } catch (e) {
      showError(e);
    } finally {
      setMaking(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Segmented<PeriodKind> data-testid="stats-period" value={kind} onChange={setKind} options={(Object.keys(PERIOD_LABEL) as PeriodKind[]).map((k) => ({ value: k, label: PERIOD_LABEL[k] }))} />
          {kind === 'custom' ? (
            <DatePicker.RangePicker allowClear={false} format={DATE_FORMAT} value={[dayjs(custom.from), dayjs(custom.to)]}
              onChange={(range) => { if (range?.[0] && range[1]) setCustom({ from: range[0].format(DATE_FORMAT), to: range[1].format(DATE_FORMAT) }); }} />
          ) : (
            <DatePicker allowClear={false} format={DATE_FORMAT} value={dayjs(anchor)} picker={kind === 'day' ? 'date' : kind} onChange={(d) => { if (d) setAnchor(d.format(DATE_FORMAT)); }} />
          )}
          <span data-testid="stats-range">{period.from} 至 {period.to}</span>
          <Button data-testid="stats-export" onClick={() => void exportAll()}>导出全部表格（.xlsx）</Button>
          <Button data-testid="stats-pdf" loading={making} disabled={!stats} onClick={() => void exportPdf()}>导出统计报告（PDF）</Button>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      {stats && <StatsBody stats={stats} drawn={drawn.current} />}
    </Space>
  );
}

function StatsBody({ stats, drawn }: { stats: Stats; drawn: ChartRegistry }) {
  const t = stats.totals;
  const w = stats.batchesWaiting;
  const charts = useMemo(() => chartsOf(stats), [stats]);
  return (
    <>
      <Card size="small" data-testid="stats-totals">
        <Row gutter={16}>
          <Col span={4}><Statistic title="签章证书" value={t.certificates} suffix="张" /></Col>
          <Col span={4}><Statistic title="办证次数" value={t.visits} suffix="次" /></Col>
          <Col span={4}><Statistic title="补发证书" value={t.replacements} suffix="张" /></Col>
          <Col span={4}><Statistic title="退回名册行" value={t.refusedRows} suffix="行" /></Col>
          <Col span={4}><Statistic title="待上报批次" value={w.batches} suffix={`批（${w.entries} 条）`} /></Col>
          <Col span={4}><Statistic title="未日结登记" value={w.unbatchedEntries} suffix="条" /></Col>
        </Row>
        {w.oldest && <div style={{ color: '#888', marginTop: 4 }}>最早待上报批次：{formatDateTime(w.oldest)}</div>}
      </Card>
      {charts.map((chart) => <ChartCard key={chart.testId} {...chart} drawn={drawn} />)}
    </>
  );
}

interface ChartSpec<T extends object = object> {
  chart: StatsChart;
  title: string;
  testId: string;
  option: EChartsCoreOption;
  columns: TableColumnsType<T>;
  rows: T[];
  rowKey: (row: T) => string;
  /** Taller than the others where there are many bars; its table given half the width where it has many columns. */
  height?: number;
  wide?: boolean;
}

function ChartCard<T extends object>({ chart: name, title, testId, option, columns, rows, rowKey, height, wide, drawn }: ChartSpec<T> & { drawn: ChartRegistry }) {
  const chart = useRef<EChartHandle>(null);
  const png = () => {
    const url = chart.current?.png();
    if (url) downloadDataUrl(`${title}.png`, url);
  };
  const register = (handle: EChartHandle | null) => {
    chart.current = handle;
    if (handle) drawn.set(name, handle);
    return () => { drawn.delete(name); };
  };
  return (
    <Card size="small" title={title} data-testid={`${testId}-card`} extra={<Button size="small" onClick={png}>导出图片（PNG）</Button>}>
      <Row gutter={16}>
        <Col span={wide ? 12 : 15}><EChart ref={register} testId={testId} option={option} height={height} /></Col>
        <Col span={wide ? 12 : 9}>
          <Table<T> size="small" rowKey={rowKey} columns={columns} dataSource={rows} pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }} locale={{ emptyText: '本期无数据' }} data-testid={`${testId}-table`} />
        </Col>
      </Row>
    </Card>
  );
}

const COUNTER_DAY_COLOR = '#1677ff';
const OTHER_DAY_COLOR = '#bfbfbf';

const bars = (labels: string[], values: number[], name: string, horizontal = false): EChartsCoreOption => ({
  tooltip: { trigger: 'axis' },
  grid: { left: horizontal ? 180 : 48, right: 16, top: 16, bottom: 40 },
  [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: labels, ...(horizontal ? { inverse: true } : { axisLabel: { rotate: labels.length > 8 ? 40 : 0 } }) },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
  series: [{ type: 'bar', name, data: values, barMaxWidth: 48 }],
});

function chartsOf(stats: Stats): ChartSpec[] {
  type Day = Stats['byDay'][number];
  const day: ChartSpec<Day> = {
    title: '每日签章证书（蓝色为办证日）',
    chart: 'byDay', testId: 'stats-by-day',
    option: {
      tooltip: { trigger: 'axis' },
      legend: { data: ['签章证书', '补发'], top: 0 },
      grid: { left: 48, right: 16, top: 28, bottom: 40 },
      xAxis: { type: 'category', data: stats.byDay.map((d) => d.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: '签章证书', barMaxWidth: 48, data: stats.byDay.map((d) => ({ value: d.certificates, itemStyle: { color: d.counterDay ? COUNTER_DAY_COLOR : OTHER_DAY_COLOR } })) },
        { type: 'line', name: '补发', data: stats.byDay.map((d) => d.replacements) },
      ],
    },
    columns: [{ title: '日期', dataIndex: 'date' }, { title: '证书', dataIndex: 'certificates' }, { title: '补发', dataIndex: 'replacements' }, { title: '办证日', render: (_, d) => (d.counterDay ? '是' : '否') }],
    rows: stats.byDay.filter((d) => d.certificates > 0 || d.replacements > 0),
    rowKey: (d) => d.date,
  };
  type Week = Stats['byWeek'][number];
  const week: ChartSpec<Week> = {
    title: '每周签章证书', chart: 'byWeek', testId: 'stats-by-week', option: bars(stats.byWeek.map((w) => `${w.week} 起`), stats.byWeek.map((w) => w.certificates), '签章证书'),
    columns: [{ title: '周（周一）', dataIndex: 'week' }, { title: '证书', dataIndex: 'certificates' }], rows: stats.byWeek, rowKey: (w) => w.week,
  };
  type Unit = Stats['byUnit'][number];
  const unit: ChartSpec<Unit> = {
    title: '用章单位（前 15 名）', chart: 'byUnit', testId: 'stats-by-unit', option: bars(stats.byUnit.map((u) => u.unit), stats.byUnit.map((u) => u.certificates), '签章证书', true),
    columns: [{ title: '用章单位', dataIndex: 'unit' }, { title: '证书', dataIndex: 'certificates' }, { title: '办证', dataIndex: 'visits' }], rows: stats.byUnit, rowKey: (u) => u.unit,
  };
  type Seal = Stats['bySeal'][number];
  const seal: ChartSpec<Seal> = {
    title: '印章和用印文件', chart: 'bySeal', testId: 'stats-by-seal', option: bars(stats.bySeal.map((s) => `${s.seal} ${s.documentKind}`), stats.bySeal.map((s) => s.count), '用印数量', true),
    columns: [{ title: '印章', dataIndex: 'seal' }, { title: '文件', dataIndex: 'documentKind' }, { title: '数量', dataIndex: 'count' }], rows: stats.bySeal, rowKey: (s) => `${s.seal}|${s.documentKind}`,
  };
  type Clerk = Stats['byClerk'][number];
  const clerk: ChartSpec<Clerk> = {
    title: '窗口经办人', chart: 'byClerk', testId: 'stats-by-clerk', option: bars(stats.byClerk.map((c) => c.clerk), stats.byClerk.map((c) => c.certificates), '签章证书'),
    columns: [{ title: '经办人', dataIndex: 'clerk' }, { title: '证书', dataIndex: 'certificates' }, { title: '办证', dataIndex: 'visits' }], rows: stats.byClerk, rowKey: (c) => c.clerk,
  };
  type Refusal = Stats['refusals'][number];
  const refusals: ChartSpec<Refusal> = {
    title: '退回原因', chart: 'refusals', testId: 'stats-refusals',
    option: { tooltip: { trigger: 'item' }, legend: { type: 'scroll', orient: 'vertical', right: 0 }, series: [{ type: 'pie', radius: ['35%', '70%'], center: ['35%', '50%'], data: stats.refusals.map((r) => ({ name: r.label, value: r.rows })) }] },
    columns: [{ title: '原因', dataIndex: 'label' }, { title: '行数', dataIndex: 'rows' }], rows: stats.refusals, rowKey: (r) => r.code,
  };
  return [day, week, unit, seal, clerk, refusals, ...stockCharts(stats.stock)] as unknown as ChartSpec[];
}

/** Each measure of the stock in one colour on both of its charts: the shelf grey, sealed green, spoiled red. */
const STOCK_COLOR = { 入库: '#8c8c8c', 发放: '#5470c6', 签章: '#52c41a', 退回废证: '#ee6666', 期末单位持有: '#fac858' } as const;
type StockMeasure = keyof typeof STOCK_COLOR;

/** Bars side by side, one group per category and one bar per measure, as the stock's figures compare. */
const groupedBars = (labels: string[], series: [name: StockMeasure, values: number[]][], horizontal: boolean): EChartsCoreOption => ({
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  legend: { data: series.map(([name]) => name), top: 0 },
  grid: { left: horizontal ? 190 : 48, right: 16, top: 32, bottom: horizontal ? 24 : 48 },
  [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: labels, axisLabel: { interval: 0, width: horizontal ? 180 : 150, overflow: 'truncate' }, ...(horizontal ? { inverse: true } : {}) },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
  series: series.map(([name, data]) => ({ type: 'bar', name, data, barMaxWidth: 28, itemStyle: { color: STOCK_COLOR[name] } })),
});

function stockCharts(stock: Stats['stock']): ChartSpec[] {
  type TypeLine = Stats['stock']['byType'][number];
  type UnitLine = Stats['stock']['byUnit'][number];
  // A period over two years has the same type twice: its stock year tells them apart.
  const years = new Set(stock.byType.map((t) => t.year));
  const typeLabel = (l: { certificateType: string; year: number }) => (years.size > 1 ? `${l.certificateType}（${l.year}）` : l.certificateType);
  const flowColumns = <T extends UnitLine | TypeLine>(): TableColumnsType<T> => [
    { title: '期初', dataIndex: 'heldAtStart' }, { title: '发放', dataIndex: 'issued' }, { title: '签章', dataIndex: 'sealed' }, { title: '废证', dataIndex: 'spoiled' }, { title: '期末', dataIndex: 'heldAtEnd' },
  ];
  const byType: ChartSpec<TypeLine> = {
    chart: 'stockByType', title: '空白证书：入库、发放、签章、退回废证和单位持有', testId: 'stats-stock', wide: true,
    option: groupedBars(stock.byType.map(typeLabel), [
      ['入库', stock.byType.map((t) => t.received)], ['发放', stock.byType.map((t) => t.issued)], ['签章', stock.byType.map((t) => t.sealed)],
      ['退回废证', stock.byType.map((t) => t.spoiled)], ['期末单位持有', stock.byType.map((t) => t.heldAtEnd)],
    ], false),
    columns: [{ title: '证书类型', render: (_, t) => typeLabel(t) }, { title: '入库', dataIndex: 'received' }, ...flowColumns<TypeLine>(), { title: '库存', dataIndex: 'onHandAtEnd' }],
    rows: stock.byType, rowKey: (t) => `${t.certificateType}|${t.year}`,
  };
  // A unit is named alone unless it moved blanks of more than one type in the period.
  const lines = new Map<string, number>();
  for (const u of stock.byUnit) lines.set(u.unit, (lines.get(u.unit) ?? 0) + 1);
  const unitLabel = (u: UnitLine) => (lines.get(u.unit)! > 1 ? `${u.unit}（${typeLabel(u)}）` : u.unit);
  const byUnit: ChartSpec<UnitLine> = {
    chart: 'stockByUnit', title: `空白证书：领用单位（前 ${stock.byUnit.length} 名，共 ${stock.unitCount} 个单位）`, testId: 'stats-stock-units', wide: true,
    height: Math.max(260, 60 + 44 * stock.byUnit.length),
    option: groupedBars(stock.byUnit.map(unitLabel), [
      ['发放', stock.byUnit.map((u) => u.issued)], ['签章', stock.byUnit.map((u) => u.sealed)], ['退回废证', stock.byUnit.map((u) => u.spoiled)], ['期末单位持有', stock.byUnit.map((u) => u.heldAtEnd)],
    ], true),
    columns: [{ title: '用章单位', dataIndex: 'unit' }, { title: '证书类型', render: (_, u) => typeLabel(u) }, ...flowColumns<UnitLine>()],
    rows: stock.byUnit, rowKey: (u) => `${u.unit}|${u.certificateType}|${u.year}`,
  };
  return [byType, byUnit] as unknown as ChartSpec[];
}
