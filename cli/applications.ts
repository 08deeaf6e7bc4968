import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { REFUSAL_REASONS } from '../core/applications/terms';
import { SUMMARY_FORMS, type SummaryForm } from '../core/applications/settings';
import type { ConfirmationView, ReplacementView, Request } from '../core/contract';
import { UserError } from '../core/errors';
import type { Services } from '../services/open';
import { loadSettings } from '../services/settings/settings';
import { ACCOUNT_OPTION, callContract, signInAs } from './account';
import { commandFamily, DB_OPTION, defineCommand, EXIT_FAILED, EXIT_OK, JSON_OPTION, readArgumentFile, type Command } from './command';
import { withServices } from './workstation';

/**
 * `seal-counter replacement|confirmation|revocations …`: the applications of DOMAIN.md §11, §12
 * and §14 from a terminal. Each goes through the same calls as the screens (services/dispatch),
 * so the same rules, roles and Chinese sentences apply; who acts is an account (cli/account.ts).
 */

function readJson(file: string): unknown {
  const text = Buffer.from(readArgumentFile(file)).toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(`文件“${file}”不是有效的 JSON。`);
  }
}

function formOption(value: string | undefined, services: Services): SummaryForm {
  if (value === undefined) return loadSettings(services.ctx.db).applications.summaryForms[0]!;
  if (!(SUMMARY_FORMS as readonly string[]).includes(value)) throw new UserError(`未知的汇总表“${value}”：可选 ${SUMMARY_FORMS.join('、')}。`);
  return value as SummaryForm;
}

const findingLines = (findings: readonly { code: string; severity: string; message: string }[]) =>
  findings.map((f) => `  ${f.severity === 'error' ? '错误' : '须审核人确认'}（${f.code}）：${f.message}`).join('\n');

function replacementLine(a: ReplacementView): string {
  const closed = a.closed ? `，补发证书 ${a.closed.certNo}（第 ${a.closed.entrySeq} 号登记）` : '';
  return `${a.appNo}  ${a.status}  ${a.replacementKind}  ${a.person.name}（${a.person.idNumber}）  ${a.original.qualification}  原证书 ${a.original.certNo}${closed}`;
}

function confirmationLine(c: ConfirmationView): string {
  const recognition = c.decision?.recognition ? `，${c.decision.recognition.kind} ${c.decision.recognition.number}` : '';
  const refused = c.decision?.reason ? `（${c.decision.reasonText}${c.decision.bar ? `；${c.decision.bar.from} 至 ${c.decision.bar.until} 不得申报` : ''}）` : '';
  return `${c.appNo}  ${c.status}${recognition}${refused}  ${c.person.name}（${c.person.idNumber}）  ${c.title.qualification}（${c.title.obtainedIn}，${c.title.obtainedOn}）`;
}

const REPLACEMENT_FIELDS = '{"replacementKind":"补办|换发","channel":"窗口|单位汇总","submittedBy":"","person":{"name","gender","idNumber","workUnit","phone"},\n"original":{"certNo","certificateType","qualification","major","level","approvedOn","approvalDoc"},"lossNotice":{"newspaper","issn","publishedOn","fieldsNamed":[…]}|null,\n"damage":{"reason":"损坏|填错","correction"}|null,"materials":[…],"approval":{"reason","username","password"}（原证书不在台账时）}';

