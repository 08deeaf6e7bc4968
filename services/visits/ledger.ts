import type { CertificateView, Response } from '../../core/contract';
import { normalizeText } from '../../core/verify/text';
import type { ServiceContext } from '../context';

/** A row of the `certificates` view over the ledger's records (db/migrations/003-bound-register.ts), as every query of it reads it. */
export interface CertificateViewRow {
  id: number;
  entry_seq: number;
  cert_no: string;
  id_number: string;
  name: string;
  qualification: string;
  approval_doc: string;
  unit: string;
  visit_id: number;
  sealed_at: string;
  /** 1 for a replacement (补发), 0 otherwise. */
  reissue: number;
  replaces_cert_no: string | null;
}

type CertificateRecord = Omit<CertificateViewRow, 'id'> & { replaced_by: string | null; clerk: string | null };

const LIMIT = 50;

/**
 * The certificate ledger by 证书编号, 身份证号码 or 姓名 (exactly: a counter looks up one person, not
 * a pattern). A certificate named by a later replacement is 已作废; the replacement itself is 补发.
 * The ledger's own shape is read here only, so a change to how certificates are kept changes one query.
 */
export function findCertificates(ctx: ServiceContext, query: string): Response<'certificates.find'> {
  const text = normalizeText(query).replace(/ /g, '');
  const upper = text.toUpperCase();
  const select = `SELECT c.*, (SELECT v.cert_no FROM certificates v WHERE v.replaces_cert_no = c.cert_no ORDER BY v.id LIMIT 1) AS replaced_by,
      (SELECT e.clerk FROM register_entries e WHERE e.seq = c.entry_seq) AS clerk
    FROM certificates c`;
  const byNo = ctx.db.prepare(`${select} WHERE c.cert_no = ? ORDER BY c.id DESC LIMIT ${LIMIT}`).all(upper) as CertificateRecord[];
  const records = byNo.length > 0 ? byNo : (ctx.db.prepare(`${select} WHERE c.id_number = ? OR c.name = ? ORDER BY c.id DESC LIMIT ${LIMIT}`).all(upper, text) as CertificateRecord[]);
  return {
    certificates: records.map(toView),
    message: records.length > 0 ? null : `本窗口没有签章过“${text}”：证书编号、身份证号码或姓名都没有找到签章记录。`,
  };
}

function toView(r: CertificateRecord): CertificateView {
  const status = r.replaced_by ? '已作废' : r.reissue === 1 ? '补发' : '已签章';
  return {
    certNo: r.cert_no,
    name: r.name,
    idNumber: r.id_number,
    qualification: r.qualification,
    approvalDoc: r.approval_doc,
    status,
    relatedCertNo: status === '已作废' ? r.replaced_by : r.replaces_cert_no,
    sealedAt: r.sealed_at,
    visitId: r.visit_id,
    unit: r.unit,
    clerk: r.clerk ?? '',
    entrySeq: r.entry_seq,
  };
}
