import type { HandlersOf } from '../../core/contract';
import type { applicationsCalls } from '../../core/contract/applications';
import { decodeUpload, type ServiceContext } from '../context';
import { addConfirmation, checkConfirmationApplication, decideConfirmation, listConfirmations, printRecognition, sealRecognition } from './confirmations';
import { exportForm, printForm } from './forms';
import { addReplacement, checkReplacementApplication, listReplacements, lookupOriginal, markSent, returnReplacement } from './replacements';
import { addRevocation, importRevocations, listRevocations } from './revocations';

export function applicationsHandlers(ctx: ServiceContext): HandlersOf<typeof applicationsCalls> {
  return {
    'replacements.lookupOriginal': ({ certNo }) => lookupOriginal(ctx, certNo),
    'replacements.check': (request) => checkReplacementApplication(ctx, request),
    'replacements.add': (request) => addReplacement(ctx, request),
    'replacements.list': (request) => listReplacements(ctx, request),
    'replacements.return': (request) => returnReplacement(ctx, request),
    'replacements.markSent': (request) => markSent(ctx, request),
    'replacements.export': (request) => exportForm(ctx, request),
    'replacements.print': (request) => printForm(ctx, request),
    'confirmations.check': (request) => checkConfirmationApplication(ctx, request),
    'confirmations.add': (request) => addConfirmation(ctx, request),
    'confirmations.list': (request) => listConfirmations(ctx, request),
    'confirmations.decide': (request) => decideConfirmation(ctx, request),
    'confirmations.print': ({ appNo }) => printRecognition(ctx, appNo),
    'confirmations.seal': (request) => sealRecognition(ctx, request),
    'revocations.import': ({ fileName, dataBase64 }) => importRevocations(ctx, fileName, decodeUpload(dataBase64)),
    'revocations.add': (request) => addRevocation(ctx, request),
    'revocations.list': (request) => listRevocations(ctx, request),
  };
}
