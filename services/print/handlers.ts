import type { HandlersOf } from '../../core/contract';
import type { printCalls } from '../../core/contract/print';
import type { ServiceContext } from '../context';
import { printRegisterSheet } from './registerSheet';

export function printHandlers(ctx: ServiceContext): HandlersOf<typeof printCalls> {
  return {
    'print.registerSheet': (request) => printRegisterSheet(ctx, request),
  };
}
