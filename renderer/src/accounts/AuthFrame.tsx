import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

interface AuthFrameProps {
  officeName: string | null;
  title: ReactNode;
  testId: string;
  children: ReactNode;
}

/** The screens before the app (first run, sign-in, lock): one card in the middle, nothing of the register behind it. */
export function AuthFrame({ officeName, title, testId, children }: AuthFrameProps) {
  return (
    <div className="auth-backdrop" data-testid={testId}>
      <div style={{ width: 440 }}>
        <div style={{ textAlign: 'center', marginBottom: 20 }}>
          <Typography.Title level={2} style={{ margin: 0, color: '#fff' }}>
            签章窗口
          </Typography.Title>
          {officeName && <div style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16, marginTop: 4 }}>{officeName}</div>}
        </div>
        <Card title={title} styles={{ header: { fontSize: 18 } }}>
          {children}
        </Card>
      </div>
    </div>
  );
}
