import { Button } from 'antd';
import type { Visit } from '../../../core/contract';
import { VisitAlert } from './VisitAlert';

interface DayWarningProps {
  visit: Visit;
  onAcknowledge: () => void;
}

/** OFF_COUNTER_DAY concerns the whole visit, not a row: one reason, asked for here. */
export function DayWarning({ visit, onAcknowledge }: DayWarningProps) {
  if (visit.dayWarning === null) return null;
  const acknowledged = visit.dayAcknowledgement !== null;
  return (
    <VisitAlert
      type="warning"
      testId="day-warning"
      title={visit.dayWarning}
      description={acknowledged ? <span data-testid="day-acknowledgement">已确认，理由：{visit.dayAcknowledgement}</span> : visit.status === 'open' ? '确认并填写理由后才能签章。' : undefined}
      action={
        !acknowledged && visit.status === 'open' ? (
          <Button size="small" data-testid="day-acknowledge" onClick={onAcknowledge}>
            确认
          </Button>
        ) : undefined
      }
    />
  );
}
