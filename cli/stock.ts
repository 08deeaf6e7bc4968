import { basename } from 'node:path';
import { contract, type CallName, type Request, type Response } from '../core/contract';
import { UserError } from '../core/errors';
import type { Services } from '../services/open';
import { ACCOUNT_HELP, ACCOUNT_OPTION, callContract, signInAs } from './account';
import { commandFamily, DB_OPTION, defineCommand, EXIT_OK, JSON_OPTION, readArgumentFile, type Command } from './command';
import { withServices } from './workstation';

/**
 * The office's stock from the command line (issue 15): `seal-counter stock …` and
 * `seal-counter slip-requests …`. Every movement is a register entry that names its clerk, so a
 * command that writes acts as an account (cli/account.ts); the two that only read need none.
 */
const BATCH_OPTIONS = { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, type: { type: 'string' }, year: { type: 'string' } } as const;

/** A number option as the contract takes it: what is not a number reaches the rule that names the field. */
const numberOption = (value: string | undefined): number | undefined => (value === undefined ? undefined : value.trim() === '' ? Number.NaN : Number(value));

/** `--range 51202500000101..51202500000142` (or with a dash); one number alone is a range of one. */
function rangesOption(values: string[] | undefined): { first: string; last: string }[] {
  return (values ?? []).map((text) => {
    const match = /^(.+?)(?:\.\.|[-–—~～])(.+)$/.exec(text.trim());
    return match ? { first: match[1]!.trim(), last: match[2]!.trim() } : { first: text.trim(), last: '' };
  });
}

/** `--grade 中级=11 --grade 高级=14`: the counts of a 申领计划表. */
function gradesOption(values: string[] | undefined): Record<string, number> | null {
  if (!values || values.length === 0) return null;
  const grades: Record<string, number> = {};
  for (const text of values) {
    const match = /^(.+?)[=＝:：](.*)$/.exec(text.trim());
    if (!match) throw new UserError(`等级数量“${text}”应写成 等级=数量，例如 --grade 中级=11。`);
    grades[match[1]!.trim()] = Number(match[2]);
  }
  return grades;
}

/** A call that only reads: checked against the contract as the screen's is, but needing no account (the file is at hand anyway). */
async function read<N extends 'stock.balance' | 'slipRequests.plan'>(services: Services, name: N, raw: unknown): Promise<Response<N>> {
  const parsed = contract[name].request.safeParse(raw);
  if (!parsed.success) throw new UserError(parsed.error.issues[0]?.message ?? '查询条件无效。');
  const handler = services.handlers[name] as (request: unknown) => Response<N> | Promise<Response<N>>;
  return handler(parsed.data);
}

async function actAs<N extends CallName>(services: Services, account: string | undefined, env: NodeJS.ProcessEnv, name: N, request: unknown): Promise<Response<N>> {
  await signInAs(services, account, env);
  return callContract(services, name, request);
}

function print(json: boolean, value: unknown, line: string): number {
  console.log(json ? JSON.stringify(value, null, 2) : line);
  return EXIT_OK;
}

const fileUpload = (file: string) => ({ fileName: basename(file), dataBase64: Buffer.from(readArgumentFile(file)).toString('base64') });

