import { canonicalJson, type JsonValue } from './canonicalJson';
import { sha256Hex } from './entries';

/**
 * The ledger's rows, bound into the register (DOMAIN.md §7). A register entry brings records into
 * the ledger — a sealing its certificates; later kinds of entry their stock movements or
 * applications — and its hashed content carries the digest of exactly those records, so no ledger
 * row can be changed, added or removed without the entry that wrote it no longer matching.
 *
 * A record is stored as its canonical JSON (RFC 8785), `kind` included; the entry's
 * attachmentsDigest is the SHA-256 of the canonical JSON array of its records in the order they
 * were written, i.e. of `[` + their canonical texts joined by `,` + `]`.
 */
export const RECORD_KINDS = ['certificate'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** One certificate in the ledger: what the hub compares across offices and a replacement voids. */
export interface CertificateRecord {
  kind: 'certificate';
  certNo: string;
  idNumber: string;
  name: string;
  qualification: string;
  approvalDoc: string;
  unit: string;
  visitId: number;
  sealedAt: string;
  /** 补发: this certificate replaces `replacesCertNo`, which it voids (a replacement is itself this hashed record). */
  reissue: boolean;
  replacesCertNo: string | null;
}

export type LedgerRecord = CertificateRecord;

/** A record as it is kept and as it travels in a batch: the entry it belongs to and its canonical text. */
export interface AttachedRecord {
  entrySeq: number;
  canonical: string;
}

export function recordCanonical(record: LedgerRecord): string {
  return canonicalJson(record as unknown as JsonValue);
}

/** What an entry's attachmentsDigest must be for these records (none: the digest of `[]`). */
export function attachmentsDigestOf(canonicals: readonly string[]): string {
  // Most entries bring no records (a 登记表 sealed, a 更正): their digest is a constant.
  return canonicals.length === 0 ? NO_ATTACHMENTS_DIGEST : sha256Hex(`[${canonicals.join(',')}]`);
}

export const NO_ATTACHMENTS_DIGEST = sha256Hex('[]');

/** The records of a batch or a register read back, parsed; anything not a certificate is skipped. */
export function certificatesIn(records: readonly AttachedRecord[]): (CertificateRecord & { entrySeq: number })[] {
  const certificates: (CertificateRecord & { entrySeq: number })[] = [];
  for (const { entrySeq, canonical } of records) {
    const record = JSON.parse(canonical) as { kind?: unknown };
    if (record.kind === 'certificate') certificates.push({ ...(record as CertificateRecord), entrySeq });
  }
  return certificates;
}
