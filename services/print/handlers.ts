import type { HandlersOf } from '../../core/contract';
import type { printCalls } from '../../core/contract/print';
import type { ServiceContext } from '../context';
import { exportForm } from '../exports/exports';
import { printForm } from './print';
import { signOnScreen } from './signature';
import { verifyPaper } from './verify';

export function printHandlers(ctx: ServiceContext): HandlersOf<typeof printCalls> {
  return {
    'print.form': async ({ form, scope }) => {
      const printed = await printForm(ctx, form, scope);
      return { fileName: printed.fileName, path: printed.path, pdfBase64: printed.pdf.toString('base64'), entryCount: printed.entryCount, proofText: printed.proof.text };
    },
    'print.verify': ({ text }) => verifyPaper(ctx, { kind: 'text', text }),
    'print.sign': (request) => signOnScreen(ctx, request),
    'exports.form': async ({ form, scope }) => {
      const exported = await exportForm(ctx, form, scope);
      return { fileName: exported.fileName, path: exported.path, xlsxBase64: exported.xlsx.toString('base64'), rowCount: exported.rowCount };
    },
  };
}
