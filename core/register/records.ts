import { canonicalJson, type JsonValue } from './canonicalJson';
import { sha256Hex } from './entries';
import type { NumberRange } from '../stock/ranges';
import type { IssueBasis, WorkerGrade } from '../stock/terms';
import type { ApplicationRecord } from '../applications/records';

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
export const RECORD_KINDS = ['certificate', 'agent-signature', 'stock-receipt', 'stock-issue', 'stock-spoiled', 'slip-request', 'slip-request-admission', 'slip', 'application', 'spotcheck-draw', 'spotcheck-result'] as const;
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

/**
 * The agent's signature drawn on screen (屏幕手写签字), kept as the record of the 签字 entry that
 * names the entries it signs: the image itself is in the hashed record, so a signature changed
 * behind the app no longer matches its entry and 校验登记簿 names it like any other change.
 */
export interface AgentSignatureRecord {
  kind: 'agent-signature';
  visitId: number;
  /** The register entries the agent signed for, ascending. */
  signs: number[];
  agentName: string;
  signedAt: string;
  /** The drawing as a PNG, base64, and its SHA-256 (hex), which the printed sheet names. */
  pngBase64: string;
  pngSha256: string;
}


/** Blank certificates received from the printer (DOMAIN.md §10): how many, and their numbers where pre-numbered. */
export interface StockReceiptRecord {
  kind: 'stock-receipt';
  certificateType: string;
  year: number;
  count: number;
  /** Empty for stock that is not pre-numbered. */
  ranges: NumberRange[];
  supplier: string;
}

/**
 * Blank certificates handed to a unit: against a 申领计划表 (counts per worker grade), a 登记表's
 * rows plus 5% spares, or in exchange for spoiled ones returned once the spares ran out.
 */
export interface StockIssueRecord {
  kind: 'stock-issue';
  unit: string;
  certificateType: string;
  year: number;
  basis: IssueBasis;
  /** What was asked for: the plan's total, the roster's rows, or the spoiled certificates exchanged. */
  base: number;
  spares: number;
  /** Why the spares differ from the rule (empty when they follow it). */
  sparesReason: string;
  /** base + spares: what the unit took away. */
  count: number;
  /** The 申领计划表's counts per grade (worker grades), null otherwise. */
  grades: Record<WorkerGrade, number> | null;
  contact: string;
  phone: string;
  /** Empty for stock that is not pre-numbered. */
  ranges: NumberRange[];
  /** SHA-256 and name of the 登记表 the count was taken from (kept in stock_files). */
  roster: { fileName: string; sha256: string; rows: number } | null;
}

/** One spoiled certificate (废证) the unit handed back, by its number. */
export interface StockSpoiledRecord {
  kind: 'stock-spoiled';
  unit: string;
  certificateType: string;
  year: number;
  certNo: string;
}

/** A unit's yearly request for stamp slips and blank certificates (请领函, DOMAIN.md §13). */
export interface SlipRequestRecord {
  kind: 'slip-request';
  unit: string;
  year: number;
  arrivedOn: string;
  /** Arrived after 1 February: left out of the year's plan unless an administrator admits it. */
  late: boolean;
  slipCount: number;
  contact: string;
  phone: string;
  note: string;
  /** Last year's issuance rosters, each kept in stock_files under its SHA-256. */
  attachments: { fileName: string; sha256: string; rows: number }[];
}

/** An administrator's decision to put a late request in the plan after all, with the reason. */
export interface SlipRequestAdmissionRecord {
  kind: 'slip-request-admission';
  requestSeq: number;
  unit: string;
  year: number;
  reason: string;
}

/** A numbered stamp slip granted to a unit: one line of the slip issuance list the counter checks. */
export interface SlipRecord {
  kind: 'slip';
  slipNo: string;
  unit: string;
  year: number;
  issuedOn: string;
  requestSeq: number;
}

export type StockRecord = StockReceiptRecord | StockIssueRecord | StockSpoiledRecord | SlipRequestRecord | SlipRequestAdmissionRecord | SlipRecord;

/**
 * A spot check's draw (抽查抽样): everything needed to draw the same sample again — the seed, the
 * parameters, the population as it stood (its size and the digest of its ids in order) — and the
 * certificates or the visits drawn.
 */
export interface SpotcheckDrawRecord {
  kind: 'spotcheck-draw';
  /**
   * What was sampled: certificates (their ledger ids) or whole sealed visits (their visit ids as
   * the ledger names them). Absent in the draws written before visits could be sampled, which are
   * certificate draws; their canonical bytes are kept as written.
   */
  sampling?: SpotcheckSampling;
  seed: string;
  from: string;
  to: string;
  unit: string;
  clerk: string;
  certificateType: string;
  /** What was asked for: a number of certificates or visits, or a percentage of the population. */
  size: number | null;
  percent: number | null;
  populationSize: number;
  populationDigest: string;
  /** The ids drawn (ledger ids of certificates, or visit ids), in the order drawn. */
  sampleIds: number[];
  /** Earlier draws (their register seq) over the same period, filters and sampling: a redraw says so. */
  earlierDraws: number[];
}

export type SpotcheckSampling = 'certificates' | 'visits';

/** The supervisor's finding on one sampled certificate, or on one sampled visit as a whole. */
export type SpotcheckResultRecord =
  | { kind: 'spotcheck-result'; drawSeq: number; certificateId: number; certNo: string; verdict: SpotcheckVerdict; note: string }
  | { kind: 'spotcheck-result'; drawSeq: number; visitId: number; verdict: SpotcheckVerdict; note: string };

export type SpotcheckVerdict = '合格' | '有问题';

/** Applications, their decisions and revocations (core/applications/records.ts): bound like certificates, so 校验登记簿 covers them. */
export type LedgerRecord = CertificateRecord | AgentSignatureRecord | StockRecord | ApplicationRecord | SpotcheckDrawRecord | SpotcheckResultRecord;


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

/** The records of one kind among records read back (a batch, or a register), parsed, with their entry. */
export function recordsOfKind<K extends RecordKind>(records: readonly AttachedRecord[], kind: K): (Extract<LedgerRecord, { kind: K }> & { entrySeq: number })[] {
  const found: (Extract<LedgerRecord, { kind: K }> & { entrySeq: number })[] = [];
  for (const { entrySeq, canonical } of records) {
    const record = JSON.parse(canonical) as { kind?: unknown };
    if (record.kind === kind) found.push({ ...(record as Extract<LedgerRecord, { kind: K }>), entrySeq });
  }
  return found;
}

/** The records of a batch or a register read back, parsed; anything not a certificate is skipped. */
export function certificatesIn(records: readonly AttachedRecord[]): (CertificateRecord & { entrySeq: number })[] {
  return recordsOfKind(records, 'certificate');
}
