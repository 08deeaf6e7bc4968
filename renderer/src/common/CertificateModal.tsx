import { Alert, Descriptions, Empty, Modal, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { CertificateView, Response } from '../../../core/contract';
import { call, errorText } from '../api';
import { formatDateTime } from './format';

const STATUS_COLOR: Record<CertificateView['status'], string> = { 已签章: 'green', 已作废: 'red', 补发: 'blue' };

interface CertificateModalProps {
  /** A certificate number (scanned), an ID number or a name (the 登记簿 search box). */
  query: string;
  onClose: () => void;
}

/** The certificate ledger for one number or person: holder, 资格名称, status, when, which visit and unit, which clerk. */
export function CertificateModal({ query, onClose }: CertificateModalProps) {
  const [found, setFound] = useState<Response<'certificates.find'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    call('certificates.find', { query }).then((answer) => !cancelled && setFound(answer), (e: unknown) => !cancelled && setError(errorText(e)));
    return () => {
      cancelled = true;
    };
  }, [query]);

  return (
    <Modal open title={`证书台账：${query}`} width={720} footer={null} onCancel={onClose} destroyOnHidden>
      <div data-testid="certificate-lookup">
        {error ? (
          <Alert type="error" showIcon title={error} />
        ) : !found ? (
          <Spin />
        ) : found.certificates.length === 0 ? (
          <Empty description={<span data-testid="certificate-not-found">{found.message}</span>} />
        ) : (
          found.certificates.map((c) => (
            <Descriptions
              key={`${c.certNo}-${c.entrySeq}`}
              data-testid="certificate-card"
              size="small"
              bordered
              column={2}
              style={{ marginBottom: 12 }}
              title={
                <span>
                  <span className="digits">{c.certNo}</span> <Tag color={STATUS_COLOR[c.status]} data-testid="certificate-status">{c.status}</Tag>
                </span>
              }
              items={[
                { key: 'name', label: '持证人', children: c.name },
                { key: 'id', label: '身份证号码', children: <span className="digits">{c.idNumber}</span> },
                { key: 'qual', label: '资格名称', children: c.qualification },
                { key: 'doc', label: '批准文号', children: c.approvalDoc },
                { key: 'at', label: '签章时间', children: formatDateTime(c.sealedAt) },
                { key: 'clerk', label: '窗口经办人', children: c.clerk },
                { key: 'unit', label: '用章单位', children: c.unit },
                { key: 'visit', label: '办证记录', children: `第 ${c.visitId} 号办证（登记第 ${c.entrySeq} 号）` },
                ...(c.relatedCertNo
                  ? [{ key: 'related', label: c.status === '已作废' ? '补发证书' : '原证书（已作废）', span: 2, children: <span className="digits">{c.relatedCertNo}</span> }]
                  : []),
              ]}
            />
          ))
        )}
      </div>
    </Modal>
  );
}