const STOCK_SUBCOMMANDS: readonly Command[] = [
  defineCommand({
    name: 'stock receive',
    synopsis: '--type 证书类型 --year 年度 [--range 起号..止号]… [--count 数量] [--supplier 印制单位] --account 账户 [--db PATH] [--json]',
    help: `空白证书入库（审核人）：预先编号的按号段，未编号的按数量。${ACCOUNT_HELP}`,
    options: { ...BATCH_OPTIONS, range: { type: 'string', multiple: true }, count: { type: 'string' }, supplier: { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const movement = await actAs(services, values.account, env, 'stock.receive', {
        certificateType: values.type, year: numberOption(values.year), count: numberOption(values.count) ?? null, ranges: rangesOption(values.range), supplier: values.supplier ?? '',
      });
      return print(values.json, movement, `已登记第 ${movement.seq} 号：${movement.description}`);
    }),
  }),
  defineCommand({
    name: 'stock issue',
    synopsis: '--unit 单位 --type 证书类型 --year 年度 --basis plan|roster|exchange [--roster FILE] [--grade 等级=数量]… [--count 数量] [--spares 数量 --reason 理由] [--range 起号..止号]… --account 账户 [--db PATH] [--json]',
    help: `向单位发放空白证书（审核人）：plan 按申领计划表各等级数量，roster 按登记表人数加 5% 备用（向上取整），exchange 凭退回的废证换领。${ACCOUNT_HELP}`,
    options: {
      ...BATCH_OPTIONS, unit: { type: 'string' }, basis: { type: 'string' }, roster: { type: 'string' }, grade: { type: 'string', multiple: true }, count: { type: 'string' },
      spares: { type: 'string' }, reason: { type: 'string' }, range: { type: 'string', multiple: true }, contact: { type: 'string' }, phone: { type: 'string' },
    },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const request: Record<keyof Request<'stock.issue'>, unknown> = {
        unit: values.unit, certificateType: values.type, year: numberOption(values.year), basis: values.basis, roster: values.roster ? fileUpload(values.roster) : null,
        grades: gradesOption(values.grade), count: numberOption(values.count) ?? null, spares: numberOption(values.spares) ?? null, sparesReason: values.reason ?? '',
        ranges: rangesOption(values.range), contact: values.contact ?? '', phone: values.phone ?? '',
      };
      const issued = await actAs(services, values.account, env, 'stock.issue', request);
      return print(values.json, issued, `已登记第 ${issued.seq} 号：${issued.description}`);
    }),
  }),
  defineCommand({
    name: 'stock spoiled',
    synopsis: '--unit 单位 --type 证书类型 --year 年度 --account 账户 [--db PATH] [--json] 编号…',
    help: `登记单位退回的废证（窗口经办人）：每个编号只登记一次；已签章、已退回或未发给本单位的编号整批拒绝。${ACCOUNT_HELP}`,
    options: { ...BATCH_OPTIONS, unit: { type: 'string' } },
    positionals: { min: 1, max: 10000, names: '编号' },
    run: ({ values, positionals, env }) => withServices(values.db, env, async (services) => {
      const returned = await actAs(services, values.account, env, 'stock.spoiled', { unit: values.unit, certificateType: values.type, year: numberOption(values.year), certNos: positionals });
      return print(values.json, returned, `已登记第 ${returned.movement.seq} 号：${returned.movement.description}`);
    }),
  }),
  defineCommand({
    name: 'stock balance',
    synopsis: '--year 年度 [--unit 单位] [--type 证书类型] [--db PATH] [--json]',
    help: '库存对账：每个单位、证书类型的 发放 = 已签章 + 废证退回 + 尚持有，及本厅库存；有问题的行标出原因。只读，无需登录。',
    options: { ...DB_OPTION, ...JSON_OPTION, year: { type: 'string' }, unit: { type: 'string' }, type: { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const balance = await read(services, 'stock.balance', { year: numberOption(values.year), unit: values.unit, certificateType: values.type });
      const lines = balance.lines.map((l) => `${l.unit}　${l.certificateType}：发放 ${l.issued}（其中备用 ${l.spares}、换领 ${l.exchanged}）= 已签章 ${l.sealed} + 废证退回 ${l.spoiled} + 尚持有 ${l.held}${l.flags.map((f) => `；${f.message}`).join('')}`);
      const shelf = balance.office.map((o) => `本厅库存 ${o.certificateType}：入库 ${o.received}，已发放 ${o.issued}，库存 ${o.onHand}`);
      return print(values.json, balance, [...lines, ...shelf].join('\n') || `${balance.year}年度没有库存记录。`);
    }),
  }),
];

