import { App, Alert, Button, Card, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ConfirmationView, ReplacementView, Request, Response, RevocationView } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { useShowError } from '../common/feedback';
import { FilePicker } from '../common/FilePicker';
import { formatDateTime } from '../common/format';
import { readUpload } from '../common/upload';
import { ConfirmationForm } from './ConfirmationForm';
import { DecideModal, SealModal } from './ConfirmationActions';
import { ReplacementForm } from './ReplacementForm';
import { ReturnModal } from './ReturnModal';
import { downloadBase64, PdfPreview } from './shared';

type SummaryForm = Request<'replacements.export'>['form'];
type Pdf = { fileName: string; path: string; pdfBase64: string; title: string };

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STATUS_COLOR: Record<string, string> = { 待报送: 'gold', 已报送: 'blue', 待签章: 'cyan', 已办结: 'green', 已退回: 'red', 待审核: 'gold', 已确认: 'green', 不予确认: 'red', 无需确认: 'default' };
const status = (text: string) => <Tag color={STATUS_COLOR[text]}>{text}</Tag>;

/** Replacements waiting for the office's next window, and the summary form that sends them up. */
function ReplacementsTab({ onPdf }: { onPdf: (pdf: Pdf) => void }) {
  const showError = useShowError();
  const { message } = App.useApp();
  const [list, setList] = useState<Response<'replacements.list'> | null>(null);
  const [forms, setForms] = useState<SummaryForm[]>([]);
  const [form, setForm] = useState<SummaryForm | null>(null);
  const [adding, setAdding] = useState(false);
  const [returning, setReturning] = useState<ReplacementView | null>(null);
  const isSupervisor = useCan('supervisor');
  const load = useCallback(() => { call('replacements.list', {}).then(setList, showError); }, [showError]);
  useEffect(load, [load]);
  useEffect(() => {
    call('settings.get', {}).then((s) => { setForms(s.applications.summaryForms); setForm(s.applications.summaryForms[0] ?? null); }, showError);
  }, [showError]);

  const exportForm = () => form && call('replacements.export', { form }).then((file) => {
    downloadBase64(file.fileName, file.dataBase64, XLSX_TYPE);
    void message.success(`已导出 ${file.rowCount} 人：${file.fileName}`);
  }, showError);
  const printForm = () => form && call('replacements.print', { form }).then((pdf) => onPdf({ ...pdf, title: form }), showError);
  const waiting = list?.items.filter((i) => i.status === '待报送').map((i) => i.appNo) ?? [];
  const markSent = () => form && call('replacements.markSent', { appNos: waiting, form }).then((sent) => {
    void message.success(`已标记 ${sent.items.length} 件为已报送（${sent.window.label}）。`);
    load();
  }, showError);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button type="primary" onClick={() => setAdding(true)} data-testid="replacement-new">登记补办（换发）申请</Button>
        <Select style={{ width: 220 }} value={form} onChange={setForm} options={forms.map((value) => ({ value }))} data-testid="summary-form" />
        <Button onClick={() => void exportForm()} data-testid="summary-export">导出汇总表（.xlsx）</Button>
        <Button onClick={() => void printForm()} data-testid="summary-print">打印汇总表</Button>
        <Button disabled={waiting.length === 0} onClick={() => void markSent()} data-testid="summary-mark-sent">标记待报送的已报送</Button>
      </Space>
      {list?.nextWindow && <Alert type="info" showIcon data-testid="replacement-window" title={`下一报送期：${list.nextWindow.label}（${list.nextWindow.deadline} 前），待报送 ${list.waiting} 件。`} />}
      <Table<ReplacementView> rowKey="appNo" size="middle" dataSource={list?.items ?? []} loading={!list} pagination={{ pageSize: 20 }} data-testid="replacement-table"
        columns={[
          { title: '申请编号', dataIndex: 'appNo' },
          { title: '类型', dataIndex: 'replacementKind' },
          { title: '姓名', render: (_, r) => r.person.name },
          { title: '原证书编号', render: (_, r) => r.original.certNo },
          { title: '资格名称', render: (_, r) => r.original.qualification },
          { title: '受理时间', render: (_, r) => formatDateTime(r.filedAt) },
          { title: '状态', render: (_, r) => status(r.status) },
          { title: '办结', render: (_, r) => (r.closed ? `新证书 ${r.closed.certNo}（第 ${r.closed.entrySeq} 号登记，${formatDateTime(r.closed.sealedAt)}）` : r.returned ? `退回：${r.returned.reason}` : '') },
          { title: '操作', render: (_, r) => (isSupervisor && !r.closed && !r.returned ? <Button size="small" danger onClick={() => setReturning(r)} data-testid={`replacement-return-${r.appNo}`}>退回</Button> : null) },
        ]} />
      {returning && <ReturnModal application={returning} onClose={() => setReturning(null)} onReturned={(r) => { setReturning(null); void message.success(`已退回 ${r.appNo}。`); load(); }} />}
      {adding && <ReplacementForm onClose={() => setAdding(false)} onAdded={(added) => { setAdding(false); void message.success(`已受理 ${added.appNo}（第 ${added.entrySeq} 号登记）。`); load(); }} />}
    </Space>
  );
}

