import { Alert, App, Button, Card, DatePicker, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import type { BatchView, RegisterEntryView, Request, Response } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { useShowError } from '../common/feedback';
import { DATE_FORMAT, formatDateTime } from '../common/format';
import { PdfModal } from '../print/PdfModal';
import type { PrintRequest } from '../print/PdfModal';
import { SearchBox } from '../common/SearchBox';
import { CertificateModal } from '../common/CertificateModal';
import { PaperButtons } from '../print/PaperButtons';
import { VerifyPaperModal } from '../print/VerifyPaperModal';
import { BatchesPanel } from './BatchesPanel';
import { ChainReportAlert } from './ChainReportAlert';
import { CorrectionModal } from './CorrectionModal';
import { correctionChanges, correctionReason, describeChanges } from './labels';

type Filters = Pick<Request<'register.list'>, 'from' | 'to' | 'unit'>;
type ChainReport = { chain: Response<'register.verify'>; refusals: Response<'register.refusals'> };
type CloseResult = Response<'batches.closeDay'>;
type Lookup = (seq: number) => RegisterEntryView | undefined;

const BASE_COLUMNS: TableColumnsType<RegisterEntryView> = [
  { title: '序号', dataIndex: 'seq', width: 70, align: 'right', fixed: 'left' },
  {
    title: '类别',
    key: 'kind',
    width: 150,
    render: (_, entry) =>
      entry.kind === '更正' ? (
        <span data-testid={`register-kind-${entry.seq}`}>
          <Tag color="purple">更正</Tag>更正第 {entry.correctsSeq} 号
        </span>
      ) : (
        <span data-testid={`register-kind-${entry.seq}`}>
          <Tag color={entry.kind === '签字' ? 'cyan' : undefined}>{entry.kind}</Tag>
          {entry.correctedBy.length > 0 && (
            <Tag color="orange" data-testid={`register-corrected-${entry.seq}`} style={{ marginTop: 4 }}>
              已更正（见第 {entry.correctedBy.join('、')} 号）
            </Tag>
          )}
        </span>
      ),
  },
  { title: '时间', dataIndex: 'at', width: 140, render: (value: string) => formatDateTime(value) },
  { title: '印章', key: 'seal', width: 210, ellipsis: true, render: (_, entry) => (entry.sealName ? `${entry.sealName}（${entry.sealKind}）` : '') },
  { title: '用印文件', dataIndex: 'documentKind', width: 80 },
  { title: '数量', dataIndex: 'count', width: 60, align: 'right' },
  { title: '用章单位', dataIndex: 'unit', width: 190, ellipsis: true },
  { title: '经办人', key: 'agent', width: 170, render: (_, entry) => `${entry.agentName} ${entry.agentPhone}` },
  { title: '凭条编号', dataIndex: 'slipNo', width: 120, className: 'digits' },
  { title: '事由', dataIndex: 'purpose', width: 170, ellipsis: true },
  {
    title: '窗口经办人',
    key: 'clerk',
    width: 110,
    render: (_, entry) => (
      <span data-testid={`register-clerk-${entry.seq}`}>
        {entry.clerk}
        {entry.clerkAccount && (
          <Typography.Text type="secondary" className="digits" style={{ display: 'block', fontSize: 12 }}>
            {entry.clerkAccount}
          </Typography.Text>
        )}
      </span>
    ),
  },
];

/**
 * Under an entry, always open: its 备注 (acknowledged warnings, or a 更正's reason and what it
 * changes), and for a corrected entry its corrections, so the original is never read alone.
 */
function EntryDetails({ entry, lookup }: { entry: RegisterEntryView; lookup: Lookup }) {
  if (entry.kind === '更正') {
    const original = entry.correctsSeq !== null ? lookup(entry.correctsSeq) : undefined;
    const changes = original ? correctionChanges(original, entry) : [];
    return (
      <div className="register-remarks" data-testid="register-remarks">
        <strong>更正理由：</strong>
        {correctionReason(entry)}
        {changes.length > 0 && (
          <div className="register-corrections">
            <strong>更正内容：</strong>
            {describeChanges(changes)}
          </div>
        )}
      </div>
    );
  }
  return (
    <>
      {entry.remarks !== '' && (
        <div className="register-remarks" data-testid="register-remarks">
          <strong>备注：</strong>
          {entry.remarks}
        </div>
      )}
      {entry.correctedBy.length > 0 && (
        <ul className="register-corrections" data-testid={`register-corrections-${entry.seq}`} style={{ margin: entry.remarks ? '4px 0 0' : 0, paddingLeft: 20 }}>
          {entry.correctedBy.map((seq) => {
            const correction = lookup(seq);
            return (
              <li key={seq}>
                <strong>第 {seq} 号更正</strong>
                {correction ? (
                  <>
                    （{formatDateTime(correction.at)}，{correction.clerk}）：{describeChanges(correctionChanges(entry, correction)) || '内容未变'}。理由：{correctionReason(correction)}
                  </>
                ) : (
                  '（载入中…）'
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

const hasDetails = (entry: RegisterEntryView) => entry.remarks !== '' || entry.correctedBy.length > 0;

export function RegisterPage({ today }: { today: string }) {
  const { message } = App.useApp();
  const showError = useShowError();
  const canCorrect = useCan('supervisor');
  const [tab, setTab] = useState<'entries' | 'batches'>('entries');
  const [filters, setFilters] = useState<Filters>({});
  const [unitText, setUnitText] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [reloadKey, setReloadKey] = useState(0);
  const [data, setData] = useState<Response<'register.list'>>({ total: 0, entries: [] });
  const [related, setRelated] = useState<Map<number, RegisterEntryView>>(new Map());
  const [loading, setLoading] = useState(false);
  const [printDate, setPrintDate] = useState<Dayjs>(() => dayjs(today));
  const [printRequest, setPrintRequest] = useState<PrintRequest | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [report, setReport] = useState<ChainReport | null>(null);
  const [closing, setClosing] = useState(false);
  const [closeResult, setCloseResult] = useState<CloseResult | null>(null);
  const [batchesKey, setBatchesKey] = useState(0);
  const [correcting, setCorrecting] = useState<RegisterEntryView | null>(null);
  const [certificateText, setCertificateText] = useState('');
  const [certificateQuery, setCertificateQuery] = useState<string | null>(null);
  const [verifyingPaper, setVerifyingPaper] = useState(false);

  useEffect(() => {
    setLoading(true);
    call('register.list', { ...filters, offset: (page.current - 1) * page.pageSize, limit: page.pageSize })
      .then(setData, showError)
      .finally(() => setLoading(false));
  }, [filters, page, reloadKey, showError]);

  // A 更正 and the entry it corrects may fall on different pages (or outside the filter): they share the visit, so read that visit's entries.
  const onPage = useMemo(() => new Map(data.entries.map((entry) => [entry.seq, entry])), [data]);
  useEffect(() => {
    const missing = (seq: number | null) => seq !== null && !onPage.has(seq);
    const visitIds = [...new Set(data.entries.filter((e) => missing(e.correctsSeq) || e.correctedBy.some(missing)).map((e) => e.visitId))];
    if (visitIds.length === 0) return setRelated(new Map());
    let cancelled = false;
    Promise.all(visitIds.map((visitId) => call('register.list', { visitId, offset: 0, limit: 1000 }))).then(
      (pages) => !cancelled && setRelated(new Map(pages.flatMap((p) => p.entries).map((entry) => [entry.seq, entry]))),
      showError,
    );
    return () => {
      cancelled = true;
    };
  }, [data, onPage, showError]);
  const lookup: Lookup = (seq) => onPage.get(seq) ?? related.get(seq);

  const changeFilters = (change: Filters) => {
    setFilters((f) => ({ ...f, ...change }));
    setPage((p) => ({ ...p, current: 1 }));
  };

  const verify = async () => {
    setVerifying(true);
    setReport(null);
    try {
      const [chain, refusals] = await Promise.all([call('register.verify', {}), call('register.refusals', {})]);
      setReport({ chain, refusals });
      // Show the register as it now is: a changed entry reads as changed, not as it was when the page loaded.
      setReloadKey((k) => k + 1);
    } catch (e) {
      showError(e);
    } finally {
      setVerifying(false);
    }
  };

  const closeDay = async () => {
    setClosing(true);
    setCloseResult(null);
    try {
      const result = await call('batches.closeDay', {});
      setCloseResult(result);
      setBatchesKey((k) => k + 1);
      if (result.created) setTab('batches');
    } catch (e) {
      showError(e);
    } finally {
      setClosing(false);
    }
  };

  const corrected = (correction: RegisterEntryView) => {
    setCorrecting(null);
    message.success(`已登记第 ${correction.seq} 号：更正第 ${correction.correctsSeq} 号登记`);
    setReport(null);
    setReloadKey((k) => k + 1);
  };

  const columns: TableColumnsType<RegisterEntryView> = canCorrect
    ? [
        ...BASE_COLUMNS,
        {
          title: '操作',
          key: 'actions',
          width: 70,
          fixed: 'right',
          render: (_, entry) =>
            entry.kind === '签章' && (
              <Button size="small" data-testid={`register-correct-${entry.seq}`} onClick={() => setCorrecting(entry)}>
                更正
              </Button>
            ),
        },
      ]
    : BASE_COLUMNS;
  const breakSeq = report && !report.chain.intact ? report.chain.firstBreak.seq : null;
  const scrollX = columns.reduce((sum, column) => sum + Number(column.width ?? 0), 0);
  const latestCorrection = correcting?.correctedBy.length ? (lookup(correcting.correctedBy[correcting.correctedBy.length - 1]!) ?? null) : null;

  const entriesTab = (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          format={DATE_FORMAT}
          placeholder={['开始日期', '结束日期']}
          onChange={(range) => changeFilters({ from: range?.[0]?.format(DATE_FORMAT), to: range?.[1]?.format(DATE_FORMAT) })}
        />
        <SearchBox testId="register-unit-filter" placeholder="用章单位" width={300} value={unitText} onChange={setUnitText} onSearch={(text) => changeFilters({ unit: text || undefined })} />
        {/* Opened after the Enter has been handled: a modal mounted inside the input's own keydown closed again at once. */}
        <SearchBox testId="register-certificate-search" placeholder="查证书：证书编号、身份证号码或姓名" width={340} maxLength={60} value={certificateText} onChange={setCertificateText} onSearch={(text) => text && window.setTimeout(() => setCertificateQuery(text))} />
      </Space>
      <div data-testid="register-table">
        <Table<RegisterEntryView>
          rowKey="seq"
          size="small"
          bordered
          loading={loading}
          columns={columns}
          dataSource={data.entries}
          rowClassName={(entry) => (entry.seq === breakSeq ? 'register-row-broken' : entry.kind === '更正' ? 'register-row-correction' : '')}
          expandable={{
            showExpandColumn: false,
            rowExpandable: hasDetails,
            expandedRowRender: (entry) => <EntryDetails entry={entry} lookup={lookup} />,
            expandedRowKeys: data.entries.filter(hasDetails).map((entry) => entry.seq),
          }}
          scroll={{ x: scrollX }}
          locale={{ emptyText: '没有登记记录' }}
          pagination={{
            ...page,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => `共 ${total} 条`,
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
        />
      </div>
    </>
  );

  return (
    <Card
      title="印章使用登记簿"
      extra={
        <Space wrap>
          <DatePicker value={printDate} onChange={(d) => d && setPrintDate(d)} allowClear={false} format={DATE_FORMAT} />
          <Button data-testid="register-print-day" onClick={() => setPrintRequest({ form: 'register-sheet', scope: { date: printDate.format(DATE_FORMAT) } })}>
            打印当日登记表
          </Button>
          <PaperButtons scope={{ date: printDate.format(DATE_FORMAT) }} testId="register-day" />
          <Button data-testid="register-verify-paper" onClick={() => setVerifyingPaper(true)}>
            核验打印件
          </Button>
          <Button loading={verifying} data-testid="register-verify" onClick={() => void verify()}>
            校验登记簿
          </Button>
          <Button type="primary" loading={closing} data-testid="register-close-day" title="把上次日结以来的登记签名封存为一个批次" onClick={() => void closeDay()}>
            日结
          </Button>
        </Space>
      }
    >
      {report && <ChainReportAlert report={report.chain} refusals={report.refusals} onClose={() => setReport(null)} />}
      {closeResult && <CloseDayAlert result={closeResult} onClose={() => setCloseResult(null)} />}
      <Tabs
        activeKey={tab}
        onChange={(key) => setTab(key as 'entries' | 'batches')}
        items={[
          { key: 'entries', label: <span data-testid="register-tab-entries">登记</span>, children: entriesTab },
          { key: 'batches', label: <span data-testid="register-tab-batches">批次</span>, children: <BatchesPanel reloadKey={batchesKey} /> },
        ]}
      />
      {printRequest && <PdfModal request={printRequest} title={`印章使用登记表：${'date' in printRequest.scope ? printRequest.scope.date : ''}`} onClose={() => setPrintRequest(null)} />}
      {certificateQuery !== null && <CertificateModal query={certificateQuery} onClose={() => setCertificateQuery(null)} />}
      {verifyingPaper && <VerifyPaperModal onClose={() => setVerifyingPaper(false)} />}
      {correcting && <CorrectionModal entry={correcting} latest={latestCorrection} onClose={() => setCorrecting(null)} onCorrected={corrected} />}
    </Card>
  );
}

function batchText(batch: BatchView): string {
  return `第 ${batch.batchNo} 批（第 ${batch.firstSeq}–${batch.lastSeq} 号登记，共 ${batch.entryCount} 条）`;
}

function CloseDayAlert({ result, onClose }: { result: CloseResult; onClose: () => void }) {
  return (
    <div data-testid="register-close-result" style={{ marginBottom: 12 }}>
      {result.created ? (
        <Alert
          type="success"
          showIcon
          closable={{ onClose }}
          title={`已日结：生成${batchText(result.created)}`}
          description="批次已由本工作站签名，此后不会改变；配置中心地址后将上报省级中心。"
        />
      ) : (
        <Alert
          type="info"
          showIcon
          closable={{ onClose }}
          title={result.latest ? `上次日结（${batchText(result.latest)}）以来没有新的登记，未生成新批次` : '还没有任何登记，无需日结'}
        />
      )}
    </div>
  );
}
