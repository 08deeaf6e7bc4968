import { Alert, Button, Descriptions, Input, Modal, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { CERTIFICATE_TYPES } from '../../../core/certificateTypes';
import type { CertificateType } from '../../../core/certificateTypes';
import type { ListSummary, Response } from '../../../core/contract';
import { call, errorText } from '../api';
import type { FileUpload } from '../upload';

export interface PendingImport {
  upload: FileUpload;
  preview: Response<'lists.preview'>;
}

interface ImportListModalProps {
  pending: PendingImport;
  importedLists: ListSummary[];
  onCancel(): void;
  onImported(list: ListSummary): void;
}

const CERTIFICATE_TYPE_OPTIONS = CERTIFICATE_TYPES.map((type) => ({ value: type, label: type }));

export function ImportListModal({ pending, importedLists, onCancel, onImported }: ImportListModalProps) {
  const { upload, preview } = pending;
  const [approvalDoc, setApprovalDoc] = useState(preview.approvalDoc);
  const [title, setTitle] = useState(preview.title);
  const [certificateType, setCertificateType] = useState<CertificateType>(preview.certificateType);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The preview only knows about the number it found; an edited number is checked against the lists shown.
  const alreadyImported =
    importedLists.some((list) => list.approvalDoc === approvalDoc.trim()) || (approvalDoc === preview.approvalDoc && preview.alreadyImported);
  const hasRejectedRows = preview.rejected.length > 0;
  const canImport = !hasRejectedRows && !alreadyImported && approvalDoc.trim() !== '' && preview.rowCount > 0;

  const confirm = async () => {
    setImporting(true);
    setError(null);
    try {
      onImported(await call('lists.import', { ...upload, approvalDoc: approvalDoc.trim(), title: title.trim(), certificateType }));
    } catch (e) {
      setError(errorText(e));
      setImporting(false);
    }
  };

  return (
    <Modal
      open
      width={760}
      title={`导入名单：${upload.fileName}`}
      onCancel={onCancel}
      footer={
        <Space>
          <Button onClick={onCancel}>取消</Button>
          <Button type="primary" disabled={!canImport} loading={importing} data-testid="list-import-confirm" onClick={() => void confirm()}>
            确认导入
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Descriptions
          column={1}
          bordered
          size="small"
          styles={{ label: { width: 120 } }}
          items={[
            {
              key: 'doc',
              label: '批准文号',
              children: <Input data-testid="list-import-doc" value={approvalDoc} onChange={(e) => setApprovalDoc(e.target.value)} status={approvalDoc.trim() ? undefined : 'error'} placeholder="文件中未找到批准文号，请填写" />,
            },
            { key: 'title', label: '标题', children: <Input value={title} onChange={(e) => setTitle(e.target.value)} /> },
            {
              key: 'type',
              label: '证书类型',
              children: <Select<CertificateType> style={{ width: '100%' }} options={CERTIFICATE_TYPE_OPTIONS} value={certificateType} onChange={setCertificateType} />,
            },
            { key: 'rows', label: '数据行数', children: `${preview.rowCount} 行` },
            { key: 'header', label: '表头所在行', children: `第 ${preview.headerLine} 行` },
          ]}
        />
        {alreadyImported && <Alert type="error" showIcon title={`批准文号“${approvalDoc.trim()}”的名单已经导入过，不能重复导入。`} />}
        {hasRejectedRows && (
          <Alert
            type="error"
            showIcon
            title={`有 ${preview.rejected.length} 行无法导入，整份名单不予导入`}
            description="名单必须整份导入，以免漏掉人员。请在 Excel 中更正下列行后重新选择文件。"
          />
        )}
        {hasRejectedRows && (
          <Table
            rowKey="line"
            size="small"
            bordered
            pagination={false}
            scroll={{ y: 240 }}
            dataSource={preview.rejected}
            columns={[
              { title: '行号', dataIndex: 'line', width: 80 },
              { title: '原因', dataIndex: 'reason' },
            ]}
          />
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