/** Out-of-province confirmations: filed by the clerk, decided by a supervisor, the 认定书 printed and sealed. */
function ConfirmationsTab({ onPdf, today }: { onPdf: (pdf: Pdf) => void; today: string }) {
  const showError = useShowError();
  const { message } = App.useApp();
  const isSupervisor = useCan('supervisor');
  const [items, setItems] = useState<ConfirmationView[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [deciding, setDeciding] = useState<ConfirmationView | null>(null);
  const [sealing, setSealing] = useState<ConfirmationView | null>(null);
  const load = useCallback(() => { call('confirmations.list', {}).then((r) => setItems(r.items), showError); }, [showError]);
  useEffect(load, [load]);
  const done = (text: string) => { setDeciding(null); setSealing(null); setAdding(false); void message.success(text); load(); };
  const print = (c: ConfirmationView) => call('confirmations.print', { appNo: c.appNo }).then((pdf) => onPdf({ ...pdf, title: c.decision?.recognition?.kind ?? '认定书' }), showError);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" onClick={() => setAdding(true)} data-testid="confirmation-new">登记省外证书确认申请</Button>
      <Table<ConfirmationView> rowKey="appNo" size="middle" dataSource={items ?? []} loading={!items} pagination={{ pageSize: 20 }} data-testid="confirmation-table"
        columns={[
          { title: '申请编号', dataIndex: 'appNo' },
          { title: '姓名', render: (_, c) => c.person.name },
          { title: '资格', render: (_, c) => `${c.title.qualification}（${c.title.obtainedIn}，${c.title.obtainedOn}）` },
          { title: '确认机构', dataIndex: 'competentBody' },
          { title: '状态', render: (_, c) => status(c.status) },
          { title: '决定', render: (_, c) => (c.decision ? `${c.decision.decidedOn} ${c.decision.by.name}：${c.decision.recognition?.number ?? c.decision.reasonText}${c.decision.bar ? `；${c.decision.bar.from} 至 ${c.decision.bar.until} 不得申报` : ''}` : '') },
          { title: '盖章', render: (_, c) => (c.sealing ? `第 ${c.sealing.entrySeq} 号登记，${formatDateTime(c.sealing.at)}` : '') },
          {
            title: '操作',
            render: (_, c) => (
              <Space>
                {c.status === '待审核' && isSupervisor && <Button size="small" onClick={() => setDeciding(c)} data-testid={`confirmation-decide-${c.appNo}`}>作出决定</Button>}
                {c.status === '已确认' && <Button size="small" onClick={() => void print(c)} data-testid={`confirmation-print-${c.appNo}`}>打印认定书</Button>}
                {c.status === '已确认' && !c.sealing && <Button size="small" type="primary" onClick={() => setSealing(c)} data-testid={`confirmation-seal-${c.appNo}`}>盖章</Button>}
              </Space>
            ),
          },
        ]} />
      {adding && <ConfirmationForm onClose={() => setAdding(false)} onAdded={(c) => done(c.status === '无需确认' ? `${c.appNo}：全国统一考试取得的资格证书无需确认，已当场答复。` : `已受理 ${c.appNo}，由${c.competentBody}确认。`)} />}
      {deciding && <DecideModal application={deciding} today={today} onClose={() => setDeciding(null)} onDecided={(c) => done(`${c.appNo}：${c.status}。`)} />}
      {sealing && <SealModal application={sealing} onClose={() => setSealing(null)} onSealed={(c) => done(`${c.decision?.recognition?.number ?? c.appNo} 已盖章（第 ${c.sealing?.entrySeq ?? ''} 号登记）。`)} />}
    </Space>
  );
}

/** The revoked qualifications the roster check refuses: the province's, and those imported here by a supervisor. */
function RevocationsTab() {
  const showError = useShowError();
  const { message } = App.useApp();
  const isSupervisor = useCan('supervisor');
  const [items, setItems] = useState<RevocationView[] | null>(null);
  const load = useCallback(() => { call('revocations.list', {}).then((r) => setItems(r.items), showError); }, [showError]);
  useEffect(load, [load]);
  const importFile = (file: File) => void readUpload(file).then((upload) => call('revocations.import', upload)).then((r) => {
    void message.success(`已导入取消资格名单：新增 ${r.added} 人，已有 ${r.alreadyRecorded} 人。`);
    load();
  }, showError);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {isSupervisor && <FilePicker inputTestId="revocations-import-input" onPick={importFile}>导入取消资格名单</FilePicker>}
      <Table<RevocationView> rowKey={(r) => `${r.idNumber}-${r.qualification}-${r.entrySeq}`} size="middle" dataSource={items ?? []} loading={!items} data-testid="revocation-table"
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '身份证号码', dataIndex: 'idNumber' },
          { title: '资格名称', dataIndex: 'qualification' },
          { title: '文号', dataIndex: 'document' },
          { title: '取消日期', dataIndex: 'revokedOn' },
          { title: '限制截止', render: (_, r) => r.barUntil ?? '' },
          { title: '来源', dataIndex: 'source' },
          { title: '状态', render: (_, r) => (r.lifted ? <Tag>已撤销</Tag> : <Tag color="red">有效</Tag>) },
        ]} />
    </Space>
  );
}

export function ApplicationsPage({ today }: { today: string }) {
  const [pdf, setPdf] = useState<Pdf | null>(null);
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>补换证、省外确认与取消资格</Typography.Title>
      <Tabs data-testid="applications-tabs" items={[
        { key: 'replacements', label: <span data-testid="tab-replacements">补办（换发）</span>, children: <ReplacementsTab onPdf={setPdf} /> },
        { key: 'confirmations', label: <span data-testid="tab-confirmations">省外证书确认</span>, children: <ConfirmationsTab onPdf={setPdf} today={today} /> },
        { key: 'revocations', label: <span data-testid="tab-revocations">取消资格</span>, children: <RevocationsTab /> },
      ]} />
      {pdf && <PdfPreview pdf={pdf} title={pdf.title} onClose={() => setPdf(null)} />}
    </Card>
  );
}
