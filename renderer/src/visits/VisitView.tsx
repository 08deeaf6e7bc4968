import { Alert, App, Button, Card, Descriptions, Empty, Result, Space, Spin, Switch, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RegisterEntryView, Visit, VisitDetail, VisitRow, FindingCode } from '../../../core/contract';
import { call, errorText } from '../api';
import { useShowError } from '../common/feedback';
import { FilePicker } from '../common/FilePicker';
import type { FilePickerHandle } from '../common/FilePicker';
import { formatDateTime } from '../common/format';
import { PdfModal } from '../print/PdfModal';
import type { PrintRequest } from '../print/PdfModal';
import { useShortcuts } from '../common/shortcuts';
import { readUpload } from '../common/upload';
import { useWindowHeight } from '../common/useWindowHeight';
import { AcknowledgeModal } from './AcknowledgeModal';
import { DayWarning } from './DayWarning';
import { DocumentsSeen } from './DocumentsSeen';
import { FindingSummary } from './FindingSummary';
import { ReasonModal } from './ReasonModal';
import { RosterTable } from './RosterTable';
import { needsAcknowledgement, rowsWithLangRequirement, sealBlockReason } from './sealability';
import { SealConfirmModal } from './SealConfirmModal';
import { SealedPanel } from './SealedPanel';
import { SlipFindings } from './SlipFindings';

/** Room taken above and below the roster table by the header, visit details, toolbar and summary. */
const CHROME_HEIGHT = 480;

interface VisitViewProps {
  visitId: number;
  today: string;
  onBack: () => void;
}

