import type { CertificateType } from '../verify/certificateTypes';
import type { SummaryForm } from './settings';
import type {
  ApplicationChannel, ApplicationCode, Arrival, ConfirmationMaterial, DamageReason, EmploymentProof, LossNoticeField, RecognitionKind, RefusalReason,
  ReplacementKind, ReplacementMaterial, TitleLevel, TitleRoute, UnitManagement,
} from './terms';

/**
 * What the register keeps of the applications (core/register/records.ts binds them into their
 * entries): every application, decision, send-up, 认定书 sealed and revocation is one record, and
 * nothing is ever changed — an application's state is what its records add up to.
 */
export interface ApplicantPerson {
  name: string;
  gender: '男' | '女';
  idNumber: string;
  workUnit: string;
  phone: string;
}

export interface OriginalCertificate {
  certNo: string;
  certificateType: CertificateType;
  qualification: string;
  major: string;
  level: string;
  /** 取得时间 / 批准时间, YYYY-MM-DD. */
  approvedOn: string;
  approvalDoc: string;
}

export interface LossNotice {
  newspaper: string;
  /** 国内统一刊号, e.g. CN51-0001. */
  issn: string;
  publishedOn: string;
  fieldsNamed: LossNoticeField[];
}

/** A supervisor's confirmation of what only a supervisor may let through, with the reason. */
export interface SupervisorConfirmation {
  account: string;
  name: string;
  reason: string;
  /** The warnings confirmed. */
  codes: ApplicationCode[];
}

export interface Actor {
  account: string;
  name: string;
}

export interface ReplacementFiled {
  kind: 'application';
  event: 'replacement-filed';
  appNo: string;
  replacementKind: ReplacementKind;
  channel: ApplicationChannel;
  /** The unit whose batch brought it (单位汇总); '' at the window. */
  submittedBy: string;
  person: ApplicantPerson;
  original: OriginalCertificate;
  /** Where the original was found: in this counter's ledger (the entry that sealed it), or entered from the paper. */
  originEntrySeq: number | null;
  lossNotice: LossNotice | null;
  damage: { reason: DamageReason; correction: string } | null;
  materials: ReplacementMaterial[];
  confirmation: SupervisorConfirmation | null;
  /** Sent up in a window (a national exam certificate), or made locally and sealed when it comes. */
  windowed: boolean;
  note: string;
  filedAt: string;
  clerk: Actor;
}

export interface ReplacementSent {
  kind: 'application';
  event: 'replacement-sent';
  appNos: string[];
  /** YYYY-MM of the window's deadline. */
  windowKey: string;
  form: SummaryForm;
  sentAt: string;
  clerk: Actor;
}

export interface ReplacementReturned {
  kind: 'application';
  event: 'replacement-returned';
  appNo: string;
  reason: string;
  at: string;
  by: Actor;
}

export interface ConfirmationTitle {
  qualification: string;
  major: string;
  level: TitleLevel;
  route: TitleRoute;
  /** The title's original date, which stands after confirmation. */
  obtainedOn: string;
  approvalDoc: string;
  /** Who reviewed and approved it, e.g. 陕西省职称改革办公室. */
  issuedBy: string;
  /** Where it was obtained: a province, or a central unit or the army. */
  obtainedIn: string;
  certNo: string;
}

export interface ConfirmationConditions {
  /** Obtained by review and approved under national policy. */
  approvedUnderNationalPolicy: boolean;
  /** The personnel file has formally moved into the province. */
  fileMovedIn: boolean;
  /** A labour contract with a unit here, or social insurance paid here; null: neither. */
  employmentProof: EmploymentProof | null;
}

export interface ConfirmationFiled {
  kind: 'application';
  event: 'confirmation-filed';
  appNo: string;
  person: ApplicantPerson & { unitManagement: UnitManagement };
  title: ConfirmationTitle;
  conditions: ConfirmationConditions;
  arrival: Arrival;
  materials: ConfirmationMaterial[];
  /** Who confirms it: this office, by its competence. */
  competentBody: string;
  /** 无需确认 for a national-exam title, answered at once; null while it waits for a decision. */
  answer: '无需确认' | null;
  note: string;
  filedAt: string;
  clerk: Actor;
}

export interface ConfirmationDecided {
  kind: 'application';
  event: 'confirmation-decided';
  appNo: string;
  decision: '确认' | '不予确认';
  reason: RefusalReason | null;
  /** The materials were false (not only incomplete): the person is barred. */
  falseMaterials: boolean;
  note: string;
  /** The date of the decision, as the supervisor gives it. */
  decidedOn: string;
  at: string;
  by: Actor;
  recognition: { kind: RecognitionKind; number: string } | null;
  /** Years the person may not apply, inclusive. */
  bar: { from: string; until: string } | null;
}

/** A 认定书 sealed with the office's seal: the ledger line of the sealing entry. */
export interface RecognitionSealed {
  kind: 'application';
  event: 'recognition-sealed';
  appNo: string;
  recognitionKind: RecognitionKind;
  number: string;
  idNumber: string;
  name: string;
  qualification: string;
  originalDate: string;
  sealedAt: string;
}

export interface Revocation {
  kind: 'application';
  event: 'revocation';
  idNumber: string;
  name: string;
  qualification: string;
  /** The document that revoked it. */
  document: string;
  revokedOn: string;
  /** The last day of the bar on sitting the exam or applying for review; null: none. */
  barUntil: string | null;
  reason: string;
  /** Recorded here, or applied from the province's signed publication (its version). */
  hubVersion: number | null;
}

/** A revocation the province took out of its published list (published in error). */
export interface RevocationLifted {
  kind: 'application';
  event: 'revocation-lifted';
  idNumber: string;
  qualification: string;
  document: string;
  hubVersion: number;
}

export type ApplicationRecord = ReplacementFiled | ReplacementSent | ReplacementReturned | ConfirmationFiled | ConfirmationDecided | RecognitionSealed | Revocation | RevocationLifted;
export type ApplicationEvent = ApplicationRecord['event'];
