import { Alert, App, Button, Card, Descriptions, Empty, Result, Space, Spin, Switch, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RegisterEntryView, Visit, VisitDetail, VisitRow } from '../../../core/contract';
import type { FindingCode } from '../../../core/findings';
import { call, errorText } from '../api';
import { useShowError } from '../feedback';
import { FilePicker } from '../FilePicker';
import type { FilePickerHandle } from '../FilePicker';
import { formatDateTime } from '../format';
import { PdfModal } from '../print/PdfModal';
import type { PrintRequest } from '../print/PdfModal';
import { useShortcuts } from '../shortcuts';
import { readUpload } from '../upload';
import { useWindowHeight } from '../useWindowHeight';
import { AcknowledgeModal } from './AcknowledgeModal';
import { FindingSummary } from './FindingSummary';
import { RosterTable } from './RosterTable';
import { SealConfirmModal } from './SealConfirmModal';
import { SealedPanel } from './SealedPanel';

/** Room taken above and below the roster table by the header, visit details, toolbar and summary. */
const CHROME_HEIGHT = 430;

interface VisitViewProps {
  visitId: number;
  today: string;
  onBack(): void;
}

export function VisitView({ visitId, today, onBack }: VisitViewProps) {
  const { message } = App.useApp();
  const showError = useShowError();
  const [detail, setDetail] = useState<VisitDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [codeFilter, setCodeFilter] = useState<FindingCode | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [rowToAcknowledge, setRowToAcknowledge] = useState<VisitRow | null>(null);
  const [sealConfirmOpen, setSealConfirmOpen] = useState(false);
  const [sealing, setSealing] = useState(false);
  const [sealedEntries, setSealedEntries] = useState<RegisterEntryView[] | null>(null);
  const [printRequest, setPrintRequest] = useState<PrintRequest | null>(null);
  const pickerRef = useRef<FilePickerHandle>(null);
  const windowHeight = useWindowHeight();
  const tableHeight = Math.max(280, windowHeight - CHROME_HEIGHT);

  useEffect(() => {
    call('visits.get', { visitId }).then(setDetail, (e: unknown) => setLoadError(errorText(e)));
  }, [visitId]);

  const rows = detail?.rows;
  const visibleRows = useMemo(
    () => (rows ?? []).filter((row) => (!onlyProblems || row.verdict !== 'pass') && (!codeFilter || row.findings.some((f) => f.code === codeFilter))),
    [rows, onlyProblems, codeFilter],
  );
  const acknowledge = useCallback((row: VisitRow) => setRowToAcknowledge(row), []);

  const visit = detail?.visit;
  const isOpen = visit?.status === 'open';
  const canSeal = isOpen && visit.counts.sealable > 0;
  const modalOpen = rowToAcknowledge !== null || sealConfirmOpen || printRequest !== null;

  useShortcuts(
    [
      { key: 'o', ctrl: true, run: () => isOpen && !importing && pickerRef.current?.open() },
      { key: 'Enter', ctrl: true, run: () => canSeal && setSealConfirmOpen(true) },
    ],
    !modalOpen,
  );

  if (loadError) return <Result status="error" title="无法打开办证记录" subTitle={loadError} extra={<Button onClick={onBack}>返回列表</Button>} />;
  if (!detail || !visit) return <Spin size="large" style={{ display: 'block', marginTop: 120 }} />;

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
    if (!rowToAcknowledge) return;
    setDetail(await call('visits.acknowledge', { visitId, rowNo: rowToAcknowledge.rowNo, reason }));
    setRowToAcknowledge(null);
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
      <Space wrap style={{ margin: '12px 0' }}>
        <FilePicker
          ref={pickerRef}
          inputTestId="roster-import-input"
          onPick={(file) => void importRoster(file)}
          tooltip="快捷键 Ctrl+O"
          buttonProps={{ loading: importing, disabled: !isOpen, type: visit.rosterFile ? 'default' : 'primary' }}
        >
          {visit.rosterFile ? '重新导入发证名册' : '导入发证名册'}
        </FilePicker>
        <Tooltip title={isOpen ? '快捷键 Ctrl+Enter' : '本次办证已签章'}>
          <Button type="primary" disabled={!canSeal} data-testid="seal-button" onClick={() => setSealConfirmOpen(true)}>
            {isOpen ? `确认签章（${visit.counts.sealable} 本）` : '已签章'}
          </Button>
        </Tooltip>
        {visit.rosterFile && <span style={{ color: '#888' }}>名册：{visit.rosterFile}</span>}
      </Space>
      {!isOpen && <SealedPanel visit={visit} entries={sealedEntries} onPrint={() => setPrintRequest({ visitId })} />}
      {visit.rosterFile ? (
        <>
          <div style={{ display: 'flex', alignItems: 'flex-start', gap: 16, marginBottom: 8 }}>
            <div style={{ flex: 1 }}>
              <FindingSummary counts={visit.counts} rows={detail.rows} codeFilter={codeFilter} onCodeFilter={setCodeFilter} />
            </div>
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
      {rowToAcknowledge && <AcknowledgeModal row={rowToAcknowledge} onCancel={() => setRowToAcknowledge(null)} onConfirm={confirmAcknowledge} />}
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
      column={4}
      items={[
        { key: 'agent', label: '经办人', children: `${visit.agentName}（${visit.agentPhone}）` },
        { key: 'type', label: '证书类型', children: visit.certificateType },
        { key: 'slip', label: '签章凭条', children: <span className="digits">{visit.slipNo || '（无）'}</span> },
        { key: 'signer', label: '凭条签字人', children: visit.slipSigner || '—' },
        { key: 'clerk', label: '窗口经办人', children: visit.clerk },
        { key: 'purpose', label: '事由', children: visit.purpose || '（签章时按证书类型生成）' },
        { key: 'created', label: '创建时间', children: formatDateTime(visit.createdAt) },
        { key: 'sealed', label: '签章时间', children: visit.sealedAt ? formatDateTime(visit.sealedAt) : '—' },
      ]}
    />
  );
}
