import { Alert, App, Button, Card, Descriptions, Empty, Result, Space, Spin, Switch, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FindingCode, RegisterEntryView, Visit, VisitDetail, VisitRow } from '../../../core/contract';
import { VISIT_FIELD_LABEL } from '../../../core/contract';
import { call, errorText } from '../api';
import { useShowError } from '../common/feedback';
import { FilePicker } from '../common/FilePicker';
import type { FilePickerHandle } from '../common/FilePicker';
import { formatDateTime } from '../common/format';
import { VisitPapers } from '../print/VisitPapers';
import { useShortcuts } from '../common/shortcuts';
import { readUpload } from '../common/upload';
import { useWindowHeight } from '../common/useWindowHeight';
import { PdfModal } from '../print/PdfModal';
import { AcknowledgeModal } from './AcknowledgeModal';
import { DayWarning } from './DayWarning';
import { DocumentsSeen } from './DocumentsSeen';
import { FindingSummary } from './FindingSummary';
import { MendVisitModal } from './MendVisitModal';
import { ReasonModal } from './ReasonModal';
import { RosterTable } from './RosterTable';
import type { RosterTableHandle } from './RosterTable';
import { hardBlockReason, needsAcknowledgement, problemsFirst, rowsWithLangRequirement, sealBlockReason, unconfirmedSlipCount } from './sealability';
import { SealConfirmModal } from './SealConfirmModal';
import { SealedPanel } from './SealedPanel';
import { SlipFindings } from './SlipFindings';
import { PrecheckNotice } from '../supervision/PrecheckNotice';
import { VisitAlert } from './VisitAlert';

/** Room under the table: the card's padding and the page's. */
const BELOW_TABLE = 64;

/**
 * What the clerk is asked next. Ctrl+Enter walks through whatever stands before sealing (warnings
 * to confirm, the day, the slip count) and ends on the seal confirmation; sealing opens the sheet.
 */
type Step =
  | { kind: 'acknowledge'; rows: VisitRow[]; thenSeal: boolean }
  | { kind: 'day'; thenSeal: boolean }
  | { kind: 'slipCount'; thenSeal: boolean }
  | { kind: 'seal' }
  | { kind: 'print' }
  | { kind: 'mend' }
  | { kind: 'void' };

interface VisitViewProps {
  visitId: number;
  today: string;
  /** Just created: the roster file picker opens at once, the next thing the clerk does. */
  pickRoster: boolean;
  onBack: () => void;
}

