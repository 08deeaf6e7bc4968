import { z } from 'zod';
import type { ApprovedRow } from '../verify/verifyRoster';

/**
 * One person of an approved list as text fields: the one description that the province's signed
 * publications and the app's list screens both validate against.
 */
export const ApprovedRowSchema = z.strictObject({
  line: z.number().int(),
  name: z.string(),
  gender: z.string(),
  idNumber: z.string(),
  workUnit: z.string(),
  department: z.string(),
  major: z.string(),
  qualification: z.string(),
  level: z.string(),
  approvedOn: z.string(),
  langRequirement: z.string(),
  managementNo: z.string(),
  approvalDoc: z.string(),
}) satisfies z.ZodType<ApprovedRow>;
