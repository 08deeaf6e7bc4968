import { Alert, Table } from 'antd';
import { useEffect, useState } from 'react';
import type { PrecheckMatch } from '../../../core/contract';
import { call } from '../api';

/**
 * On the counter day, above a visit's roster: was this file prechecked? The same file says so;
 * another file of the unit shows what changed since the 预审. `version` changes when the roster does.
 */
export function PrecheckNotice({ visitId, version }: { visitId: number; version: unknown }) {
  const [match, setMatch] = useState<PrecheckMatch | null>(null);
  useEffect(() => {
    let current = true;
    // A failure here must not stand in the clerk's way: the notice is advice, the verification is below.
    call('precheck.forVisit', { visitId }).then((m) => { if (current) setMatch(m); }, () => { if (current) setMatch(null); });
    return () => { current = false; };
  }, [visitId, version]);
  if (!match || match.status === 'none') return null;
  return (
    <Alert
      data-testid="precheck-notice"
      type={match.status === 'match' ? 'success' : 'warning'}
      showIcon
      style={{ marginBottom: 8 }}
      message={match.message}
      description={match.changes.length > 0 && (
        <Table size="small" rowKey={(c) => `${c.change}-${c.rowNo}`} pagination={{ pageSize: 10, hideOnSinglePage: true }} dataSource={match.changes}
          columns={[{ title: '变化', dataIndex: 'change', width: 64 }, { title: '序号', dataIndex: 'rowNo', width: 64 }, { title: '姓名', dataIndex: 'name', width: 100 }, { title: '说明', dataIndex: 'detail' }]} />
      )}
    />
  );
}
