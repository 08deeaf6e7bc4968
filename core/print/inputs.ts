import type { RegisterEntry } from '../register/entries';
import type { AgentSignatureRecord, CertificateRecord } from '../register/records';
import type { FindingCode, Severity, Verdict } from '../verify/findings';

/**
 * What the forms are printed from, read by services/print from the register, the ledger and the
 * visits. Kept apart from the contract's views so that the domain does not depend on the API.
 */
export type PrintEntry = Omit<RegisterEntry, 'prevHash' | 'attachmentsDigest' | 'sealId'>;

export interface VisitFacts {
  id: number;
  unit: string;
  agentName: string;
  agentPhone: string;
  certificateType: string;
  slipNo: string;
  slipCount: number | null;
  slipSigner: string;
  clerk: string;
  purpose: string;
  createdAt: string;
  sealedAt: string | null;
  documentsSeen: readonly string[];
}

export interface CheckedRosterRow {
  rowNo: number;
  certNo: string;
  name: string;
  gender: string;
  idText: string;
  workUnit: string;
  major: string;
  qualification: string;
  approvedOn: string;
  approvalDoc: string;
  remark: string;
  verdict: Verdict;
  findings: readonly { code: FindingCode; severity: Severity; message: string }[];
  acknowledgement: string | null;
  sealed: boolean;
}

export type LedgerCertificate = CertificateRecord & { entrySeq: number };
export type AgentSignature = AgentSignatureRecord & { entrySeq: number };

/** A visit as its forms show it: the visit, its roster as verified, its entries and certificates. */
export interface VisitPrintData {
  officeName: string;
  visit: VisitFacts;
  rows: readonly CheckedRosterRow[];
  /** The register entries of the visit, ascending (sealing, 更正, 签字). */
  entries: readonly PrintEntry[];
  certificates: readonly LedgerCertificate[];
  signatures: readonly AgentSignature[];
}

export interface BatchFacts {
  batchNo: number;
  firstSeq: number;
  lastSeq: number;
  entryCount: number;
  createdAt: string;
}

/** One office day: its entries, the certificates they sealed, the visits sealed and the batches closed. */
export interface DayPrintData {
  officeName: string;
  date: string;
  entries: readonly PrintEntry[];
  certificates: readonly LedgerCertificate[];
  signatures: readonly AgentSignature[];
  /** Visits whose entries are among the day's, with their refused rows counted. */
  visits: readonly (VisitFacts & { refused: number })[];
  batches: readonly BatchFacts[];
}
