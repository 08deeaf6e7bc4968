import { Button, Card, InputNumber, Space, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { BalanceView, StockMovementView } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';
import { SlipRequestsPanel } from './SlipRequestsPanel';
import { IssueForm, ReceiveForm, SpoiledForm } from './StockForms';
import { blobUrl, StockPaperModal, type StockPaper } from './StockPaperModal';

type BalanceLine = BalanceView['lines'][number];
type ShelfLine = BalanceView['office'][number];
type Range = BalanceLine['ranges'][number];

const rangesText = (ranges: readonly Range[]) => ranges.map((r) => (r.first === r.last ? r.first : `${r.first}–${r.last}`)).join('，');

const BALANCE_COLUMNS: TableColumnsType<BalanceLine> = [
  { title: '用章单位', dataIndex: 'unit', width: 220 },
  { title: '证书类型', dataIndex: 'certificateType', width: 200 },
  { title: '已发放', dataIndex: 'issued', width: 80, align: 'right' },
  { title: '其中备用', dataIndex: 'spares', width: 90, align: 'right' },
  { title: '其中换领', dataIndex: 'exchanged', width: 90, align: 'right' },
  { title: '已签章', dataIndex: 'sealed', width: 80, align: 'right' },
  { title: '废证退回', dataIndex: 'spoiled', width: 90, align: 'right' },
  { title: '尚持有', dataIndex: 'held', width: 80, align: 'right' },
  // The sum spelled out, so the clerk reads the reconciliation rather than trusting a tick.
  { title: '核对', key: 'check', width: 170, render: (_: unknown, l: BalanceLine) => `${l.issued} = ${l.sealed} + ${l.spoiled} + ${l.held}` },
  { title: '号段', key: 'ranges', render: (_: unknown, l: BalanceLine) => rangesText(l.ranges) },
  { title: '提示', key: 'flags', width: 260, render: (_: unknown, l: BalanceLine) => l.flags.map((f) => <Tag key={f.code} color="red" style={{ whiteSpace: 'normal' }}>{f.message}</Tag>) },
];

const SHELF_COLUMNS: TableColumnsType<ShelfLine> = [
  { title: '证书类型', dataIndex: 'certificateType', width: 220 },
  { title: '入库', dataIndex: 'received', width: 80, align: 'right' },
  { title: '已发放', dataIndex: 'issued', width: 80, align: 'right' },
  { title: '库存', dataIndex: 'onHand', width: 80, align: 'right' },
  { title: '库存号段', key: 'ranges', render: (_: unknown, l: ShelfLine) => rangesText(l.rangesOnHand) },
];

const movementColumns = (print: (paper: StockPaper, title: string) => void): TableColumnsType<StockMovementView> => [
  { title: '登记号', dataIndex: 'seq', width: 80 },
  { title: '时间', dataIndex: 'at', width: 150, render: (at: string) => formatDateTime(at) },
  { title: '类别', dataIndex: 'kind', width: 120 },
  { title: '经办人', dataIndex: 'clerk', width: 100 },
  { title: '内容', dataIndex: 'description' },
  {
    title: '', key: 'papers', width: 110, render: (_: unknown, m: StockMovementView) => m.kind === '空白证书发放' && (
      <Button size="small" data-testid={`stock-print-issue-${m.seq}`} onClick={() => print({ document: 'issueSlip', seq: m.seq }, `发放单：${m.unit}`)}>打印发放单</Button>
    ),
  },
];

/**
 * 证书库存: blanks received, issued and returned spoiled, and the reconciliation per unit
 * (issued = sealed + spoiled + held). Receiving and issuing are a supervisor's; the counter
 * records the spoiled ones a unit hands back.
 */
export function StockPage({ today }: { today: string }) {
  const showError = useShowError();
  const isSupervisor = useCan('supervisor');
  const [year, setYear] = useState(() => Number(today.slice(0, 4)));
  const [balance, setBalance] = useState<BalanceView | null>(null);
  const [movements, setMovements] = useState<StockMovementView[]>([]);
  const [loading, setLoading] = useState(true);
  const [paper, setPaper] = useState<{ paper: StockPaper; title: string } | null>(null);
  const [exporting, setExporting] = useState(false);

  const refresh = useCallback(() => {
    setLoading(true);
    Promise.all([call('stock.balance', { year }), call('stock.movements', { year })])
      .then(([b, m]) => {
        setBalance(b);
        setMovements(m);
      }, showError)
      .finally(() => setLoading(false));
  }, [year, showError]);
  useEffect(refresh, [refresh]);

  const exportStatement = async () => {
    setExporting(true);
    try {
      const exported = await call('stock.exportStatement', { year });
      const url = blobUrl(exported.xlsxBase64, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const link = document.createElement('a');
      link.href = url;
      link.download = exported.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  const forms = [
    ...(isSupervisor ? [
      { key: 'receive', label: <span data-testid="stock-tab-receive">空白证书入库</span>, children: <ReceiveForm year={year} onDone={refresh} /> },
      { key: 'issue', label: <span data-testid="stock-tab-issue">发放给单位</span>, children: <IssueForm year={year} onDone={refresh} /> },
    ] : []),
    { key: 'spoiled', label: <span data-testid="stock-tab-spoiled">废证退回</span>, children: <SpoiledForm year={year} onDone={refresh} /> },
    { key: 'requests', label: <span data-testid="stock-tab-requests">凭条请领</span>, children: <SlipRequestsPanel year={year} today={today} onChanged={refresh} /> },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="登记库存变动">
        <Tabs items={forms} />
      </Card>
      <Card
        title="对账：发放 = 已签章 + 废证退回 + 尚持有"
        extra={
          <Space>
            年度 <InputNumber data-testid="stock-year" value={year} min={2000} max={2100} precision={0} onChange={(y) => y && setYear(y)} />
            <Button data-testid="stock-print-statement" onClick={() => setPaper({ paper: { document: 'statement', year }, title: `${year}年度空白证书领用对账单` })}>打印对账单</Button>
            <Button data-testid="stock-export-statement" loading={exporting} onClick={() => void exportStatement()}>导出 Excel</Button>
          </Space>
        }
      >
        <Table data-testid="stock-balance" rowKey={(l) => `${l.unit}|${l.certificateType}`} columns={BALANCE_COLUMNS} dataSource={balance?.lines ?? []} loading={loading} pagination={false} size="small"
          locale={{ emptyText: `${year}年度尚未向单位发放空白证书` }} />
        <Table data-testid="stock-shelf" style={{ marginTop: 16 }} rowKey="certificateType" columns={SHELF_COLUMNS} dataSource={balance?.office ?? []} loading={loading} pagination={false} size="small"
          title={() => '本厅库存'} locale={{ emptyText: `${year}年度尚无入库` }} />
      </Card>
      <Card title="库存变动记录">
        <Table data-testid="stock-movements" rowKey="seq" columns={movementColumns((p, title) => setPaper({ paper: p, title }))} dataSource={movements} loading={loading} pagination={{ pageSize: 20 }} size="small"
          locale={{ emptyText: '尚无记录' }} />
      </Card>
      {paper && <StockPaperModal paper={paper.paper} title={paper.title} onClose={() => setPaper(null)} />}
    </Space>
  );
}
