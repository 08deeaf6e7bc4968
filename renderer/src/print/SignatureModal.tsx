import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import SignaturePad from 'signature_pad';
import type { RegisterEntryView } from '../../../core/contract';
import { call, errorText } from '../api';

interface SignatureModalProps {
  visitId: number;
  agentName: string;
  onClose: () => void;
  onSigned: (entry: RegisterEntryView) => void;
}

/** The pad's drawing size; it is scaled to the screen's pixel ratio so the ink stays sharp. */
const PAD = { width: 640, height: 200 };

/**
 * 屏幕手写签字: the agent signs with a pen tablet, a touch screen or the mouse. The drawing goes
 * into the register as the record of a 签字 entry naming what the agent signs for.
 */
export function SignatureModal({ visitId, agentName, onClose, onSigned }: SignatureModalProps) {
  const padRef = useRef<SignaturePad | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // A callback ref, not an effect: the modal mounts its body after the first render, so an effect
  // would find no canvas and the pad would never take ink.
  const canvasRef = useCallback((canvas: HTMLCanvasElement | null) => {
    padRef.current?.off();
    padRef.current = null;
    if (!canvas) return;
    const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 2);
    canvas.width = PAD.width * ratio;
    canvas.height = PAD.height * ratio;
    canvas.getContext('2d')?.scale(ratio, ratio);
    padRef.current = new SignaturePad(canvas, { penColor: '#000000', minWidth: 1, maxWidth: 2.6 });
  }, []);

  const confirm = async () => {
    const pad = padRef.current;
    if (!pad || pad.isEmpty()) {
      setError('签名板上没有签字，请经办人签字后再确认。');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const png = pad.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
      const { entry } = await call('print.sign', { visitId, pngBase64: png });
      onSigned(entry);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`经办人屏幕签字：${agentName}`}
      width={PAD.width + 64}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button data-testid="signature-clear" onClick={() => padRef.current?.clear()}>清除重签</Button>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} data-testid="signature-confirm" onClick={() => void confirm()}>确认签字</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">请经办人在下框内签名。确认后签名记入登记簿，打印的登记表上显示签名；也可不在屏幕上签字，在纸质登记表上签字。</Typography.Paragraph>
      <canvas ref={canvasRef} data-testid="signature-pad" style={{ width: PAD.width, height: PAD.height, border: '1px dashed #999', touchAction: 'none', background: '#fff' }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}
