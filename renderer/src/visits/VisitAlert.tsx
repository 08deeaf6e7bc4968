import { Alert } from 'antd';
import type { ReactNode } from 'react';

interface VisitAlertProps {
  type: 'error' | 'warning' | 'info';
  testId: string;
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
}

/** What stands between the visit and sealing (or what became of it), one banner each above the roster. */
export function VisitAlert({ type, testId, title, description, action }: VisitAlertProps) {
  return <Alert type={type} showIcon data-testid={testId} style={{ marginBottom: 8 }} title={title} description={description} action={action} />;
}
