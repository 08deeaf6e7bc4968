import { z } from 'zod';
import { ApprovedRowSchema } from '../lists/approvedRowSchema';
import { CertificateTypeSchema, Empty, FileUpload, type CallSpecs } from './shared';

export const ListSummarySchema = z.object({
  id: z.number(),
  approvalDoc: z.string(),
  title: z.string(),
  certificateType: CertificateTypeSchema,
  rowCount: z.number(),
  sourceFile: z.string(),
  importedAt: z.string(),
});

// The list screens show every field but the management number, and which list the person is on.
export const ApprovedPersonSchema = z.object(ApprovedRowSchema.shape).omit({ managementNo: true }).extend({ listId: z.number() });

const RejectedRowSchema = z.object({ line: z.number(), reason: z.string() });

const ListDiffSchema = z.object({
  added: z.number(),
  removed: z.number(),
  changed: z.number(),
  /** The first differences, for the clerk to read before confirming. */
  samples: z.array(z.object({ change: z.enum(['added', 'removed', 'changed']), idNumber: z.string(), name: z.string(), detail: z.string() })),
});

/** Approved lists (合格人员名单 / 评审通过人员名单): import, replace, search. */
export const listsCalls = {
  'lists.preview': {
    access: 'supervisor',
    request: z.object({ ...FileUpload }),
    response: z.object({
      approvalDoc: z.string(),
      title: z.string(),
      certificateType: CertificateTypeSchema,
      headerLine: z.number(),
      /** The sheet the list was read from: the visible one that holds the header. */
      sheetName: z.string(),
      rowCount: z.number(),
      rejected: z.array(RejectedRowSchema),
      alreadyImported: z.boolean(),
      /** When the 批准文号 is already imported: what importing this file would change. */
      diff: ListDiffSchema.nullable(),
    }),
  },
  'lists.import': {
    access: 'supervisor',
    request: z.object({
      ...FileUpload,
      approvalDoc: z.string().optional(),
      title: z.string().optional(),
      certificateType: CertificateTypeSchema.optional(),
      /** Confirms replacing the rows of a list already imported under the same 批准文号. */
      replaceExisting: z.boolean().optional(),
    }),
    response: ListSummarySchema,
  },
  'lists.list': {
    access: 'clerk', request: Empty, response: z.array(ListSummarySchema) },
  'lists.rows': {
    access: 'clerk',
    request: z.object({ listId: z.number().optional(), query: z.string().max(100).optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }),
    response: z.object({ total: z.number(), rows: z.array(ApprovedPersonSchema) }),
  },
} as const satisfies CallSpecs;

export type ListSummary = z.infer<typeof ListSummarySchema>;
export type ApprovedPerson = z.infer<typeof ApprovedPersonSchema>;
