import { App, Card, Spin, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Request, Response } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { useShowError } from '../common/feedback';
import { FilePicker } from '../common/FilePicker';
import { readUpload } from '../common/upload';

type ReferenceKind = Request<'reference.import'>['kind'];
type Summary = Response<'reference.summary'>;

interface KindInfo {
  kind: ReferenceKind;
  name: string;
  what: string;
  unit: string;
}

const KINDS: KindInfo[] = [
  { kind: 'slips', name: '签章凭条发放名单', what: '凭条编号、用章单位、年度、发放日期：核对凭条是否发放、发给哪个单位、哪一年度', unit: '张' },
  { kind: 'signers', name: '授权签字人', what: '姓名、职务、起止日期：核对凭条签字人在签章当天是否有权签字', unit: '人' },
  { kind: 'holidays', name: '节假日与调休', what: '日期、休/班、名称：判断当天是否为高级证书办证日', unit: '天' },
  { kind: 'units', name: '用章单位', what: '单位名称、单位类别、地区代码：新建办证时按名称或拼音首字母提示单位', unit: '个' },
];

/** Replaces one kind of reference data from a file; each import replaces the previous one of that kind. */
export function ReferenceDataCard() {
  const { message } = App.useApp();
  const showError = useShowError();
  const canImport = useCan('admin');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [importing, setImporting] = useState<ReferenceKind | null>(null);

  const refresh = useCallback(() => call('reference.summary', {}).then(setSummary, showError), [showError]);
  useEffect(() => void refresh(), [refresh]);

  const importFile = async (info: KindInfo, file: File) => {
    setImporting(info.kind);
    try {
      const result = await call('reference.import', { kind: info.kind, ...(await readUpload(file)) });
      message.success(`已导入${info.name}：${result.count} ${info.unit}`);
      await refresh();
    } catch (e) {
      showError(e);
    } finally {
      setImporting(null);
    }
  };

  const importColumn: TableColumnsType<KindInfo>[number] = {
    title: '',
    key: 'import',
    width: 120,
    render: (_, info) => (
      <FilePicker inputTestId={`reference-import-${info.kind}`} onPick={(file) => void importFile(info, file)} buttonProps={{ loading: importing === info.kind, disabled: importing !== null && importing !== info.kind }}>
        导入文件
      </FilePicker>
    ),
  };

  const columns: TableColumnsType<KindInfo> = [
    { title: '基础数据', dataIndex: 'name', width: 170 },
    { title: '内容与用途', dataIndex: 'what' },
    {
      title: '当前数量',
      key: 'count',
      width: 110,
      align: 'right',
      render: (_, info) => (summary ? <span data-testid={`reference-count-${info.kind}`}>{`${summary[info.kind]} ${info.unit}`}</span> : <Spin size="small" />),
    },
    ...(canImport ? [importColumn] : []),
  ];

  return (
    <Card title="基础数据" extra={<span style={{ color: '#888' }}>{canImport ? 'CSV（UTF-8 或 GBK）或 Excel；重新导入会替换同类数据' : '由管理员导入'}</span>}>
      <div data-testid="reference-summary">
        <Table<KindInfo> rowKey="kind" size="middle" pagination={false} columns={columns} dataSource={KINDS} />
      </div>
    </Card>
  );
}
