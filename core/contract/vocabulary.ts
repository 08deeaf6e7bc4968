/**
 * The domain's words the screens show and filter by: certificate types, finding codes and their
 * labels, roles, and which seals a certificate type takes. The renderer imports only the contract,
 * so the contract hands these on from the domain that defines them.
 */
export { CERTIFICATE_TYPES, type CertificateType } from '../verify/certificateTypes';
export { FINDING_CODES, FINDING_LABEL, SEVERITY, type FindingCode } from '../verify/findings';
export { ROLES, ROLE_LABEL, roleAtLeast, type Role } from '../accounts/roles';
export { sealUsesFor, type SealUse } from '../settings/settings';
export { CONFIRMATION_MATERIALS, DAMAGE_REASONS, EMPLOYMENT_PROOFS, LOSS_NOTICE_FIELDS, REFUSAL_REASONS, REPLACEMENT_MATERIALS, TITLE_LEVELS, TITLE_ROUTES, ARRIVALS, UNIT_MANAGEMENT } from '../applications/terms';
