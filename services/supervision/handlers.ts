import type { HandlersOf } from '../../core/contract';
import type { supervisionCalls } from '../../core/contract/supervision';
import { decodeUpload, type ServiceContext } from '../context';
import { precheckForVisit, runPrecheck } from './precheck';
import { drawSpotcheck, listSpotchecks, recordSpotcheckResult, spotcheckPapers, spotcheckView, spotcheckVisit } from './spotcheck';
import { exportStats, officeStats } from './stats';
import { statsPdf } from './statsReport';

export function supervisionHandlers(ctx: ServiceContext): HandlersOf<typeof supervisionCalls> {
  return {
    'precheck.run': ({ fileName, dataBase64, unit, certificateType }) => runPrecheck(ctx, { fileName, bytes: decodeUpload(dataBase64), unit, certificateType }),
    'precheck.forVisit': (request) => precheckForVisit(ctx, request),
    'spotcheck.draw': (request) => drawSpotcheck(ctx, request),
    'spotcheck.list': () => listSpotchecks(ctx),
    'spotcheck.get': ({ seq }) => spotcheckView(ctx, seq),
    'spotcheck.visit': (request) => spotcheckVisit(ctx, request),
    'spotcheck.record': (request) => recordSpotcheckResult(ctx, request),
    'spotcheck.papers': ({ seq }) => spotcheckPapers(ctx, seq),
    'stats.get': (request) => officeStats(ctx, request),
    'stats.export': (request) => exportStats(ctx, request),
    'stats.pdf': (request) => statsPdf(ctx, request),
  };
}