const replacement = commandFamily('replacement', '补办（遗失）与换发（损坏、填错）申请：受理、列出、导出报送汇总表。', [
  defineCommand({
    name: 'replacement add',
    synopsis: 'FILE --account 用户名 [--check] [--json] [--db PATH]',
    help: `受理一件补办或换发申请；FILE 是申请内容（JSON）：\n${REPLACEMENT_FIELDS}\n--check 只核验、不受理。`,
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, check: { type: 'boolean', default: false } },
    positionals: { min: 1, names: 'FILE' },
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const request = readJson(file!) as Request<'replacements.add'>;
      if (values.check) {
        const check = await callContract(services, 'replacements.check', request);
        if (values.json) console.log(JSON.stringify(check));
        else console.log(check.findings.length === 0 ? '核验通过，可以受理。' : `核验发现：\n${findingLines(check.findings)}`);
        return check.findings.some((f) => f.severity === 'error') ? EXIT_FAILED : EXIT_OK;
      }
      const added = await callContract(services, 'replacements.add', request);
      console.log(values.json ? JSON.stringify(added) : `已受理：${replacementLine(added)}（第 ${added.entrySeq} 号登记）`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'replacement list',
    synopsis: '[--status 状态] [--query 文字] [--json] [--db PATH]',
    help: '列出补办、换发申请（新的在前）及下一次报送；状态：待报送、已报送、待签章、已办结、已退回。',
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, status: { type: 'string' }, query: { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const list = await callContract(services, 'replacements.list', { status: values.status as Request<'replacements.list'>['status'], query: values.query });
      if (values.json) {
        console.log(JSON.stringify(list));
        return EXIT_OK;
      }
      for (const item of list.items) console.log(replacementLine(item));
      console.log(`共 ${list.items.length} 件；待报送 ${list.waiting} 件${list.nextWindow ? `，下一次报送：${list.nextWindow.label}` : ''}。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'replacement export',
    synopsis: 'FILE [--form 汇总表] [--app 申请编号]… [--sent] [--json] [--db PATH]',
    help: `把等待报送的申请（或 --app 指定的申请）写成报送汇总表：FILE 以 .xlsx 结尾为 Excel 表，以 .pdf 结尾为打印件。\n汇总表：${SUMMARY_FORMS.join('、')}（默认为设置中的第一种）。--sent 同时登记这些申请已报送。`,
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, form: { type: 'string' }, app: { type: 'string', multiple: true }, sent: { type: 'boolean', default: false } },
    positionals: { min: 1, names: 'FILE' },
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const form = formOption(values.form, services);
      const request = { form, ...(values.app ? { appNos: values.app } : {}) };
      let rowCount: number;
      if (file!.toLowerCase().endsWith('.pdf')) {
        const printed = await callContract(services, 'replacements.print', request);
        writeFileSync(file!, Buffer.from(printed.pdfBase64, 'base64'));
        rowCount = printed.rowCount;
      } else if (file!.toLowerCase().endsWith('.xlsx')) {
        const exported = await callContract(services, 'replacements.export', request);
        writeFileSync(file!, Buffer.from(exported.dataBase64, 'base64'));
        rowCount = exported.rowCount;
      } else {
        throw new UserError(`输出文件“${basename(file!)}”应以 .xlsx 或 .pdf 结尾。`);
      }
      const appNos = values.app ?? (await callContract(services, 'replacements.list', { status: '待报送' })).items.map((a) => a.appNo);
      const sent = values.sent ? await callContract(services, 'replacements.markSent', { appNos, form }) : null;
      if (values.json) console.log(JSON.stringify({ file, form, rowCount, sent: sent ? { window: sent.window, appNos } : null }));
      else console.log(`已写出 ${file}（${form}，${rowCount} 人）${sent ? `；已登记报送：${sent.window.label}，${appNos.length} 件` : ''}。`);
      return EXIT_OK;
    }),
  }),
]);

const CONFIRMATION_FIELDS = '{"person":{"name","gender","idNumber","workUnit","phone","unitManagement":"省直|市州"},\n"title":{"qualification","major","level":"正高级|副高级|中级|初级","route":"评审|全国统一考试","obtainedOn","approvalDoc","issuedBy","obtainedIn","certNo"},\n"conditions":{"approvedUnderNationalPolicy","fileMovedIn","employmentProof":"劳动（聘用）合同|社保缴交凭证|null"},"arrival":"个人调入|单位调入|军队转业安置|成建制划转","materials":[…]}';

const confirmation = commandFamily('confirmation', '省外取得专业技术资格的确认：受理、审核人决定、打印认定书、认定书盖章登记。', [
  defineCommand({
    name: 'confirmation add',
    synopsis: 'FILE --account 用户名 [--check] [--json] [--db PATH]',
    help: `受理一件省外证书确认申请（全国统一考试取得的当场答复“无需确认”）；FILE 是申请内容（JSON）：\n${CONFIRMATION_FIELDS}\n--check 只核验、不受理。`,
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, check: { type: 'boolean', default: false } },
    positionals: { min: 1, names: 'FILE' },
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const request = readJson(file!) as Request<'confirmations.add'>;
      if (values.check) {
        const check = await callContract(services, 'confirmations.check', request);
        if (values.json) console.log(JSON.stringify(check));
        else console.log(check.answer ?? (check.findings.length === 0 ? `核验通过，由${check.competentBody}确认。` : `核验发现：\n${findingLines(check.findings)}`));
        return check.findings.some((f) => f.severity === 'error') ? EXIT_FAILED : EXIT_OK;
      }
      const added = await callContract(services, 'confirmations.add', request);
      console.log(values.json ? JSON.stringify(added) : `已受理：${confirmationLine(added)}（第 ${added.entrySeq} 号登记）`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'confirmation list',
    synopsis: '[--status 状态] [--query 文字] [--json] [--db PATH]',
    help: '列出确认申请（新的在前）；状态：待审核、已确认、不予确认、无需确认。',
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, status: { type: 'string' }, query: { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const list = await callContract(services, 'confirmations.list', { status: values.status as Request<'confirmations.list'>['status'], query: values.query });
      if (values.json) console.log(JSON.stringify(list));
      else for (const item of list.items) console.log(confirmationLine(item));
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'confirmation decide',
    synopsis: '申请编号 --decision 确认|不予确认 [--reason 理由] [--false-materials] [--date YYYY-MM-DD] [--note 说明] --account 用户名 [--json] [--db PATH]',
    help: `审核人对确认申请作出决定（默认日期为今天）。不予确认须给出理由：${REFUSAL_REASONS.join('、')}；\n--false-materials（仅与“材料不完整或不真实”一起）：提交虚假材料，自申报年度下一年度起 3 年内不得申报。`,
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, decision: { type: 'string' }, reason: { type: 'string' }, 'false-materials': { type: 'boolean', default: false }, date: { type: 'string' }, note: { type: 'string' } },
    positionals: { min: 1, names: '申请编号' },
    run: ({ values, positionals: [appNo], env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      if (values.decision !== '确认' && values.decision !== '不予确认') throw new UserError('请用 --decision 确认 或 --decision 不予确认 给出决定。');
      const decided = await callContract(services, 'confirmations.decide', {
        appNo: appNo!, decision: values.decision, reason: (values.reason ?? null) as Request<'confirmations.decide'>['reason'], falseMaterials: values['false-materials'],
        note: values.note ?? '', decidedOn: values.date ?? services.ctx.clock.date(),
      });
      console.log(values.json ? JSON.stringify(decided) : `已决定：${confirmationLine(decided)}`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'confirmation print',
    synopsis: '申请编号 FILE --account 用户名 [--json] [--db PATH]',
    help: '把已确认申请的认定书（高级职称认定书 / 中初级职称认定书）写成 PDF 文件 FILE。',
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION },
    positionals: { min: 2, names: '申请编号 FILE' },
    run: ({ values, positionals: [appNo, file], env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const printed = await callContract(services, 'confirmations.print', { appNo: appNo! });
      writeFileSync(file!, Buffer.from(printed.pdfBase64, 'base64'));
      console.log(values.json ? JSON.stringify({ file, fileName: printed.fileName }) : `认定书已写出到 ${file}。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'confirmation seal',
    synopsis: '申请编号 --agent 领取人 --phone 电话 --account 用户名 [--json] [--db PATH]',
    help: '认定书加盖本单位印章后登记：在印章使用登记簿中记一条签章登记。',
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, agent: { type: 'string' }, phone: { type: 'string' } },
    positionals: { min: 1, names: '申请编号' },
    run: ({ values, positionals: [appNo], env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const sealed = await callContract(services, 'confirmations.seal', { appNo: appNo!, agentName: values.agent ?? '', agentPhone: values.phone ?? '' });
      console.log(values.json ? JSON.stringify(sealed) : `已盖章登记：${confirmationLine(sealed)}（第 ${sealed.sealing?.entrySeq} 号登记）`);
      return EXIT_OK;
    }),
  }),
]);

const revocations = commandFamily('revocations', '取消资格名单：导入后，名册中被取消资格的人员报 QUAL_REVOKED，其申请提示限制期限。', [
  defineCommand({
    name: 'revocations import',
    synopsis: 'FILE --account 用户名 [--json] [--db PATH]',
    help: '导入取消资格名单（.xlsx / .xls / .csv）：列“姓名”“身份证号码”“资格名称”“文号”“取消日期”，可有“限制截止”“原因”；\n已登记的不重复登记。须审核人账户。',
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION },
    positionals: { min: 1, names: 'FILE' },
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const result = await callContract(services, 'revocations.import', { fileName: basename(file!), dataBase64: Buffer.from(readArgumentFile(file!)).toString('base64') });
      console.log(values.json ? JSON.stringify(result) : `已导入取消资格名单：新登记 ${result.added} 人，已登记过 ${result.alreadyRecorded} 人，共 ${result.total} 人。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'revocations list',
    synopsis: '[--query 文字] --account 用户名 [--json] [--db PATH]',
    help: '列出已登记的取消资格（含省级中心发布的）。',
    options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, query: { type: 'string' } },
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      await signInAs(services, values.account, env);
      const list = await callContract(services, 'revocations.list', { query: values.query });
      if (values.json) console.log(JSON.stringify(list));
      else for (const r of list.items) console.log(`${r.name}（${r.idNumber}）  ${r.qualification}  ${r.document}  ${r.revokedOn}${r.barUntil ? `，限制至 ${r.barUntil}` : ''}  ${r.source}${r.lifted ? '（已撤销）' : ''}`);
      return EXIT_OK;
    }),
  }),
]);

export const APPLICATION_COMMANDS: readonly Command[] = [replacement, confirmation, revocations];