const SLIP_REQUEST_SUBCOMMANDS: readonly Command[] = [
  defineCommand({
    name: 'slip-requests import',
    synopsis: '--unit 单位 --year 年度 --arrived YYYY-MM-DD --count 凭条数 [--contact 联系人] [--phone 电话] [--note 备注] --account 账户 [--db PATH] [--json] 名册文件…',
    help: `登记单位的年度请领函，附上年度发证名册电子文档（保存备查）；2 月 1 日以后收到的标为逾期，默认不列入计划。${ACCOUNT_HELP}`,
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, unit: { type: 'string' }, year: { type: 'string' }, arrived: { type: 'string' }, count: { type: 'string' }, contact: { type: 'string' }, phone: { type: 'string' }, note: { type: 'string' } },
    positionals: { min: 1, max: 10, names: '名册文件' },
    run: ({ values, positionals, env }) => withServices(values.db, env, async (services) => {
      const recorded = await actAs(services, values.account, env, 'slipRequests.record', {
        unit: values.unit, year: numberOption(values.year), arrivedOn: values.arrived, slipCount: numberOption(values.count), contact: values.contact ?? '', phone: values.phone ?? '', note: values.note ?? '', files: positionals.map(fileUpload),
      });
      const state = recorded.late ? '逾期，未列入计划（管理员可准予列入）' : '按时，已列入计划';
      return print(values.json, recorded, `已登记第 ${recorded.seq} 号：“${recorded.unit}”${recorded.year}年度请领凭条 ${recorded.slipCount} 张，${recorded.arrivedOn} 收到，${state}。`);
    }),
  }),
  defineCommand({
    name: 'slip-requests admit',
    synopsis: '--request 登记号 --reason 理由 --account 账户 [--db PATH] [--json]',
    help: `准予逾期的请领列入年度计划（管理员），须写明理由。${ACCOUNT_HELP}`,
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, request: { type: 'string' }, reason: { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const admitted = await actAs(services, values.account, env, 'slipRequests.admitLate', { requestSeq: numberOption(values.request), reason: values.reason ?? '' });
      return print(values.json, admitted, `已准予第 ${admitted.seq} 号请领（“${admitted.unit}”）列入${admitted.year}年度计划。`);
    }),
  }),
  defineCommand({
    name: 'slip-requests plan',
    synopsis: '--year 年度 [--db PATH] [--json]',
    help: '列出年度请领：收到日期、是否逾期、是否列入计划、已编的凭条号。只读，无需登录。',
    options: { ...DB_OPTION, ...JSON_OPTION, year: { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const plan = await read(services, 'slipRequests.plan', { year: numberOption(values.year) });
      const lines = plan.requests.map((r) => `第 ${r.seq} 号　${r.unit}　${r.arrivedOn} 收到　凭条 ${r.slipCount} 张　${r.late ? (r.admitted ? '逾期，已准予列入' : '逾期，未列入') : '按时'}${r.slips.length > 0 ? `　已编号 ${r.slips.join('、')}` : ''}`);
      return print(values.json, plan, lines.join('\n') || `${plan.year}年度还没有请领。`);
    }),
  }),
  defineCommand({
    name: 'slip-requests number',
    synopsis: '--year 年度 [--pattern 编号规则] [--issued-on YYYY-MM-DD] --account 账户 [--db PATH] [--json]',
    help: `为列入计划、尚未编号的请领编排签章凭条号（审核人），默认规则 QZ{年}-{0000}；编好的凭条即窗口核验用的凭条发放清单。${ACCOUNT_HELP}`,
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, year: { type: 'string' }, pattern: { type: 'string' }, 'issued-on': { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const numbered = await actAs(services, values.account, env, 'slipRequests.number', { year: numberOption(values.year), pattern: values.pattern, issuedOn: values['issued-on'] });
      return print(values.json, numbered, numbered.slips.map((slip) => `${slip.slipNo}　${slip.unit}　${slip.issuedOn}`).join('\n'));
    }),
  }),
];

export const STOCK_COMMANDS: readonly Command[] = [
  commandFamily('stock', '空白证书：入库、向单位发放、废证退回、库存对账。', STOCK_SUBCOMMANDS),
  commandFamily('slip-requests', '签章凭条的年度请领：登记、准予逾期列入、列出、编号。', SLIP_REQUEST_SUBCOMMANDS),
];
