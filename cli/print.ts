import { existsSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { PrintVerification } from '../core/contract/print';
import { EXPORT_FORM_TITLE, EXPORT_FORMS, type ExportForm } from '../core/exports/forms';
import { PRINT_FORM_TITLE, PRINT_FORMS, type PrintForm, type PrintScope } from '../core/print/forms';
import { PROOF_FORMAT } from '../core/print/proof';
import { wallClockMinutes } from '../core/time';
import { exportForm, type ExportScope } from '../services/exports/exports';
import { printForm } from '../services/print/print';
import { verifyPaper, type PaperInput } from '../services/print/verify';
import { resolveDbPath } from '../services/paths';
import { findCertificates } from '../services/visits/ledger';
import { DB_OPTION, defineCommand, EXIT_FAILED, JSON_OPTION, EXIT_OK, readArgumentFile, usageError, type Command } from './command';
import { withServices } from './workstation';

/**
 * The papers from the command line (issue 13): the same printing, exporting and verifying the
 * app does, through the same services, for administrators, auditors and tests.
 */

/** A scope given wrongly is a usage error (exit 2): the command was not what its synopsis says. */
class ScopeError extends Error {}

function dateOption(name: string, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new ScopeError(`选项“--${name}”的值“${value}”不是 YYYY-MM-DD 格式的日期`);
  return value;
}

function visitOption(value: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new ScopeError(`选项“--visit”的值“${value}”不是办证号（正整数）`);
  return Number(value);
}

interface ScopeValues {
  visit?: string | undefined;
  date?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  year?: string | undefined;
  unit?: string | undefined;
}

/** Exactly one of the ways the synopsis names; anything else says which. */
function scopeOf(values: ScopeValues, allowed: readonly ('visit' | 'date' | 'range' | 'year')[]): ExportScope {
  const given = [values.visit !== undefined && 'visit', values.date !== undefined && 'date', (values.from !== undefined || values.to !== undefined) && 'range', values.year !== undefined && 'year']
    .filter((g): g is 'visit' | 'date' | 'range' | 'year' => g !== false);
  const words = { visit: '--visit ID', date: '--date YYYY-MM-DD', range: '--from D --to D', year: '--year Y' } as const;
  const choices = allowed.map((a) => words[a]).join('、');
  if (given.length !== 1) throw new ScopeError(given.length === 0 ? `请用 ${choices} 之一指定范围` : `${given.map((g) => words[g]).join('与')}只能指定其一`);
  if (values.unit !== undefined && given[0] !== 'year') throw new ScopeError('选项“--unit”只能与 --year 一起使用');
  switch (given[0]) {
    case 'visit': return { visitId: visitOption(values.visit!) };
    case 'date': return { date: dateOption('date', values.date!) };
    case 'range':
      if (values.from === undefined || values.to === undefined) throw new ScopeError('--from 与 --to 须同时指定');
      return { from: dateOption('from', values.from), to: dateOption('to', values.to) };
    default: {
      if (!/^\d{4}$/.test(values.year!) || Number(values.year) < 2000 || Number(values.year) > 2100) throw new ScopeError(`选项“--year”的值“${values.year}”不是年份（2000–2100）`);
      return { year: Number(values.year), ...(values.unit !== undefined ? { unit: values.unit } : {}) };
    }
  }
}

function oneOf<T extends string>(kinds: readonly T[], value: string, what: string): T {
  if (!(kinds as readonly string[]).includes(value)) throw new ScopeError(`未知的${what}“${value}”，应为 ${kinds.join('、')} 之一`);
  return value as T;
}

/** The command's work, with a wrongly given kind or scope answered as a usage error. */
async function asUsage(name: string, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ScopeError) return usageError(`命令 ${name}：${error.message}`, name);
    throw error;
  }
}

function outFile(value: string | undefined, extension: string): string | null {
  if (value === undefined) return null;
  if (!value.toLowerCase().endsWith(extension)) throw new ScopeError(`选项“--out”应为 ${extension} 文件`);
  return resolve(value);
}

/** What a scanner or a file gives: a PDF or a PNG by its first bytes, or the QR's text. */
function paperOf(argument: string): PaperInput {
  if (!existsSync(argument) && argument.includes(PROOF_FORMAT)) return { kind: 'text', text: argument };
  const bytes = readArgumentFile(argument);
  const fileName = basename(argument);
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'pdf', bytes, fileName };
  if (head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { kind: 'png', bytes, fileName };
  return { kind: 'text', text: Buffer.from(bytes).toString('utf8') };
}

function printVerification(result: PrintVerification): void {
  console.log(result.sentence);
  for (const line of result.details) console.log(`  ${line}`);
  for (const e of result.entries) {
    console.log(`  第 ${e.seq} 号登记  ${wallClockMinutes(e.at)}  ${e.kind}${e.seal ? `  ${e.seal}` : ''}${e.documentKind ? `  ${e.documentKind} ${e.count} 份` : ''}  ${e.unit}  签章人 ${e.clerk}`);
  }
}

const SCOPE_OPTIONS = { visit: { type: 'string' }, date: { type: 'string' } } as const;

