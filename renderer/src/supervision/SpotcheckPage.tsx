import type { TableColumnsType } from 'antd';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Radio, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ComponentRef } from 'react';
import {
  CERTIFICATE_TYPES, FINDING_LABEL, type CertificateType, type FindingCode, type RegisterEntryView, type SpotcheckDrawView, type SpotcheckItem, type SpotcheckView, type SpotcheckVisitItem,
  type SpotcheckVisitSeen, VISIT_FIELD_LABEL,
} from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';
import { formatDateTime } from '../common/format';
import { useSubmit } from '../common/useSubmit';
import { RosterTable } from '../visits/RosterTable';
import { downloadPdf, downloadXlsx } from './papers';
import { DATE_FORMAT, periodOf } from './period';

/**
 * 抽查: a supervisor draws sealed certificates or whole sealed visits at random (the seed and the
 * parameters go into the register, so a redraw is never silent), looks at what the clerk saw, and
 * records 合格 or a problem.
 */
export function SpotcheckPage({ today }: { today: string }) {
  const showError = useShowError();
  const [draws, setDraws] = useState<SpotcheckDrawView[]>([]);
  const [open, setOpen] = useState<SpotcheckView | null>(null);

  const refresh = useCallback(() => { call('spotcheck.list', {}).then(setDraws, showError); }, [showError]);
  useEffect(refresh, [refresh]);

  const show = (view: SpotcheckView) => {
    setOpen(view);
    refresh();
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <DrawForm today={today} onDrawn={show} />
      <Card size="small" title="抽样记录">
        <Table<SpotcheckDrawView>
          data-testid="spotcheck-draws"
          size="small"
          rowKey="seq"
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={draws}
          locale={{ emptyText: '还没有抽样' }}
          onRow={(draw) => ({ onClick: () => { call('spotcheck.get', { seq: draw.seq }).then(setOpen, showError); }, style: { cursor: 'pointer' } })}
          columns={[
            { title: '登记簿号', dataIndex: 'seq', width: 90 },
            { title: '抽样时间', dataIndex: 'at', width: 150, render: (at: string) => formatDateTime(at) },
            { title: '抽查人', dataIndex: 'supervisor', width: 90 },
            { title: '对象', dataIndex: 'sampling', width: 70, render: (sampling: Sampling) => SAMPLING_WORDS[sampling].noun },
            { title: '期间', render: (_, d) => `${d.from} 至 ${d.to}` },
            { title: '范围', render: (_, d) => scopeText(d) },
            { title: '样本 / 总体', width: 110, render: (_, d) => `${d.sampleSize} / ${d.populationSize}` },
            { title: '已查 / 问题', width: 110, render: (_, d) => `${d.checked} / ${d.problems}` },
            { title: '', width: 110, render: (_, d) => d.earlierDraws.length > 0 && <Tag color="red">第 {d.earlierDraws.length + 1} 次抽样</Tag> },
          ]}
        />
      </Card>
      {open && <DrawDetail view={open} onChange={show} />}
    </Space>
  );
}

type Sampling = SpotcheckDrawView['sampling'];

/** How the page counts what a draw samples (the backend's register entry and paper say the same). */
const SAMPLING_WORDS: Record<Sampling, { noun: string; measure: string }> = { certificates: { noun: '证书', measure: '张' }, visits: { noun: '办证', measure: '次' } };

const scopeText = (d: Pick<SpotcheckDrawView, 'unit' | 'clerk' | 'certificateType'>) =>
  [d.unit && `单位：${d.unit}`, d.clerk && `经办人：${d.clerk}`, d.certificateType].filter(Boolean).join('；') || '全部';

