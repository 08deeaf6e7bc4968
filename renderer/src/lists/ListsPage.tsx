import { App, Card, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ListSummary } from '../../../core/contract';
import { call } from '../api';
import { useCan } from '../accounts/session';
import { useShowError } from '../common/feedback';
import { FilePicker } from '../common/FilePicker';
import { formatDateTime } from '../common/format';
import { SearchBox } from '../common/SearchBox';
import { readUpload } from '../common/upload';
import { ImportListModal } from './ImportListModal';
import type { PendingImport } from './ImportListModal';
import { PeopleTable } from './PeopleTable';

const LIST_COLUMNS: TableColumnsType<ListSummary> = [
  { title: '批准文号', dataIndex: 'approvalDoc', width: 190 },
  { title: '标题', dataIndex: 'title', ellipsis: true },
  { title: '证书类型', dataIndex: 'certificateType', width: 200 },
  { title: '人数', dataIndex: 'rowCount', width: 80, align: 'right' },
  { title: '来源文件', dataIndex: 'sourceFile', width: 240, ellipsis: true },
  { title: '导入时间', dataIndex: 'importedAt', width: 150, render: (value: string) => formatDateTime(value) },
];

export function ListsPage() {
  const { message } = App.useApp();
  const showError = useShowError();
  // Importing a list decides who may be sealed: a supervisor's job, not the clerk's.
  const canImport = useCan('supervisor');
  const [lists, setLists] = useState<ListSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [previewing, setPreviewing] = useState(false);
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [selectedListId, setSelectedListId] = useState<number | null>(null);
  const [searchText, setSearchText] = useState('');
  const [query, setQuery] = useState('');

  const showList = (listId: number) => {
    setSearchText('');
    setQuery('');
    setSelectedListId(listId);
  };

  const refresh = useCallback(() => {
    setLoading(true);
    return call('lists.list', {})
      .then(setLists, showError)
      .finally(() => setLoading(false));
  }, [showError]);
  useEffect(() => void refresh(), [refresh]);

  const preview = async (file: File) => {
    setPreviewing(true);
    try {
      const upload = await readUpload(file);
      setPending({ upload, preview: await call('lists.preview', upload) });
    } catch (e) {
      showError(e);
    } finally {
      setPreviewing(false);
    }
  };

  const imported = (list: ListSummary, replaced: boolean) => {
    setPending(null);
    message.success(replaced ? `已按新名单更新 ${list.approvalDoc}：${list.rowCount} 人` : `已导入 ${list.approvalDoc}：${list.rowCount} 人`);
    showList(list.id);
    void refresh();
  };

  const selectedList = lists.find((list) => list.id === selectedListId);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="批准名单"
        extra={
          canImport ? (
            <FilePicker inputTestId="list-import-input" onPick={(file) => void preview(file)} buttonProps={{ type: 'primary', loading: previewing }}>
              导入名单
            </FilePicker>
          ) : (
            <span style={{ color: '#888' }}>导入名单须审核人或管理员</span>
          )
        }
      >
        <div data-testid="lists-table">
          <Table<ListSummary>
            rowKey="id"
            size="middle"
            loading={loading}
            columns={LIST_COLUMNS}
            dataSource={lists}
            pagination={false}
            locale={{ emptyText: canImport ? '尚未导入名单：点击“导入名单”，选择合格人员名单或评审通过人员名单（Excel 或 CSV）' : '尚未导入名单：请审核人或管理员导入批准名单' }}
            rowClassName={(list) => (list.id === selectedListId ? 'clickable-row selected-row' : 'clickable-row')}
            onRow={(list) => ({
              onClick: () => showList(list.id),
            })}
          />
        </div>
      </Card>
      <Card
        title={query ? `查找“${query}”` : selectedList ? `${selectedList.approvalDoc}　${selectedList.title}` : '名单人员'}
        extra={
          <SearchBox testId="list-search" placeholder="按姓名或身份证号查找" width={340} maxLength={100} value={searchText} onChange={setSearchText} onSearch={setQuery} />
        }
      >
        {query ? (
          <div data-testid="people-table">
            <PeopleTable key={`query:${query}`} query={query} />
          </div>
        ) : selectedList ? (
          <div data-testid="people-table">
            <PeopleTable key={`list:${selectedList.id}`} listId={selectedList.id} />
          </div>
        ) : (
          <div style={{ color: '#888', padding: 24, textAlign: 'center' }}>点击上方名单查看人员，或输入姓名、身份证号码在全部名单中查找</div>
        )}
      </Card>
      {pending && <ImportListModal pending={pending} importedLists={lists} onCancel={() => setPending(null)} onImported={imported} />}
    </Space>
  );
}
