import { Alert } from 'antd';
import type { Visit } from '../../../core/contract';

/** Every slip finding is an error (DOMAIN.md §5): shown above everything else, with what blocks. */
export function SlipFindings({ visit }: { visit: Visit }) {
  if (visit.status !== 'open' || visit.slipFindings.length === 0) return null;
  const countMismatch = visit.slipFindings.some((f) => f.code === 'SLIP_COUNT_MISMATCH');
  const others = visit.slipFindings.some((f) => f.code !== 'SLIP_COUNT_MISMATCH');
  return (
    <Alert
      type="error"
      showIcon
      data-testid="slip-findings"
      style={{ marginBottom: 8 }}
      title={`签章凭条未通过核验，不能签章（${visit.slipFindings.length} 项）`}
      description={
        <>
          <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
            {visit.slipFindings.map((finding) => (
              <li key={finding.code} data-testid={`slip-finding-${finding.code}`}>
                {finding.message}
              </li>
            ))}
          </ul>
          {countMismatch && <div style={{ color: '#888' }}>凭条证书数与可签章的行数比对：确认警告、勾选材料后会重新核对。</div>}
          {others && <div style={{ color: '#888' }}>凭条问题须由用章单位更正；如凭条信息录入有误，请新建办证重新录入。</div>}
        </>
      }
    />
  );
}
