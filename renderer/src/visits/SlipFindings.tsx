import { Button } from 'antd';
import type { Visit } from '../../../core/contract';
import { VisitAlert } from './VisitAlert';

interface SlipFindingsProps {
  visit: Visit;
  /** Rows whose warnings still wait for a reason: once confirmed they count, and the slip is compared again. */
  awaitingRows: number;
  onConfirmCount: () => void;
  onMend: () => void;
}

/**
 * Slip findings (DOMAIN.md §5) above everything else. An error blocks sealing until the slip is
 * mended or the unit corrects it; fewer certificates than the slip names is a warning the clerk
 * confirms with a reason, and a confirmed one stays in sight with its reason.
 */
export function SlipFindings({ visit, awaitingRows, onConfirmCount, onMend }: SlipFindingsProps) {
  if (visit.status !== 'open') return null;
  const errors = visit.slipFindings.filter((f) => f.severity === 'error');
  const warning = visit.slipFindings.find((f) => f.severity === 'warning');
  return (
    <>
      {errors.length > 0 && (
        <VisitAlert
          type="error"
          testId="slip-findings"
          title={`签章凭条未通过核验，不能签章（${errors.length} 项）`}
          description={
            <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
              {errors.map((finding) => (
                <li key={finding.code} data-testid={`slip-finding-${finding.code}`}>
                  {finding.message}
                </li>
              ))}
            </ul>
          }
          action={
            <Button size="small" data-testid="slip-mend" onClick={onMend}>
              修改凭条信息（F2）
            </Button>
          }
        />
      )}
      {warning && (
        <VisitAlert
          type="warning"
          testId="slip-count-warning"
          title={warning.message}
          description={awaitingRows > 0 ? `还有 ${awaitingRows} 行警告待确认：确认后可签章的证书数会重新与凭条核对。` : undefined}
          action={
            <Button size="small" data-testid="slip-count-confirm" onClick={onConfirmCount}>
              确认并填写理由
            </Button>
          }
        />
      )}
      {!warning && visit.slipCountReason !== null && visit.slipCount !== null && visit.counts.sealable < visit.slipCount && (
        <VisitAlert type="info" testId="slip-count-reason" title={`凭条 ${visit.slipCount} 本，本次签章 ${visit.counts.sealable} 本，已确认：${visit.slipCountReason}`} />
      )}
    </>
  );
}
