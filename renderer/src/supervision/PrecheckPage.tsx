import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { CERTIFICATE_TYPES, FINDING_LABEL, type CertificateType, type FindingCode, type Papers, type PrecheckView } from '../../../core/contract';
import { call } from '../api';
import { FilePicker } from '../common/FilePicker';
import { readUpload } from '../common/upload';
import { useSubmit } from '../common/useSubmit';
import { downloadPdf, downloadXlsx } from './papers';

const VERDICT = { pass: { text: '通过', color: 'green' }, warning: { text: '警告', color: 'orange' }, error: { text: '错误', color: 'red' } } as const;

type Row = PrecheckView['rows'][number];

/**
 * 预审: a unit's roster checked ahead of the counter day with the counter's own rules. Nothing is
 * sealed or registered; the report with its code goes back to the unit.
 */
export function PrecheckPage() {
  const [unit, setUnit] = useState('');
  const [certificateType, setCertificateType] = useState<CertificateType | undefined>(undefined);
  const [result, setResult] = useState<{ precheck: PrecheckView; papers: Papers } | null>(null);
  const { busy, error, setError, submit } = useSubmit();

  const run = (file: File) => {
    if (!unit.trim()) {
      setError('请先填写用章单位，再选择名册文件。');
      return;
    }
    void submit(async () => {
      setResult(await call('precheck.run', { ...(await readUpload(file)), unit: unit.trim(), ...(certificateType ? { certificateType } : {}) }));
    });
  };

  const precheck = result?.precheck;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="预审发证名册" size="small">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          按签章窗口的核验规则预先检查名册，生成预审报告（PDF 和 .xlsx）交用章单位修改。预审不签章、不登记、不使用签章凭条；签章日导入同一文件时，系统会核对预审码。
        </Typography.Paragraph>
        <Form layout="inline">
          <Form.Item label="用章单位" required>
            <Input data-testid="precheck-unit" value={unit} onChange={(e) => setUnit(e.target.value)} style={{ width: 280 }} placeholder="例如：成都市人力资源和社会保障局" />
          </Form.Item>
          <Form.Item label="证书类型">
            <Select data-testid="precheck-type" allowClear placeholder="按名单推定" value={certificateType} onChange={setCertificateType} style={{ width: 240 }}
              options={CERTIFICATE_TYPES.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item>
            <FilePicker inputTestId="precheck-file" onPick={run} buttonProps={{ type: 'primary', loading: busy }}>选择名册并预审</FilePicker>
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="precheck-error" />}
      </Card>
      {precheck && result && (
        <Card
          size="small"
          title={<span>预审结果：<span data-testid="precheck-code" style={{ fontFamily: 'monospace', fontSize: 18 }}>{precheck.code}</span></span>}
          extra={
            <Space>
              <Button data-testid="precheck-pdf" onClick={() => downloadPdf(result.papers)}>下载预审报告（PDF）</Button>
              <Button data-testid="precheck-xlsx" onClick={() => downloadXlsx(result.papers.xlsxFileName, result.papers.xlsxBase64)}>导出 .xlsx</Button>
            </Space>
          }
        >
          <Descriptions size="small" column={3} items={[
            { key: 'unit', label: '用章单位', children: precheck.unit },
            { key: 'file', label: '名册文件', children: precheck.fileName },
            { key: 'counts', label: '结果', children: <span data-testid="precheck-counts">共 {precheck.counts.total} 行：通过 {precheck.counts.pass}，警告 {precheck.counts.warning}，错误 {precheck.counts.error}</span> },
          ]} />
          <Table<Row>
            data-testid="precheck-rows"
            size="small"
            rowKey="rowNo"
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            dataSource={precheck.rows.filter((r) => r.verdict !== 'pass')}
            locale={{ emptyText: '全部通过，无需修改' }}
            columns={[
              { title: '序号', dataIndex: 'rowNo', width: 64 },
              { title: '姓名', dataIndex: 'name', width: 100 },
              { title: '身份证号码', dataIndex: 'idText', width: 190 },
              { title: '结果', dataIndex: 'verdict', width: 72, render: (v: Row['verdict']) => <Tag color={VERDICT[v].color}>{VERDICT[v].text}</Tag> },
              { title: '问题及修改要求', render: (_, r) => r.findings.map((f) => <div key={f.code}>{FINDING_LABEL[f.code as FindingCode] ?? f.code}：{f.message}</div>) },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