export function VisitView({ visitId, today, onBack }: VisitViewProps) {
  const { message } = App.useApp();
  const showError = useShowError();
  const [detail, setDetail] = useState<VisitDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [codeFilter, setCodeFilter] = useState<FindingCode | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [rowsToAcknowledge, setRowsToAcknowledge] = useState<VisitRow[] | null>(null);
  const [dayAcknowledgeOpen, setDayAcknowledgeOpen] = useState(false);
  const [sealConfirmOpen, setSealConfirmOpen] = useState(false);
  const [sealing, setSealing] = useState(false);
  const [sealedEntries, setSealedEntries] = useState<RegisterEntryView[] | null>(null);
  const [printRequest, setPrintRequest] = useState<PrintRequest | null>(null);
  const pickerRef = useRef<FilePickerHandle>(null);
  const windowHeight = useWindowHeight();

  useEffect(() => {
    call('visits.get', { visitId }).then(setDetail, (e: unknown) => setLoadError(errorText(e)));
  }, [visitId]);

  const rows = detail?.rows;
  const visibleRows = useMemo(
    () => (rows ?? []).filter((row) => (!onlyProblems || row.verdict !== 'pass') && (!codeFilter || row.findings.some((f) => f.code === codeFilter))),
    [rows, onlyProblems, codeFilter],
  );
  const rowsAwaitingReason = useMemo(() => visibleRows.filter(needsAcknowledgement), [visibleRows]);
  const langRows = useMemo(() => rowsWithLangRequirement(rows ?? []).length, [rows]);
  const acknowledge = useCallback((row: VisitRow) => setRowsToAcknowledge([row]), []);

  const visit = detail?.visit;
  const isOpen = visit?.status === 'open';
  const blockReason = visit ? sealBlockReason(visit) : null;
  const canSeal = isOpen && blockReason === null;
  const modalOpen = rowsToAcknowledge !== null || dayAcknowledgeOpen || sealConfirmOpen || printRequest !== null;

  useShortcuts(
    [
      { key: 'o', ctrl: true, run: () => isOpen && !importing && pickerRef.current?.open() },
      { key: 'Enter', ctrl: true, run: () => canSeal && setSealConfirmOpen(true) },
    ],
    !modalOpen,
  );

  if (loadError) return <Result status="error" title="无法打开办证记录" subTitle={loadError} extra={<Button onClick={onBack}>返回列表</Button>} />;
  if (!detail || !visit) return <Spin size="large" style={{ display: 'block', marginTop: 120 }} />;

  // The alerts above the table push it down; keep the table within the window where possible.
  const alertsHeight = (isOpen && visit.slipFindings.length > 0 ? 90 + 22 * visit.slipFindings.length : 0) + (visit.dayWarning ? 80 : 0);
  const tableHeight = Math.max(280, windowHeight - CHROME_HEIGHT - alertsHeight);

  const importRoster = async (file: File) => {
    setImporting(true);
    try {
      const imported = await call('visits.importRoster', { visitId, ...(await readUpload(file)) });
      setDetail(imported);
      setCodeFilter(null);
      message.success(`已导入“${file.name}”，共 ${imported.visit.counts.total} 行`);
    } catch (e) {
      showError(e);
    } finally {
      setImporting(false);
    }
  };

  const confirmAcknowledge = async (reason: string) => {
    if (!rowsToAcknowledge) return;
    setDetail(await call('visits.acknowledge', { visitId, lines: rowsToAcknowledge.map((row) => row.line), reason }));
    if (rowsToAcknowledge.length > 1) message.success(`已确认 ${rowsToAcknowledge.length} 行警告`);
    setRowsToAcknowledge(null);
  };

  const confirmDay = async (reason: string) => {
    setDetail(await call('visits.acknowledgeDay', { visitId, reason }));
    setDayAcknowledgeOpen(false);
  };

  const seal = async () => {
    setSealing(true);
    try {
      const result = await call('visits.seal', { visitId });
      setSealedEntries(result.entries);
      setSealConfirmOpen(false);
      message.success(`已签章 ${result.sealedCount} 本，登记簿新增 ${result.entries.length} 条`);
      setDetail(await call('visits.get', { visitId }));
    } catch (e) {
      showError(e);
      // The backend re-checks the slip and the rows at sealing: show what it found.
      call('visits.get', { visitId }).then(setDetail, () => undefined);
    } finally {
      setSealing(false);
    }
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          <span style={{ fontSize: 16 }}>{visit.unit}</span>
          {isOpen ? <Tag color="blue">办理中</Tag> : <Tag color="green">已签章</Tag>}
        </Space>
      }
      extra={<Button onClick={onBack}>返回列表</Button>}
    >
      <VisitInfo visit={visit} />
      <DocumentsSeen visit={visit} langRows={langRows} onChanged={setDetail} />
      <SlipFindings visit={visit} />
      <DayWarning visit={visit} onAcknowledge={() => setDayAcknowledgeOpen(true)} />
      <Space wrap style={{ margin: '4px 0 12px' }}>
        <FilePicker
          ref={pickerRef}
          inputTestId="roster-import-input"
          onPick={(file) => void importRoster(file)}
          tooltip="快捷键 Ctrl+O"
          buttonProps={{ loading: importing, disabled: !isOpen, type: visit.rosterFile ? 'default' : 'primary' }}
        >
          {visit.rosterFile ? '重新导入发证名册' : '导入发证名册'}
        </FilePicker>
        <Tooltip title={isOpen ? (blockReason ?? '快捷键 Ctrl+Enter') : '本次办证已签章'}>
          <Button type="primary" disabled={!canSeal} data-testid="seal-button" onClick={() => setSealConfirmOpen(true)}>
            {isOpen ? `确认签章（${visit.counts.sealable} 本）` : '已签章'}
          </Button>
        </Tooltip>
        {isOpen && blockReason && (
          <span className="finding-error" data-testid="seal-blocked-reason">
            {blockReason}
          </span>
        )}
        {visit.rosterFile && <span style={{ color: '#888' }}>名册：{visit.rosterFile}</span>}
      </Space>
      {!isOpen && <SealedPanel visit={visit} initialEntries={sealedEntries} onPrint={() => setPrintRequest({ visitId })} />}
      {visit.rosterFile ? (
        <>
          <div style={{ display: 'flex', alignItems: 'flex-start', gap: 16, marginBottom: 8 }}>
            <div style={{ flex: 1 }}>
              <FindingSummary counts={visit.counts} rows={detail.rows} sealed={!isOpen} codeFilter={codeFilter} onCodeFilter={setCodeFilter} />
            </div>
            {isOpen && rowsAwaitingReason.length > 0 && (
              <Button data-testid="acknowledge-all" onClick={() => setRowsToAcknowledge(rowsAwaitingReason)}>
                {codeFilter ? '确认所示警告' : '确认全部警告'}（{rowsAwaitingReason.length} 行）
              </Button>
            )}
            <Space>
              <Switch data-testid="only-problems-switch" checked={onlyProblems} onChange={setOnlyProblems} />
              <span>只看有问题的行</span>
            </Space>
          </div>
          {codeFilter && (
            <Alert
              type="info"
              style={{ marginBottom: 8 }}
              title={`正在筛选：显示 ${visibleRows.length} 行`}
              action={
                <Button size="small" onClick={() => setCodeFilter(null)}>
                  显示全部
                </Button>
              }
            />
          )}
          <RosterTable rows={visibleRows} height={tableHeight} sealed={!isOpen} onAcknowledge={isOpen ? acknowledge : undefined} />
        </>
      ) : (
        <Empty description="尚未导入发证名册：点击“导入发证名册”或按 Ctrl+O，选择 Excel 或 CSV 文件" style={{ padding: 48 }} />
      )}
      {rowsToAcknowledge && <AcknowledgeModal rows={rowsToAcknowledge} languageCopySeen={visit.documentsSeen.includes('外语合格证复印件')} onCancel={() => setRowsToAcknowledge(null)} onConfirm={confirmAcknowledge} />}
      {dayAcknowledgeOpen && visit.dayWarning && (
        <ReasonModal title="确认在非办证日办理" suggestions={['经负责人同意非办证日办理']} onCancel={() => setDayAcknowledgeOpen(false)} onConfirm={confirmDay}>
          <Alert type="warning" showIcon title={visit.dayWarning} />
          <span>确认后本次办证可以签章，理由记入办证记录和登记簿备注。</span>
        </ReasonModal>
      )}
      {sealConfirmOpen && (
        <SealConfirmModal visit={visit} rows={detail.rows} today={today} sealing={sealing} onCancel={() => setSealConfirmOpen(false)} onConfirm={() => void seal()} />
      )}
      {printRequest && <PdfModal request={printRequest} title={`印章使用登记表：${visit.unit}`} onClose={() => setPrintRequest(null)} />}
    </Card>
  );
}

function VisitInfo({ visit }: { visit: Visit }) {
  return (
    <Descriptions
      size="small"
      column={5}
      items={[
        { key: 'agent', label: '经办人', children: `${visit.agentName}（${visit.agentPhone}）` },
        { key: 'type', label: '证书类型', children: visit.certificateType },
        { key: 'slip', label: '签章凭条', children: <span className="digits">{visit.slipNo || '（无）'}</span> },
        { key: 'slipCount', label: '凭条证书数', children: visit.slipCount === null ? '—' : `${visit.slipCount} 本` },
        { key: 'signer', label: '凭条签字人', children: visit.slipSigner || '—' },
        { key: 'clerk', label: '窗口经办人', children: visit.clerk },
        { key: 'purpose', label: '事由', children: visit.purpose || '（签章时按证书类型生成）' },
        { key: 'created', label: '创建时间', children: formatDateTime(visit.createdAt) },
        { key: 'sealed', label: '签章时间', children: visit.sealedAt ? formatDateTime(visit.sealedAt) : '—' },
      ]}
    />
  );
}
