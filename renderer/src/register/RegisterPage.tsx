import { Alert, Button, Card, DatePicker, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { RegisterEntryView, Request, Response } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../feedback';
import { DATE_FORMAT, formatDateTime } from '../format';
import { PdfModal } from '../print/PdfModal';
import type { PrintRequest } from '../print/PdfModal';
import { SearchBox } from '../SearchBox';

const COLUMNS: TableColumnsType<RegisterEntryView> = [
  { title: '序号', dataIndex: 'seq', width: 70, align: 'right', fixed: 'left' },
  { title: '时间', dataIndex: 'at', width: 140, render: (value: string) => formatDateTime(value) },
  {
    title: '印章',
    key: 'seal',
    width: 210,
    ellipsis: true,
    render: (_, entry) => (
      <>
        {entry.kind === '更正' && <Tag color="purple">更正</Tag>}
        {entry.sealName}（{entry.sealKind}）
      </>
    ),
  },
  { title: '用印文件', dataIndex: 'documentKind', width: 80 },
  { title: '数量', dataIndex: 'count', width: 60, align: 'right' },
  { title: '用章单位', dataIndex: 'unit', width: 190, ellipsis: true },
  { title: '经办人', key: 'agent', width: 170, render: (_, entry) => `${entry.agentName} ${entry.agentPhone}` },
  { title: '凭条编号', dataIndex: 'slipNo', width: 120, className: 'digits' },
  { title: '事由', dataIndex: 'purpose', width: 170, ellipsis: true },
  { title: '窗口经办人', dataIndex: 'clerk', width: 90 },
];

/**
 * 备注 (acknowledged warnings and their reasons) can run to a paragraph and the columns above
 * already fill the window: it is shown in full on a line of its own under its entry, always open.
 */
const REMARKS_ROW = {
  showExpandColumn: false,
  rowExpandable: (entry: RegisterEntryView) => entry.remarks !== '',
  expandedRowRender: (entry: RegisterEntryView) => (
    <div className="register-remarks" data-testid="register-remarks">
      <strong>备注：</strong>
      {entry.remarks}
    </div>
  ),
};
const SCROLL_X = COLUMNS.reduce((sum, column) => sum + Number(column.width ?? 0), 0);

type Filters = Pick<Request<'register.list'>, 'from' | 'to' | 'unit'>;
type ChainReport = Response<'register.verify'>;

export function RegisterPage({ today }: { today: string }) {
  const showError = useShowError();
  const [filters, setFilters] = useState<Filters>({});
  const [unitText, setUnitText] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [data, setData] = useState<Response<'register.list'>>({ total: 0, entries: [] });
  const [loading, setLoading] = useState(false);
  const [printDate, setPrintDate] = useState<Dayjs>(() => dayjs(today));
  const [printRequest, setPrintRequest] = useState<PrintRequest | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [report, setReport] = useState<ChainReport | null>(null);

  useEffect(() => {
    setLoading(true);
    call('register.list', { ...filters, offset: (page.current - 1) * page.pageSize, limit: page.pageSize })
      .then(setData, showError)
      .finally(() => setLoading(false));
  }, [filters, page, showError]);

  const changeFilters = (change: Filters) => {
    setFilters((f) => ({ ...f, ...change }));
    setPage((p) => ({ ...p, current: 1 }));
  };

  const verify = async () => {
    setVerifying(true);
    setReport(null);
    try {
      setReport(await call('register.verify', {}));
    } catch (e) {
      showError(e);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <Card
      title="印章使用登记簿"
      extra={
        <Space wrap>
          <DatePicker value={printDate} onChange={(d) => d && setPrintDate(d)} allowClear={false} format={DATE_FORMAT} />
          <Button data-testid="register-print-day" onClick={() => setPrintRequest({ date: printDate.format(DATE_FORMAT) })}>
            打印当日登记表
          </Button>
          <Button loading={verifying} data-testid="register-verify" onClick={() => void verify()}>
            校验登记簿
          </Button>
        </Space>
      }
    >
      {report && (
        <div data-testid="register-verify-result" style={{ marginBottom: 12 }}>
          {report.intact ? (
            <Alert type="success" showIcon title={`全部 ${report.count} 条登记完整`} closable={{ onClose: () => setReport(null) }} />
          ) : (
            <Alert type="error" showIcon title={`登记簿在第 ${report.firstBreak.seq} 号处不完整`} description={report.firstBreak.message} />
          )}
        </div>
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          format={DATE_FORMAT}
          placeholder={['开始日期', '结束日期']}
          onChange={(range) => changeFilters({ from: range?.[0]?.format(DATE_FORMAT), to: range?.[1]?.format(DATE_FORMAT) })}
        />
        <SearchBox testId="register-unit-filter" placeholder="用章单位" width={300} value={unitText} onChange={setUnitText} onSearch={(text) => changeFilters({ unit: text || undefined })} />
      </Space>
      <div data-testid="register-table">
        <Table<RegisterEntryView>
          rowKey="seq"
          size="small"
          bordered
          loading={loading}
          columns={COLUMNS}
          dataSource={data.entries}
          expandable={{ ...REMARKS_ROW, expandedRowKeys: data.entries.filter((entry) => entry.remarks !== '').map((entry) => entry.seq) }}
          scroll={{ x: SCROLL_X }}
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
      {printRequest && <PdfModal request={printRequest} title={`印章使用登记表：${'date' in printRequest ? printRequest.date : ''}`} onClose={() => setPrintRequest(null)} />}
    </Card>
  );
}
