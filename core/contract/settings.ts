import { z } from 'zod';
import { SettingsSchema } from '../settings/settings';
import { Empty, FileUpload, type CallSpecs } from './shared';

const ReferenceKind = z.enum(['slips', 'signers', 'holidays', 'units']);

export { matchUnits } from '../settings/unitMatch';

/** The office's settings (one JSON document) and the reference lists an administrator imports. */
export const settingsCalls = {
  'settings.get': {
    access: 'clerk', request: Empty, response: SettingsSchema },
  'settings.save': {
    access: 'admin', request: SettingsSchema, response: SettingsSchema },
  'reference.import': {
    access: 'admin',
    request: z.object({ kind: ReferenceKind, ...FileUpload }),
    response: z.object({ kind: ReferenceKind, count: z.number() }),
  },
  'reference.summary': {
    access: 'clerk',
    request: Empty,
    response: z.object({ slips: z.number(), signers: z.number(), holidays: z.number(), units: z.number() }),
  },
  /** The visiting units with their pinyin initials: the new-visit form suggests from them as the clerk types. */
  'reference.units': {
    access: 'clerk', request: Empty, response: z.array(z.object({ name: z.string(), category: z.string(), initials: z.string() })) },
  /** A training database (npm start -- --training): every screen and print says 培训, nothing syncs. */
  'training.status': {
    access: 'public', request: Empty, response: z.object({ training: z.boolean() }) },
  'settings.export': {
    access: 'admin', request: Empty, response: z.object({ fileName: z.string(), json: z.string() }) },
  'settings.import': {
    access: 'admin', request: z.object({ json: z.string().max(1_000_000) }), response: SettingsSchema },
} as const satisfies CallSpecs;
