import type { z } from 'zod';
import { accountsCalls } from './accounts';
import { applicationsCalls } from './applications';
import { appCalls } from './app';
import { listsCalls } from './lists';
import { logCalls } from './log';
import { printCalls } from './print';
import { registerCalls } from './register';
import { settingsCalls } from './settings';
import { stockCalls } from './stock';
import type { CallSpecs } from './shared';
import { supervisionCalls } from './supervision';
import { syncCalls } from './sync';
import { visitsCalls } from './visits';

/**
 * The one API between the renderer and the backend, one file per capability. Both hosts
 * (Electron IPC and loopback HTTP) validate every request and response against these schemas and
 * call the same handlers; this file is the only one the renderer imports.
 */
export const contract = {
  ...appCalls,
  ...settingsCalls,
  ...listsCalls,
  ...visitsCalls,
  ...registerCalls,
  ...printCalls,
  ...accountsCalls,
  ...syncCalls,
  ...logCalls,
  ...stockCalls,
  ...supervisionCalls,
  ...applicationsCalls,
} as const satisfies CallSpecs;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type Request<N extends CallName> = z.input<Contract[N]['request']>;
export type Response<N extends CallName> = z.output<Contract[N]['response']>;

/** The handlers of one capability's calls: each capability's services provide theirs. */
export type HandlersOf<C extends CallSpecs> = { [N in keyof C]: (request: z.output<C[N]['request']>) => Promise<z.output<C[N]['response']>> | z.output<C[N]['response']> };
export type Handlers = HandlersOf<Contract>;

/** Result envelope shared by both transports: a failure carries one Chinese sentence. */
export type CallErrorKind = 'user' | 'invalid' | 'internal' | 'signed-out' | 'locked' | 'forbidden';
export type CallResult<N extends CallName> = { ok: true; value: Response<N> } | { ok: false; error: { kind: CallErrorKind; message: string } };

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export { COUNTER_DOCUMENTS, VISIT_FIELD_LABEL, VISIT_MENDABLE, type CertificateView, type CounterDocument, type SlipFindingView, type Visit, type VisitDetail, type VisitMendable, type VisitRow } from './visits';
export { matchUnits } from './settings';
export type { ApprovedPerson, ListSummary } from './lists';
export type { BatchView, RegisterEntryView } from './register';
export type { AccountView } from './accounts';
export type { LogEntry, TaskFailure } from './log';
export { PRINT_FORMS, PRINT_FORM_TITLE, type PrintForm } from '../print/forms';
export { EXPORT_FORMS, EXPORT_FORM_TITLE, type ExportForm } from '../exports/forms';
export type { PrintVerification } from './print';
export { STOCK_WORDS, type BalanceView, type IssueView, type SlipRequestView, type StockMovementView } from './stock';
export type { Papers, PrecheckMatch, PrecheckView, SpotcheckDrawView, SpotcheckItem, SpotcheckView, SpotcheckVisitItem, SpotcheckVisitSeen, Stats } from './supervision';
export type { ConfirmationInput, ConfirmationView, ReplacementInput, ReplacementView, RevocationView } from './applications';
export * from './vocabulary';
