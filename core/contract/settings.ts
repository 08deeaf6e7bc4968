import { z } from 'zod';
import { SettingsSchema } from '../settings/settings';
import { Empty, FileUpload, type CallSpecs } from './shared';

/** The office's settings (one JSON document) and the reference lists an administrator imports. */
export const settingsCalls = {
  'settings.get': {
    access: 'clerk', request: Empty, response: SettingsSchema },
  'settings.save': {
    access: 'admin', request: SettingsSchema, response: SettingsSchema },
  'reference.import': {
    access: 'admin',
    request: z.object({ kind: z.enum(['slips', 'signers', 'holidays']), ...FileUpload }),
    response: z.object({ kind: z.enum(['slips', 'signers', 'holidays']), count: z.number() }),
  },
  'reference.summary': {
    access: 'clerk',
    request: Empty,
    response: z.object({ slips: z.number(), signers: z.number(), holidays: z.number() }),
  },
  'settings.export': {
    access: 'admin', request: Empty, response: z.object({ fileName: z.string(), json: z.string() }) },
  'settings.import': {
    access: 'admin', request: z.object({ json: z.string().max(1_000_000) }), response: SettingsSchema },
} as const satisfies CallSpecs;
