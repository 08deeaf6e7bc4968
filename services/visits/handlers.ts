import type { HandlersOf } from '../../core/contract';
import type { visitsCalls } from '../../core/contract/visits';
import { decodeUpload, type ServiceContext } from '../context';
import { checkDraft, scanCode, visitHints } from './counter';
import { findCertificates } from './ledger';
import { acknowledgeSlipCount, mendVisit, voidVisit } from './mend';
import { acknowledgeDay, acknowledgeWarnings, createVisit, getVisitDetail, importRoster, listVisits, sealVisit, setDocumentsSeen } from './visits';

export function visitsHandlers(ctx: ServiceContext): HandlersOf<typeof visitsCalls> {
  return {
    'visits.create': (request) => createVisit(ctx, request),
    'visits.list': ({ status }) => listVisits(ctx, status),
    'visits.get': ({ visitId }) => getVisitDetail(ctx, visitId),
    'visits.importRoster': ({ visitId, fileName, dataBase64 }) => importRoster(ctx, visitId, fileName, decodeUpload(dataBase64)),
    'visits.acknowledge': (request) => acknowledgeWarnings(ctx, request),
    'visits.acknowledgeDay': (request) => acknowledgeDay(ctx, request),
    'visits.setDocuments': (request) => setDocumentsSeen(ctx, request),
    'visits.seal': ({ visitId }) => sealVisit(ctx, visitId),
    'visits.mend': (request) => mendVisit(ctx, request),
    'visits.void': (request) => voidVisit(ctx, request),
    'visits.acknowledgeSlipCount': (request) => acknowledgeSlipCount(ctx, request),
    'visits.checkDraft': (request) => checkDraft(ctx, request),
    'visits.hints': ({ unit }) => visitHints(ctx, unit),
    'visits.scan': ({ code }) => scanCode(ctx, code),
    'certificates.find': ({ query }) => findCertificates(ctx, query),
  };
}