export function VisitView({ visitId, today, pickRoster, onBack }: VisitViewProps) {
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const [detail, setDetail] = useState<VisitDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [codeFilter, setCodeFilter] = useState<FindingCode | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [step, setStep] = useState<Step | null>(null);
  const [sealing, setSealing] = useState(false);
  const [sealedEntries, setSealedEntries] = useState<RegisterEntryView[] | null>(null);
  const [currentLine, setCurrentLine] = useState<number | null>(null);
  const pickerRef = useRef<FilePickerHandle>(null);
  const tableRef = useRef<RosterTableHandle>(null);
  const tableBoxRef = useRef<HTMLDivElement>(null);
  const [tableBox, setTableBox] = useState({ top: 400, width: 1100 });
  const windowHeight = useWindowHeight();
  // One object for the viewer: a new one each render would make it render the sheet again and again.
  const printRequest = useMemo(() => ({ form: 'register-sheet' as const, scope: { visitId } }), [visitId]);

  useEffect(() => {
    call('visits.get', { visitId }).then(setDetail, (e: unknown) => setLoadError(errorText(e)));
  }, [visitId]);

  // A visit just created goes straight to choosing its roster (the Enter that created it allows the dialog).
  const pickedOnce = useRef(false);
  useEffect(() => {
    if (pickedOnce.current || !pickRoster || !detail || detail.visit.status !== 'open' || detail.visit.rosterFile) return;
    pickedOnce.current = true;
    pickerRef.current?.open();
  }, [pickRoster, detail]);

  // The table takes the window's height below it and the card's width: nothing scrolls but the rows.
  useLayoutEffect(() => {
    const box = tableBoxRef.current;
    if (!box) return;
    const measure = () => {
      const rect = box.getBoundingClientRect();
      setTableBox((old) => (Math.abs(old.top - rect.top) < 1 && Math.abs(old.width - rect.width) < 1 ? old : { top: rect.top, width: rect.width }));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  });

  const rows = detail?.rows;
  const visibleRows = useMemo(
    () => problemsFirst((rows ?? []).filter((row) => (!onlyProblems || row.verdict !== 'pass') && (!codeFilter || row.findings.some((f) => f.code === codeFilter)))),
    [rows, onlyProblems, codeFilter],
  );
  const rowsAwaitingReason = useMemo(() => visibleRows.filter(needsAcknowledgement), [visibleRows]);
  const langRows = useMemo(() => rowsWithLangRequirement(rows ?? []).length, [rows]);
  const acknowledge = useCallback((row: VisitRow) => setStep({ kind: 'acknowledge', rows: [row], thenSeal: false }), []);

  const visit = detail?.visit;
  const isOpen = visit?.status === 'open';
  const blockReason = visit ? sealBlockReason(visit) : null;

  /** The next thing before sealing, or the seal confirmation itself. */
  const proceedToSeal = (current: VisitDetail) => {
    const v = current.visit;
    if (v.status !== 'open') return;
    const hard = hardBlockReason(v);
    if (hard) return void message.error(hard);
    const awaiting = current.rows.filter(needsAcknowledgement);
    if (awaiting.length > 0) return setStep({ kind: 'acknowledge', rows: awaiting, thenSeal: true });
    if (v.dayWarning !== null && v.dayAcknowledgement === null) return setStep({ kind: 'day', thenSeal: true });
    if (rowsWithLangRequirement(current.rows).some((r) => !r.sealable) && !v.documentsSeen.includes('外语合格证复印件')) {
      return void message.warning('名册中有须核验外语合格证复印件的行：请先在“已核验材料”中勾选外语合格证复印件。');
    }
    if (v.counts.sealable === 0) return void message.error('没有可签章的行');
    if (unconfirmedSlipCount(v)) return setStep({ kind: 'slipCount', thenSeal: true });
    setStep({ kind: 'seal' });
  };

  const afterReason = (next: VisitDetail, thenSeal: boolean) => {
    setDetail(next);
    setStep(null);
    if (thenSeal) proceedToSeal(next);
  };

  const acknowledgedRows = (rows ?? []).filter((r) => r.acknowledgement !== null).length;
  const requestImport = (open: () => void) => {
    if (acknowledgedRows === 0) return open();
    modal.confirm({
      title: '重新导入发证名册',
      content: `将清除已确认的 ${acknowledgedRows} 行警告，新名册的警告须重新确认。`,
      okText: '继续导入',
      cancelText: '取消',
      onOk: open,
    });
  };

  const moveToProblem = (direction: 1 | -1) => {
    const problems = visibleRows.filter((r) => r.verdict !== 'pass');
    if (problems.length === 0) return void message.info('没有有问题的行');
    const at = problems.findIndex((r) => r.line === currentLine);
    const next = problems[at === -1 ? (direction === 1 ? 0 : problems.length - 1) : (at + direction + problems.length) % problems.length]!;
    setCurrentLine(next.line);
    tableRef.current?.scrollToRow(next.line);
  };

  useShortcuts(
    [
      { key: 'o', ctrl: true, run: () => isOpen && !importing && requestImport(() => pickerRef.current?.open()) },
      { key: 'Enter', ctrl: true, run: () => detail && proceedToSeal(detail) },
      { key: 'F9', run: () => isOpen && rowsAwaitingReason.length > 0 && setStep({ kind: 'acknowledge', rows: rowsAwaitingReason, thenSeal: false }) },
      { key: 'F8', shift: false, run: () => moveToProblem(1) },
      { key: 'F8', shift: true, run: () => moveToProblem(-1) },
      { key: 'p', ctrl: true, run: () => visit?.status === 'sealed' && setStep({ kind: 'print' }) },
      { key: 'F2', run: () => isOpen && setStep({ kind: 'mend' }) },
    ],
    step === null,
  );

  if (loadError) return <Result status="error" title="无法打开办证记录" subTitle={loadError} extra={<Button onClick={onBack}>返回列表</Button>} />;
  if (!detail || !visit) return <Spin size="large" style={{ display: 'block', marginTop: 120 }} />;

  const tableHeight = Math.max(240, windowHeight - tableBox.top - BELOW_TABLE);

  const importRoster = async (file: File) => {
    setImporting(true);
    try {
      const imported = await call('visits.importRoster', { visitId, ...(await readUpload(file)) });
      setDetail(imported);
      setCodeFilter(null);
      setCurrentLine(null);
      if (!imported.visit.rosterError) message.success(`已导入“${file.name}”，共 ${imported.visit.counts.total} 行；有问题的行排在前面`);
    } catch (e) {
      showError(e);
    } finally {
      setImporting(false);
    }
  };

  const seal = async () => {
    setSealing(true);
    try {
      const result = await call('visits.seal', { visitId });
      setSealedEntries(result.entries);
      // The agent signs the printed register sheet next: it opens at once, with the focus on 打印,
      // while the sealed rows are read back behind it.
      setStep({ kind: 'print' });
      setDetail((current) => (current ? { ...current, visit: result.visit } : current));
      message.success(`已签章 ${result.sealedCount} 本，登记簿新增 ${result.entries.length} 条`);
      call('visits.get', { visitId }).then(setDetail, showError);
    } catch (e) {
      showError(e);
      setStep(null);
      // The backend re-checks the slip and the rows at sealing: show what it found.
      call('visits.get', { visitId }).then(setDetail, () => undefined);
    } finally {
      setSealing(false);
    }
  };

  const statusTag = visit.status === 'open' ? <Tag color="blue">办理中</Tag> : visit.status === 'sealed' ? <Tag color="green">已签章</Tag> : <Tag color="red" data-testid="visit-voided-tag">已作废</Tag>;

  return (
    <Card
      size="small"
      title={
        <Space>
          <span style={{ fontSize: 16 }}>{visit.unit}</span>
          {statusTag}
        </Space>
      }
      extra={
        <Space>
          {isOpen && (
            <>
              <Button data-testid="visit-mend" onClick={() => setStep({ kind: 'mend' })}>
                修改办证信息（F2）
              </Button>
              <Button danger data-testid="visit-void" onClick={() => setStep({ kind: 'void' })}>
                作废本次办证
              </Button>
            </>
          )}
          <Button onClick={onBack}>返回列表</Button>
        </Space>
      }
    >
      {visit.voided && (
        <VisitAlert
          type="error"
          testId="visit-voided"
          title={`本次办证已于 ${formatDateTime(visit.voided.at)} 由 ${visit.voided.by} 作废`}
          description={`理由：${visit.voided.reason}。凭条 ${visit.slipNo || '（无）'} 未使用，可用于新的办证。`}
        />
      )}
      <VisitInfo visit={visit} />
      {detail.amendments.length > 0 && (
        <div data-testid="visit-amendments" style={{ margin: '0 0 8px', color: '#595959' }}>
          {detail.amendments.map((a, i) => (
            <div key={i}>
              修改记录（{formatDateTime(a.at)}，{a.clerk}）：{a.changes.map((c) => `${VISIT_FIELD_LABEL[c.field]}“${c.before || '（空）'}”→“${c.after || '（空）'}”`).join('，')}；理由：{a.reason}
            </div>
          ))}
        </div>
      )}
      {visit.status !== 'voided' && <DocumentsSeen visit={visit} langRows={langRows} onChanged={setDetail} />}
      <SlipFindings visit={visit} awaitingRows={(rows ?? []).filter(needsAcknowledgement).length} onConfirmCount={() => setStep({ kind: 'slipCount', thenSeal: false })} onMend={() => setStep({ kind: 'mend' })} />
      <DayWarning visit={visit} onAcknowledge={() => setStep({ kind: 'day', thenSeal: false })} />
      {visit.rosterError && (
        <VisitAlert
          type="error"
          testId="roster-error"
          title={`发证名册“${visit.rosterError.fileName}”无法读取，未导入`}
          description={
            <>
              <div>{visit.rosterError.message}</div>
              <div style={{ marginTop: 4 }}>
                请告知用章单位：请提供可以打开的 Excel（.xlsx 或 .xls）或 CSV 文件，不要加密，表头含“姓名”“身份证号码”“证书编号”等列；改好后重新导入即可。{visit.rosterFile ? `当前仍显示此前导入的“${visit.rosterFile}”。` : ''}
              </div>
            </>
          }
        />
      )}
      {visit.status !== 'voided' && (
        <Space wrap style={{ margin: '4px 0 8px' }}>
          <FilePicker
            ref={pickerRef}
            inputTestId="roster-import-input"
            onPick={(file) => void importRoster(file)}
            onButtonClick={requestImport}
            tooltip="快捷键 Ctrl+O"
            buttonProps={{ loading: importing, disabled: !isOpen, type: visit.rosterFile ? 'default' : 'primary' }}
          >
            {visit.rosterFile ? '重新导入发证名册' : '导入发证名册'}
          </FilePicker>
          <Tooltip title={isOpen ? (hardBlockReason(visit) ?? '快捷键 Ctrl+Enter：依次确认警告、凭条数量，再确认签章') : '本次办证已签章'}>
            <Button type="primary" disabled={!isOpen || hardBlockReason(visit) !== null} data-testid="seal-button" onClick={() => proceedToSeal(detail)}>
              {isOpen ? `签章（${visit.counts.sealable} 本）` : '已签章'}
            </Button>
          </Tooltip>
          {isOpen && blockReason && (
            <span className="finding-error" data-testid="seal-blocked-reason">
              {blockReason}
            </span>
          )}
          {visit.rosterFile && <span style={{ color: '#888' }}>名册：{visit.rosterFile}</span>}
        </Space>
      )}
      {visit.status === 'sealed' && <SealedPanel visit={visit} initialEntries={sealedEntries} onPrint={() => setStep({ kind: 'print' })} />}
      {visit.status === 'sealed' && <VisitPapers visit={visit} />}
      {isOpen && visit.rosterFile && <PrecheckNotice visitId={visitId} version={detail.rows} />}
      {visit.rosterFile ? (
        <>
          <div style={{ display: 'flex', alignItems: 'flex-start', gap: 16, marginBottom: 8 }}>
            <div style={{ flex: 1 }}>
              <FindingSummary counts={visit.counts} rows={detail.rows} sealed={!isOpen} codeFilter={codeFilter} onCodeFilter={setCodeFilter} />
            </div>
            {isOpen && rowsAwaitingReason.length > 0 && (
              <Button data-testid="acknowledge-all" onClick={() => setStep({ kind: 'acknowledge', rows: rowsAwaitingReason, thenSeal: false })}>
                {codeFilter ? '确认所示警告' : '确认全部警告'}（{rowsAwaitingReason.length} 行，F9）
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
          <div ref={tableBoxRef}>
            <RosterTable ref={tableRef} rows={visibleRows} height={tableHeight} width={tableBox.width} sealed={!isOpen} currentLine={currentLine} onAcknowledge={isOpen ? acknowledge : undefined} />
          </div>
        </>
      ) : (
        visit.status !== 'voided' && <Empty description="尚未导入发证名册：点击“导入发证名册”或按 Ctrl+O，选择 Excel 或 CSV 文件" style={{ padding: 48 }} />
      )}
      {step?.kind === 'acknowledge' && (
        <AcknowledgeModal
          rows={step.rows}
          languageCopySeen={visit.documentsSeen.includes('外语合格证复印件')}
          okText={step.thenSeal ? '确认，继续签章' : '确认'}
          onCancel={() => setStep(null)}
          onConfirm={async (reason) => {
            const next = await call('visits.acknowledge', { visitId, lines: step.rows.map((row) => row.line), reason });
            if (step.rows.length > 1) message.success(`已确认 ${step.rows.length} 行警告`);
            afterReason(next, step.thenSeal);
          }}
        />
      )}
      {step?.kind === 'day' && visit.dayWarning && (
        <ReasonModal title="确认在非办证日办理" suggestions={['经负责人同意非办证日办理']} onCancel={() => setStep(null)} onConfirm={async (reason) => afterReason(await call('visits.acknowledgeDay', { visitId, reason }), step.thenSeal)}>
          <Alert type="warning" showIcon title={visit.dayWarning} />
          <span>确认后本次办证可以签章，理由记入办证记录和登记簿备注。</span>
        </ReasonModal>
      )}
      {step?.kind === 'slipCount' && visit.slipCount !== null && (
        <ReasonModal
          title={`确认少于凭条的证书数：凭条 ${visit.slipCount} 本，签章 ${visit.counts.sealable} 本`}
          suggestions={[`${visit.slipCount - visit.counts.sealable} 本核验不符退回单位`, `${visit.slipCount - visit.counts.sealable} 本单位未带来`]}
          onCancel={() => setStep(null)}
          onConfirm={async (reason) => afterReason(await call('visits.acknowledgeSlipCount', { visitId, reason }), step.thenSeal)}
        >
          <span>未签章的证书退回用章单位；理由记入登记簿备注，并打印在印章使用登记表上。</span>
        </ReasonModal>
      )}
      {step?.kind === 'seal' && <SealConfirmModal visit={visit} rows={detail.rows} today={today} sealing={sealing} onCancel={() => setStep(null)} onConfirm={() => void seal()} />}
      {step?.kind === 'print' && <PdfModal request={printRequest} title={`印章使用登记表：${visit.unit}`} onClose={() => setStep(null)} />}
      {step?.kind === 'mend' && (
        <MendVisitModal
          visit={visit}
          onClose={() => setStep(null)}
          onMended={(next) => {
            setDetail(next);
            setStep(null);
            message.success('已修改办证信息');
          }}
        />
      )}
      {step?.kind === 'void' && (
        <ReasonModal
          title="作废本次办证"
          okText="作废"
          suggestions={['用章单位材料不全，改日再办', '信息录入有误，重新办理']}
          onCancel={() => setStep(null)}
          onConfirm={async (reason) => {
            setDetail(await call('visits.void', { visitId, reason }));
            setStep(null);
          }}
        >
          <Alert type="warning" showIcon title="作废后本次办证不能再签章；记录保留，凭条不计为已使用。" />
        </ReasonModal>
      )}
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
