import { z } from 'zod';
import { ApprovedRowSchema } from '../lists/approvedRowSchema';
import type { ApprovedRow } from '../verify/verifyRoster';
import { canonicalJson, type JsonValue } from '../register/canonicalJson';
import { CERTIFICATE_TYPES, type CertificateType } from '../verify/certificateTypes';
import type { IssuedSlip } from '../verify/slips';
import { signEd25519, verifyEd25519 } from '../register/signing';
import type { RevocationEntry } from '../applications/revocations';

/**
 * What the province publishes through the hub for every workstation (DOMAIN.md §9): the approved
 * lists, the stamp slips issued, the enrolled workstations' public keys (with which a paper
 * printed at any office is checked, core/print/proof.ts), and the revoked qualifications (§14).
 * Each publication is signed with the province's key, so a workstation trusts it because of the
 * signature, not because of where it came from; the hub only stores and serves it.
 *
 * A publication is the whole current set of its kind, not a change: a workstation that applies
 * version 7 needs nothing from versions 1–6.
 */
export const PUBLICATION_FORMAT = 'seal-counter-publication/1';
export const PUBLICATION_KINDS = ['approved-lists', 'slips', 'workstation-keys', 'revocations'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

export const PUBLICATION_KIND_LABEL: Record<PublicationKind, string> = { 'approved-lists': '批准名单', slips: '签章凭条发放记录', 'workstation-keys': '已登记工作站公钥', revocations: '取消资格名单' };

export interface PublishedList {
  approvalDoc: string;
  title: string;
  certificateType: CertificateType;
  sourceFile: string;
  rows: ApprovedRow[];
}

/** An enrolled workstation as the hub knows it; a revoked one stays listed, with the date. */
export interface PublishedWorkstation {
  workstationId: string;
  /** The raw 32-byte Ed25519 key, base64: the workstation id is its hash (workstationIdOf). */
  publicKey: string;
  officeName: string;
  enrolledAt: string;
  revokedAt: string | null;
}

interface PublicationBase {
  format: typeof PUBLICATION_FORMAT;
  version: number;
  publishedAt: string;
}
export type ApprovedListsPublication = PublicationBase & { kind: 'approved-lists'; payload: { lists: PublishedList[] } };
export type SlipsPublication = PublicationBase & { kind: 'slips'; payload: { slips: IssuedSlip[] } };
export type WorkstationKeysPublication = PublicationBase & { kind: 'workstation-keys'; payload: { workstations: PublishedWorkstation[] } };
/** The revoked qualifications (取消资格, DOMAIN.md §14): the whole current list, like the others. */
export type RevocationsPublication = PublicationBase & { kind: 'revocations'; payload: { revocations: RevocationEntry[] } };
export type Publication = ApprovedListsPublication | SlipsPublication | WorkstationKeysPublication | RevocationsPublication;
export type SignedPublication = Publication & { signature: string };

// Strict objects: a field the signer did not write is refused rather than silently dropped, so
// what is verified is exactly what was received (ApprovedRowSchema is strict too).

const PublishedListSchema = z.strictObject({
  approvalDoc: z.string().min(1),
  title: z.string(),
  certificateType: z.enum(CERTIFICATE_TYPES),
  sourceFile: z.string(),
  rows: z.array(ApprovedRowSchema),
}) satisfies z.ZodType<PublishedList>;

const IssuedSlipSchema = z.strictObject({
  slipNo: z.string().min(1),
  unit: z.string(),
  year: z.number().int(),
  issuedOn: z.string(),
}) satisfies z.ZodType<IssuedSlip>;

const PublishedWorkstationSchema = z.strictObject({
  workstationId: z.string().regex(/^WS-[0-9A-F]{12}$/),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'public key must be 32 bytes of base64'),
  officeName: z.string(),
  enrolledAt: z.string(),
  revokedAt: z.string().nullable(),
}) satisfies z.ZodType<PublishedWorkstation>;
const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const PublishedRevocationSchema = z.strictObject({
  idNumber: z.string().regex(/^\d{17}[\dX]$/),
  name: z.string(),
  qualification: z.string().min(1),
  document: z.string().min(1),
  revokedOn: DateText,
  barUntil: DateText.nullable(),
  reason: z.string(),
}) satisfies z.ZodType<RevocationEntry>;

const base = {
  format: z.literal(PUBLICATION_FORMAT),
  version: z.number().int().positive(),
  publishedAt: z.string(),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'signature must be 64 bytes of base64'),
};

/** Parses an untrusted publication's shape; whether it is genuine is verifyPublication's job. */
export const SignedPublicationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('approved-lists'), payload: z.strictObject({ lists: z.array(PublishedListSchema) }) }),
  z.strictObject({ ...base, kind: z.literal('slips'), payload: z.strictObject({ slips: z.array(IssuedSlipSchema) }) }),
  z.strictObject({ ...base, kind: z.literal('workstation-keys'), payload: z.strictObject({ workstations: z.array(PublishedWorkstationSchema) }) }),
  z.strictObject({ ...base, kind: z.literal('revocations'), payload: z.strictObject({ revocations: z.array(PublishedRevocationSchema) }) }),
]) satisfies z.ZodType<SignedPublication>;

function unsigned(publication: Publication | SignedPublication): Publication {
  const { format, kind, version, publishedAt, payload } = publication;
  return { format, kind, version, publishedAt, payload } as Publication;
}

/** The text the province signs: RFC 8785 canonical JSON of the publication without its signature. */
export function publicationCanonical(publication: Publication | SignedPublication): string {
  return canonicalJson(unsigned(publication) as unknown as JsonValue);
}

export function signPublication(publication: Publication, provincePrivateKey: Uint8Array): SignedPublication {
  const signature = signEd25519(provincePrivateKey, Buffer.from(publicationCanonical(publication), 'utf8'));
  return { ...unsigned(publication), signature: Buffer.from(signature).toString('base64') };
}

/**
 * Whether the province signed exactly this publication. Never throws: anything that is not a
 * well-formed, correctly signed publication is false.
 */
export function verifyPublication(publication: SignedPublication, provincePublicKey: Uint8Array): boolean {
  try {
    if (typeof publication.signature !== 'string') return false;
    return verifyEd25519(provincePublicKey, Buffer.from(publicationCanonical(publication), 'utf8'), Buffer.from(publication.signature, 'base64'));
  } catch {
    return false;
  }
}