function DrawForm({ today, onDrawn }: { today: string; onDrawn: (view: SpotcheckView) => void }) {
  const [period, setPeriod] = useState(() => periodOf('month', today));
  const [sampling, setSampling] = useState<Sampling>('certificates');
  const [by, setBy] = useState<'size' | 'percent'>('size');
  const [amount, setAmount] = useState<number | null>(10);
  const [unit, setUnit] = useState('');
  const [clerk, setClerk] = useState('');
  const [certificateType, setCertificateType] = useState<CertificateType | undefined>(undefined);
  const [seed, setSeed] = useState('');
  const { busy, error, setError, submit } = useSubmit();

  const draw = () => {
    if (amount == null) {
      setError(by === 'size' ? '请填写抽样数量。' : '请填写抽样比例。');
      return;
    }
    void submit(async () => {
      onDrawn(await call('spotcheck.draw', {
        sampling, ...period, ...(by === 'size' ? { size: amount } : { percent: amount }),
        ...(unit.trim() ? { unit: unit.trim() } : {}), ...(clerk.trim() ? { clerk: clerk.trim() } : {}),
        ...(certificateType ? { certificateType } : {}), ...(seed.trim() ? { seed: seed.trim() } : {}),
      }));
    });
  };

  return (
    <Card size="small" title="随机抽查">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        从期间内已签章的证书中随机抽取，或抽取整次办证（查看该次办证的全部名册行、确认理由、已查验材料和签章情况）。随机种子和抽样条件记入登记簿，任何人可按种子复现样本；同一范围再次抽样也会记入登记簿并注明。
      </Typography.Paragraph>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label="期间">
          <DatePicker.RangePicker
            allowClear={false}
            format={DATE_FORMAT}
            value={[dayjs(period.from), dayjs(period.to)]}
            onChange={(range) => { if (range?.[0] && range[1]) setPeriod({ from: range[0].format(DATE_FORMAT), to: range[1].format(DATE_FORMAT) }); }}
          />
        </Form.Item>
        <Form.Item label="抽样对象">
          <Radio.Group
            data-testid="spotcheck-sampling"
            optionType="button"
            value={sampling}
            onChange={(e) => setSampling(e.target.value as Sampling)}
            options={[{ value: 'certificates', label: '证书' }, { value: 'visits', label: '整次办证' }]}
          />
        </Form.Item>
        <Form.Item label="抽样">
          <Space.Compact>
            <Radio.Group optionType="button" value={by} onChange={(e) => setBy(e.target.value as 'size' | 'percent')} options={[{ value: 'size', label: '按数量' }, { value: 'percent', label: '按比例' }]} />
            <InputNumber data-testid="spotcheck-amount" min={by === 'size' ? 1 : 0.1} max={by === 'size' ? 10000 : 100} value={amount} onChange={setAmount} addonAfter={by === 'size' ? SAMPLING_WORDS[sampling].measure : '%'} style={{ width: 140 }} />
          </Space.Compact>
        </Form.Item>
        <Form.Item label="用章单位"><Input data-testid="spotcheck-unit" value={unit} onChange={(e) => setUnit(e.target.value)} allowClear placeholder="全部" style={{ width: 220 }} /></Form.Item>
        <Form.Item label="窗口经办人"><Input value={clerk} onChange={(e) => setClerk(e.target.value)} allowClear placeholder="全部" style={{ width: 120 }} /></Form.Item>
        <Form.Item label="证书类型">
          <Select allowClear placeholder="全部" value={certificateType} onChange={setCertificateType} style={{ width: 220 }} options={CERTIFICATE_TYPES.map((t) => ({ value: t, label: t }))} />
        </Form.Item>
        <Form.Item label="随机种子"><Input value={seed} onChange={(e) => setSeed(e.target.value)} allowClear placeholder="复现既往抽样时填写" style={{ width: 200 }} /></Form.Item>
        <Form.Item><Button type="primary" data-testid="spotcheck-draw" loading={busy} onClick={draw}>抽样</Button></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="spotcheck-error" />}
    </Card>
  );
}

const SAMPLE_TABLE = { size: 'small', pagination: { pageSize: 20, hideOnSinglePage: true } } as const;

/** What a finding is recorded for: a sampled certificate or a sampled visit, and how the page names it. */
interface Target {
  label: string;
  ref: { certificateId: number } | { visitId: number };
}

