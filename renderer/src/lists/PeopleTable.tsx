import { Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import type { ApprovedPerson } from '../../../core/contract';
import { call } from '../api';
import { useShowError } from '../common/feedback';

const COLUMNS: TableColumnsType<ApprovedPerson> = [
  { title: '行号', dataIndex: 'line', width: 64, align: 'right' },
  { title: '姓名', dataIndex: 'name', width: 90 },
  { title: '性别', dataIndex: 'gender', width: 56, align: 'center' },
  { title: '身份证号码', dataIndex: 'idNumber', width: 190, className: 'digits' },
  { title: '工作单位', dataIndex: 'workUnit', width: 220 },
  { title: '主管部门', dataIndex: 'department', width: 200 },
  { title: '专业名称', dataIndex: 'major', width: 130 },
  { title: '资格名称', dataIndex: 'qualification', width: 130 },
  { title: '级别', dataIndex: 'level', width: 80 },
  { title: '批准时间', dataIndex: 'approvedOn', width: 110 },
  { title: '外语要求', dataIndex: 'langRequirement', width: 90 },
  { title: '批准文号', dataIndex: 'approvalDoc', width: 170 },
];
const SCROLL_X = COLUMNS.reduce((sum, column) => sum + Number(column.width ?? 0), 0);

/** One list's people, or everyone matching a search across all lists; paged by the backend. Remount (key) to change what it shows. */
export function PeopleTable({ listId, query }: { listId?: number; query?: string }) {
  const showError = useShowError();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [data, setData] = useState<{ total: number; rows: ApprovedPerson[] }>({ total: 0, rows: [] });
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setLoading(true);
    call('lists.rows', { listId, query, offset: (page.current - 1) * page.pageSize, limit: page.pageSize })
      .then(setData, showError)
      .finally(() => setLoading(false));
  }, [listId, query, page, showError]);

  return (
    <Table<ApprovedPerson>
      rowKey={(person) => `${person.listId}:${person.line}`}
      size="small"
      loading={loading}
      columns={COLUMNS}
      dataSource={data.rows}
      scroll={{ x: SCROLL_X }}
      locale={{ emptyText: query ? `没有找到“${query}”` : '名单为空' }}
      pagination={{
        ...page,
        total: data.total,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 200],
        showTotal: (total) => `共 ${total} 人`,
        onChange: (current, pageSize) => setPage({ current, pageSize }),
      }}
    />
  );
}
