import { App, Button, Space } from 'antd';
import { useState } from 'react';
import type { Visit } from '../../../core/contract';
import { PaperButtons } from './PaperButtons';
import { PdfModal } from './PdfModal';
import { SignatureModal } from './SignatureModal';

/** A sealed visit's papers: every form and export, and the agent's signature on screen. */
export function VisitPapers({ visit }: { visit: Visit }) {
  const { message } = App.useApp();
  const [signing, setSigning] = useState(false);
  const [signedSheet, setSignedSheet] = useState(false);
  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="visit-papers">
      <PaperButtons scope={{ visitId: visit.id }} testId="visit" />
      <Button data-testid="visit-sign-on-screen" onClick={() => setSigning(true)}>经办人屏幕签字</Button>
      {signing && (
        <SignatureModal
          visitId={visit.id}
          agentName={visit.agentName}
          onClose={() => setSigning(false)}
          onSigned={(entry) => {
            setSigning(false);
            void message.success(`经办人签字已记入登记簿（第 ${entry.seq} 号登记）`);
            setSignedSheet(true);
          }}
        />
      )}
      {signedSheet && <PdfModal request={{ form: 'register-sheet', scope: { visitId: visit.id } }} title={`印章使用登记表：${visit.unit}`} onClose={() => setSignedSheet(false)} />}
    </Space>
  );
}
