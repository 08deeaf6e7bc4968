import { z } from 'zod';
import type { Access } from '../accounts/roles';
import { CERTIFICATE_TYPES } from '../verify/certificateTypes';

/** What every call declares: who may make it, and the shapes of its request and its answer. */
export interface CallSpec {
  access: Access;
  request: z.ZodType;
  response: z.ZodType;
}
export type CallSpecs = Record<string, CallSpec>;

export const CertificateTypeSchema = z.enum(CERTIFICATE_TYPES);
/** A file the clerk picked, as it travels over either host. */
export const FileUpload = { fileName: z.string().min(1).max(255), dataBase64: z.string() };
export const Empty = z.object({});
export const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
