import type { HandlersOf } from '../../core/contract';
import type { stockCalls } from '../../core/contract/stock';
import type { ServiceContext } from '../context';
import { stockBalance } from './balance';
import { issueStock, listMovements, receiveStock, recordSpoiled } from './movements';
import { exportStatement, printStockPaper } from './papers';
import { admitLateRequest, exportSlips, numberSlips, recordRequest, requestAttachment, requestPlan } from './requests';

export function stockHandlers(ctx: ServiceContext): HandlersOf<typeof stockCalls> {
  return {
    'stock.receive': (request) => receiveStock(ctx, request),
    'stock.issue': (request) => issueStock(ctx, request),
    'stock.spoiled': (request) => recordSpoiled(ctx, request),
    'stock.balance': (request) => stockBalance(ctx.db, request),
    'stock.movements': (request) => listMovements(ctx, request),
    'stock.print': (request) => printStockPaper(ctx, request),
    'stock.exportStatement': (request) => exportStatement(ctx, request),
    'slipRequests.record': (request) => recordRequest(ctx, request),
    'slipRequests.admitLate': (request) => admitLateRequest(ctx, request),
    'slipRequests.plan': (request) => requestPlan(ctx.db, request),
    'slipRequests.number': (request) => numberSlips(ctx, request),
    'slipRequests.exportSlips': (request) => exportSlips(ctx.db, request),
    'slipRequests.attachment': (request) => requestAttachment(ctx.db, request),
  };
}