export const PRINT_COMMANDS: readonly Command[] = [
  defineCommand({
    name: 'print',
    synopsis: 'KIND (--visit ID | --date YYYY-MM-DD) [--out FILE.pdf] [--db PATH]',
    help: [
      `打印表单（PDF，带可核验的二维码），KIND 为：${PRINT_FORMS.map((f) => `${f}（${PRINT_FORM_TITLE[f]}）`).join('、')}。`,
      'register-sheet 可按办证或按日期打印，day-summary 按日期，其余按办证。',
      '文件存入数据文件旁的打印件文件夹；--out 另存到指定文件。',
    ].join('\n'),
    options: { ...DB_OPTION, ...SCOPE_OPTIONS, out: { type: 'string' } },
    positionals: { min: 1, names: 'KIND' },
    run: ({ values, positionals: [kind], env }) => asUsage('print', async () => {
      const form: PrintForm = oneOf(PRINT_FORMS, kind!, '表单');
      const scope = scopeOf(values, ['visit', 'date']) as PrintScope;
      const out = outFile(values.out, '.pdf');
      return withServices(values.db, env, async (services) => {
        const printed = await printForm(services.ctx, form, scope);
        if (out) writeFileSync(out, printed.pdf);
        console.log(`已打印${PRINT_FORM_TITLE[form]}：${out ?? printed.path}（${printed.entryCount} 条登记）。`);
        return EXIT_OK;
      });
    }),
  }),
  defineCommand({
    name: 'export',
    synopsis: 'FORM (--visit ID | --date D | --from D --to D | --year Y [--unit 单位]) --out FILE.xlsx [--db PATH]',
    help: [
      `按通知的格式导出 Excel 表，FORM 为：${EXPORT_FORMS.map((f) => `${f}（${EXPORT_FORM_TITLE[f]}）`).join('、')}。`,
      'returns 按办证导出；register 按日期范围导出；--unit 只导出该单位当年签章的证书。',
    ].join('\n'),
    options: { ...DB_OPTION, ...SCOPE_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, year: { type: 'string' }, unit: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, names: 'FORM' },
    run: ({ values, positionals: [name], env }) => asUsage('export', async () => {
      const form: ExportForm = oneOf(EXPORT_FORMS, name!, '导出表');
      const scope = scopeOf(values, ['visit', 'date', 'range', 'year']);
      const out = outFile(values.out, '.xlsx');
      if (!out) throw new ScopeError('请用 --out FILE.xlsx 指定导出的文件');
      return withServices(values.db, env, async (services) => {
        const exported = await exportForm(services.ctx, form, scope);
        writeFileSync(out, exported.xlsx);
        console.log(`已导出${EXPORT_FORM_TITLE[form]}：${out}（${exported.rowCount} 行）。`);
        return EXIT_OK;
      });
    }),
  }),
  defineCommand({
    name: 'verify-print',
    synopsis: 'FILE [--db PATH]',
    help: [
      '核验打印件：FILE 为打印的 PDF、扫描的 PNG 图片，或二维码的文字（文件或直接写在命令行上）。',
      '说明这张纸所示的登记、它们是否与登记簿一致、由谁签章；其他工作站打印的，用集中服务器发布的工作站公钥核验。',
      '核验通过时退出码为 0，否则为 1。',
    ].join('\n'),
    options: DB_OPTION,
    positionals: { min: 1, names: 'FILE' },
    run: async ({ values, positionals: [file], env }) => {
      const paper = paperOf(file!);
      const dbPath = resolveDbPath(values.db, env);
      // An auditor without a workstation of their own still checks the QR's form; opening a
      // database that is not there would make an empty one.
      const result = existsSync(dbPath) ? await withServices(values.db, env, (services) => verifyPaper(services.ctx, paper)) : await verifyPaper(null, paper);
      printVerification(result);
      return result.verified ? EXIT_OK : EXIT_FAILED;
    },
  }),
  defineCommand({
    name: 'ledger',
    synopsis: 'FIND [--db PATH] [--json]',
    help: '按证书编号、身份证号码或姓名查证书台账：持证人、状态（已签章 / 补发 / 已作废）、办证与登记号。找到时退出码为 0。',
    options: { ...DB_OPTION, ...JSON_OPTION },
    positionals: { min: 1, names: 'FIND' },
    run: ({ values, positionals: [query], env }) => withServices(values.db, env, (services) => {
      const found = findCertificates(services.ctx, query!);
      if (values.json) console.log(JSON.stringify(found));
      else if (found.message) console.log(found.message);
      else {
        for (const c of found.certificates) {
          const related = c.relatedCertNo ? (c.status === '已作废' ? `，由 ${c.relatedCertNo} 补发替代` : `，替代 ${c.relatedCertNo}`) : '';
          console.log(`${c.certNo}  ${c.name}  ${c.idNumber}  ${c.qualification}（${c.approvalDoc}）  ${c.status}${related}  第 ${c.visitId} 号办证（${c.unit}）  第 ${c.entrySeq} 号登记  ${wallClockMinutes(c.sealedAt)}  签章人 ${c.clerk}`);
        }
      }
      return found.certificates.length > 0 ? EXIT_OK : EXIT_FAILED;
    }),
  }),
];