function DrawDetail({ view, onChange }: { view: SpotcheckView; onChange: (view: SpotcheckView) => void }) {
  const { message } = App.useApp();
  const showError = useShowError();
  const [problemFor, setProblemFor] = useState<Target | null>(null);
  const [note, setNote] = useState('');
  const noteRef = useRef<ComponentRef<typeof Input.TextArea>>(null);
  const { draw } = view;
  // An opened visit is as wide as the card, measured outside the table: measured inside, its own
  // roster would widen the cell it is measured in.
  const bodyRef = useRef<HTMLDivElement>(null);
  const [bodyWidth, setBodyWidth] = useState(1000);
  useLayoutEffect(() => {
    const measure = () => { if (bodyRef.current) setBodyWidth(bodyRef.current.clientWidth); };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);

  const record = async (target: Target, verdict: '合格' | '有问题', text: string) => {
    try {
      onChange(await call('spotcheck.record', { drawSeq: draw.seq, ...target.ref, verdict, note: text }));
      message.success(`已记录：${target.label} ${verdict}`);
      setProblemFor(null);
      setNote('');
    } catch (e) {
      showError(e);
    }
  };
  const papers = async (kind: 'pdf' | 'xlsx') => {
    try {
      const made = await call('spotcheck.papers', { seq: draw.seq });
      if (kind === 'pdf') downloadPdf(made);
      else downloadXlsx(made.xlsxFileName, made.xlsxBase64);
    } catch (e) {
      showError(e);
    }
  };
  /** 结论 and 记录, the last two columns of either table: the finding so far, and the buttons to record one. */
  const findingColumns = <T extends { result: SpotcheckItem['result'] }>(targetOf: (row: T) => Target & { testKey: string }): TableColumnsType<T> => [
    { title: '结论', width: 200, render: (_, row) => {
      const { result } = row;
      return result
        ? <span data-testid={`spotcheck-result-${targetOf(row).testKey}`}><Tag color={result.verdict === '合格' ? 'green' : 'red'}>{result.verdict}</Tag>{result.note}</span>
        : <span style={{ color: '#999' }}>未检查</span>;
    } },
    { title: '记录', width: 170, render: (_, row) => {
      const { testKey, ...target } = targetOf(row);
      return (
        <Space>
          <Button size="small" data-testid={`spotcheck-pass-${testKey}`} onClick={() => void record(target, '合格', '')}>合格</Button>
          <Button size="small" danger data-testid={`spotcheck-problem-${testKey}`} onClick={() => { setProblemFor(target); setNote(''); }}>有问题</Button>
        </Space>
      );
    } },
  ];

  return (
    <Card
      size="small"
      data-testid="spotcheck-detail"
      title={`第 ${draw.seq} 号抽样（${draw.sampling === 'visits' ? '整次办证' : '证书'}）：${draw.from} 至 ${draw.to}`}
      extra={<Space><Button data-testid="spotcheck-pdf" onClick={() => void papers('pdf')}>打印抽查记录</Button><Button data-testid="spotcheck-xlsx" onClick={() => void papers('xlsx')}>导出 .xlsx</Button></Space>}
    >
      {draw.earlierDraws.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={`同一范围此前已抽样 ${draw.earlierDraws.length} 次（登记簿第 ${draw.earlierDraws.join('、')} 号），本次为重新抽样，已记入登记簿。`} />}
      <div ref={bodyRef} />
      <Descriptions size="small" column={4} items={[
        { key: 'seed', label: '随机种子', children: <span data-testid="spotcheck-seed" style={{ fontFamily: 'monospace' }}>{draw.seed}</span> },
        { key: 'scope', label: '范围', children: scopeText(draw) },
        { key: 'size', label: '样本 / 总体', children: `${draw.sampleSize} / ${draw.populationSize} ${SAMPLING_WORDS[draw.sampling].measure}` },
        { key: 'checked', label: '已查 / 问题', children: <span data-testid="spotcheck-progress">{draw.checked} / {draw.problems}</span> },
      ]} />
      {draw.sampling === 'visits' ? (
        // Keyed by the draw: another draw opens with every row folded, not with the last one's rows open.
        <Table<SpotcheckVisitItem>
          key={draw.seq} {...SAMPLE_TABLE} data-testid="spotcheck-visits" rowKey="visitId" dataSource={view.visits}
          expandable={{ expandedRowRender: (item) => <VisitTheClerkSaw drawSeq={draw.seq} visitId={item.visitId} width={bodyWidth - 40} /> }}
          columns={[
            { title: '办证号', dataIndex: 'visitId', width: 80 },
            { title: '用章单位', dataIndex: 'unit' },
            { title: '经办人', dataIndex: 'agentName', width: 90 },
            { title: '签章时间', dataIndex: 'sealedAt', width: 150, render: (at: string) => formatDateTime(at) },
            { title: '窗口经办人', dataIndex: 'clerk', width: 100 },
            { title: '证书 / 名册行', width: 130, render: (_, v) => <>{v.certificateCount} / {v.rowCount}{v.refusedCount > 0 && <Tag color="orange" style={{ marginLeft: 6 }}>未签章 {v.refusedCount}</Tag>}</> },
            ...findingColumns<SpotcheckVisitItem>((v) => ({ label: `第 ${v.visitId} 号办证`, ref: { visitId: v.visitId }, testKey: `visit-${v.visitId}` })),
          ]}
        />
      ) : (
        <Table<SpotcheckItem>
          key={draw.seq} {...SAMPLE_TABLE} data-testid="spotcheck-items" rowKey="certificateId" dataSource={view.items}
          expandable={{ expandedRowRender: (item) => <WhatTheClerkSaw item={item} /> }}
          columns={[
            { title: '证书编号', dataIndex: 'certNo', width: 150 },
            { title: '姓名', dataIndex: 'name', width: 90 },
            { title: '用章单位', dataIndex: 'unit' },
            { title: '签章时间', dataIndex: 'sealedAt', width: 150, render: (at: string) => formatDateTime(at) },
            { title: '窗口经办人', dataIndex: 'clerk', width: 100 },
            ...findingColumns<SpotcheckItem>((item) => ({ label: `证书 ${item.certNo}`, ref: { certificateId: item.certificateId }, testKey: item.certNo })),
          ]}
        />
      )}
      <Modal
        open={problemFor !== null}
        title={`记录问题：${problemFor?.label ?? ''}`}
        okText="记录"
        cancelText="取消"
        okButtonProps={{ disabled: note.trim().length < 2, 'data-testid': 'spotcheck-problem-confirm' }}
        onOk={() => { if (problemFor) void record(problemFor, '有问题', note.trim()); }}
        onCancel={() => setProblemFor(null)}
        // The note is typed at once: the modal stays mounted between problems, so autoFocus would fire only the first time.
        afterOpenChange={(opened) => { if (opened) noteRef.current?.focus(); }}
      >
        <Input.TextArea
          ref={noteRef}
          data-testid="spotcheck-problem-note"
          rows={3}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          // Ctrl+Enter records, as the page's other notes do not need the mouse.
          onKeyDown={(e) => { if (e.key === 'Enter' && e.ctrlKey && problemFor && note.trim().length >= 2) { e.preventDefault(); void record(problemFor, '有问题', note.trim()); } }}
          placeholder="写明问题所在，例如：调动证明未留复印件（Ctrl+Enter 记录）"
        />
      </Modal>
    </Card>
  );
}

const ENTRY_COLUMNS = [
  { title: '登记簿号', dataIndex: 'seq', width: 80 },
  { title: '时间', dataIndex: 'at', width: 140, render: (at: string) => formatDateTime(at) },
  { title: '类别', dataIndex: 'kind', width: 110, render: (kind: string, e: RegisterEntryView) => (kind === '更正' ? <Tag color="purple">更正第 {e.correctsSeq} 号</Tag> : kind) },
  { title: '印章 / 用印文件', width: 220, render: (_: unknown, e: RegisterEntryView) => (e.sealName ? `${e.sealName}（${e.sealKind}）/ ${e.documentKind}` : '—') },
  { title: '数量', dataIndex: 'count', width: 60, align: 'right' as const },
  { title: '窗口经办人', dataIndex: 'clerk', width: 100 },
  { title: '备注', dataIndex: 'remarks', render: (remarks: string) => remarks || '—' },
];

/**
 * A sampled visit as the clerk had it when sealing: the visit's facts, the register entries that
 * name it, and the roster as the counter showed it once sealed (the same table, read-only).
 */
function VisitTheClerkSaw({ drawSeq, visitId, width }: { drawSeq: number; visitId: number; width: number }) {
  const showError = useShowError();
  const [seen, setSeen] = useState<SpotcheckVisitSeen | null>(null);
  useEffect(() => { call('spotcheck.visit', { drawSeq, visitId }).then(setSeen, showError); }, [drawSeq, visitId, showError]);
  if (!seen) return <Spin size="small" />;
  const { visit, rows, amendments } = seen.detail;
  const sealedRows = rows.filter((r) => r.sealable).length;
  return (
    <div data-testid={`spotcheck-visit-seen-${visitId}`} style={{ width }}>
      <Descriptions size="small" column={3} bordered items={[
        { key: 'unit', label: '用章单位', children: visit.unit },
        { key: 'agent', label: '经办人 / 电话', children: `${visit.agentName} / ${visit.agentPhone}` },
        { key: 'type', label: '证书类型', children: visit.certificateType },
        { key: 'slip', label: '签章凭条', children: visit.slipNo ? `${visit.slipNo}${visit.slipCount != null ? `（${visit.slipCount} 本）` : ''}${visit.slipSigner ? `，签发人 ${visit.slipSigner}` : ''}` : '—' },
        { key: 'slipReason', label: '凭条数量不符理由', children: visit.slipCountReason ?? '—' },
        { key: 'docs', label: '已查验材料', children: visit.documentsSeen.join('、') || '—' },
        { key: 'day', label: '非办证日理由', children: visit.dayAcknowledgement ?? '—' },
        { key: 'roster', label: '发证名册', children: `${visit.rosterFile ?? '—'}：共 ${rows.length} 行，签章 ${sealedRows} 行，未签章 ${rows.length - sealedRows} 行` },
        { key: 'sealed', label: '签章', children: `${seen.item.clerk}，${formatDateTime(seen.item.sealedAt)}，证书 ${seen.item.certificateCount} 张` },
        ...(amendments.length > 0 ? [{ key: 'amend', label: '签章前修改', span: 3, children: amendments.map((a, i) => <div key={i}>{formatDateTime(a.at)} {a.clerk}：{a.changes.map((c) => `${VISIT_FIELD_LABEL[c.field]}由“${c.before || '（空）'}”改为“${c.after || '（空）'}”`).join('，')}（理由：{a.reason}）</div>) }] : []),
      ]} />
      <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>登记簿</Typography.Text>
      <Table<RegisterEntryView> size="small" rowKey="seq" pagination={false} dataSource={seen.entries} columns={ENTRY_COLUMNS} data-testid={`spotcheck-visit-entries-${visitId}`} />
      <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>发证名册（签章时的核验结果与确认理由）</Typography.Text>
      <RosterTable rows={rows} height={Math.min(480, 60 * rows.length)} width={width - 32} sealed currentLine={null} />
    </div>
  );
}

/** The roster row, the findings at sealing, the acknowledgement and the documents ticked: what the clerk had before them. */
function WhatTheClerkSaw({ item }: { item: SpotcheckItem }) {
  return (
    <Descriptions size="small" column={2} bordered data-testid={`spotcheck-seen-${item.certNo}`} items={[
      { key: 'id', label: '身份证号码', children: item.idNumber },
      { key: 'qual', label: '资格名称 / 批准文号', children: `${item.qualification} / ${item.approvalDoc}` },
      { key: 'row', label: '名册行', children: item.rosterRow ? `序号 ${item.rosterRow.rowNo}；工作单位 ${item.rosterRow.workUnit || '—'}；专业 ${item.rosterRow.major || '—'}；批准时间 ${item.rosterRow.approvedOn || '—'}${item.rosterRow.remark ? `；备注 ${item.rosterRow.remark}` : ''}` : '（名册行已不可查）' },
      { key: 'findings', label: '核验结果', children: item.findings.length === 0 ? '通过' : item.findings.map((f) => <div key={f.code}>{FINDING_LABEL[f.code as FindingCode] ?? f.code}：{f.message}</div>) },
      { key: 'ack', label: '警告确认理由', children: item.acknowledgement ?? '—' },
      { key: 'docs', label: '已查验材料', children: item.documentsSeen.join('、') || '—' },
      { key: 'day', label: '非办证日理由', children: item.dayAcknowledgement ?? '—' },
      { key: 'slip', label: '签章凭条 / 审批人', children: `${item.slipNo || '—'} / ${item.approver || '—'}` },
      { key: 'entry', label: '登记簿', children: `第 ${item.entrySeq} 号，第 ${item.visitId} 号办证` },
    ]} />
  );
}
