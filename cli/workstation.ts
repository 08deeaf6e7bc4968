import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../core/errors';
import { ImportError } from '../core/files/sheet';
import { isCertificateType } from '../core/settings/settings';
import { clockFromEnvironment, officeDate } from '../core/time';
import type { CertificateType } from '../core/verify/certificateTypes';
import { FINDING_LABEL } from '../core/verify/findings';
import { dailyBackupPath, describeRestoreGap, makeBackup, restoreBackup } from '../services/backup/backup';
import { importList } from '../services/lists/lists';
import { openServices, type Services } from '../services/open';
import { holdDataFile } from '../services/instance/dataFileLock';
import { resolveDbPath } from '../services/paths';
import { closeDay, verifyBatches } from '../services/register/batches';
import { verifyLiveRegister } from '../services/register/chain';
import { exportPublicKey } from '../services/register/workstationKey';
import { exportSettings, importSettings, loadSettings } from '../services/settings/settings';
import { verifyRosterFile } from '../services/visits/visits';
import { DB_OPTION, defineCommand, EXIT_FAILED, JSON_OPTION, EXIT_OK, readArgumentFile, type Command } from './command';

/**
 * Opens the workstation's database for one command and closes it whatever happens. A command
 * that changes the data (`writing`) refuses while the app — or another such command — has the
 * file, and holds it meanwhile, as `restore` always has.
 */
export async function withServices<T>(dbFlag: string | undefined, env: NodeJS.ProcessEnv, work: (services: Services) => Promise<T> | T, writing?: string): Promise<T> {
  const dbPath = resolveDbPath(dbFlag, env);
  const lock = writing ? holdDataFile(dbPath, { kind: 'cli', command: writing }, `${writing} 会改动数据，未执行`) : null;
  try {
    const services = openServices(dbPath, clockFromEnvironment(env));
    try {
      return await work(services);
    } finally {
      services.close();
    }
  } finally {
    lock?.release();
  }
}

function certificateTypeOption(value: string | undefined): CertificateType | undefined {
  if (value !== undefined && !isCertificateType(value)) throw new UserError(`未知的证书类型“${value}”。`);
  return value;
}

const FILE = { min: 1, names: 'FILE' };

export const WORKSTATION_COMMANDS: readonly Command[] = [
  defineCommand({
    name: 'import-list',
    synopsis: 'FILE [--db PATH] [--title 标题] [--doc 批准文号] [--type 证书类型]',
    help: '导入批准名单（.xlsx / .xls / .csv）。',
    options: { ...DB_OPTION, title: { type: 'string' }, doc: { type: 'string' }, type: { type: 'string' } },
    positionals: FILE,
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, async (services) => {
      const list = await importList(services.ctx, basename(file!), readArgumentFile(file!), { title: values.title, approvalDoc: values.doc, certificateType: certificateTypeOption(values.type) });
      console.log(`已导入名单 ${list.approvalDoc}「${list.title}」（${list.certificateType}），共 ${list.rowCount} 人。`);
      return EXIT_OK;
    }, 'import-list'),
  }),
  defineCommand({
    name: 'verify-roster',
    synopsis: 'FILE [--db PATH] [--json] [--type 证书类型]',
    help: '按已导入的全部名单核验发证名册；--json 输出 {"rows":[{"row":序号,"codes":[…]}]}。',
    options: { ...DB_OPTION, ...JSON_OPTION, type: { type: 'string' } },
    positionals: FILE,
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, (services) => verifyRosterCommand(services, file!, values.json, certificateTypeOption(values.type))),
  }),
  defineCommand({
    name: 'register-verify',
    synopsis: '[--db PATH]',
    help: '逐条校验印章使用登记簿的哈希链及工作站签名；完整时退出码为 0。',
    options: DB_OPTION,
    run: ({ values, env }) => withServices(values.db, env, (services) => {
      const report = verifyLiveRegister(services.ctx);
      if (report.intact) {
        console.log(`登记簿完整：全部 ${report.count} 条登记的哈希链校验通过。`);
        return EXIT_OK;
      }
      console.log(`登记簿已被改动：${report.firstBreak.message}（第一处问题在第 ${report.firstBreak.seq} 号登记）`);
      return EXIT_FAILED;
    }),
  }),
  defineCommand({
    name: 'close-day',
    synopsis: '[--db PATH]',
    help: '日结：把上次日结以来的登记封为一个由工作站签名的批次；没有新登记时不做任何改动。',
    options: DB_OPTION,
    run: ({ values, env }) => withServices(values.db, env, (services) => {
      const { created, latest } = closeDay(services.ctx);
      if (created) console.log(`已日结：第 ${created.batchNo} 批，第 ${created.firstSeq}–${created.lastSeq} 号登记共 ${created.entryCount} 条，已由工作站 ${created.workstationId} 签名。`);
      else console.log(latest ? `自第 ${latest.batchNo} 批（截至第 ${latest.lastSeq} 号登记）以来没有新的登记，无需日结。` : '登记簿还没有任何登记，无需日结。');
      return EXIT_OK;
    }, 'close-day'),
  }),
  defineCommand({
    name: 'batch-verify',
    synopsis: '[--db PATH]',
    help: '校验每个批次的签名、登记与证书台账、与上一批的衔接；全部通过时退出码为 0。',
    options: DB_OPTION,
    run: ({ values, env }) => withServices(values.db, env, (services) => {
      const { batches } = verifyBatches(services.ctx);
      for (const b of batches) console.log(`第 ${b.batchNo} 批（第 ${b.firstSeq}–${b.lastSeq} 号）：${b.ok ? '通过' : '未通过'}——${b.message}`);
      const bad = batches.filter((b) => !b.ok).length;
      console.log(batches.length === 0 ? '还没有批次。' : bad === 0 ? `全部 ${batches.length} 批校验通过。` : `${batches.length} 批中有 ${bad} 批未通过校验。`);
      return bad === 0 ? EXIT_OK : EXIT_FAILED;
    }),
  }),
  defineCommand({
    name: 'sync',
    synopsis: '[--db PATH]',
    help: '立即向集中服务器上报待上报的批次，并取回冲突与发布的名单；全部上报且无问题时退出码为 0。',
    options: DB_OPTION,
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const status = await services.sync.syncNow();
      if (!status.configured) throw new UserError('设置中还没有集中服务器地址（hub.url）和省厅公钥，无法同步。');
      console.log(`${status.online ? '已连接' : '无法连接'}集中服务器 ${status.hubUrl}；待上报批次 ${status.waiting} 个；跨窗口冲突 ${status.conflicts} 条。`);
      for (const line of [status.lastError, status.problem, status.publicationNote]) if (line) console.log(line);
      return status.online && status.waiting === 0 && !status.problem ? EXIT_OK : EXIT_FAILED;
    }, 'sync'),
  }),
  defineCommand({
    name: 'export-key',
    synopsis: 'FILE [--db PATH]',
    help: '导出本工作站的公钥，交中心管理员登记（hub-enroll）。',
    options: DB_OPTION,
    positionals: FILE,
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, (services) => {
      const exported = JSON.stringify(exportPublicKey(services.ctx.workstation, loadSettings(services.ctx.db).officeName, services.ctx.clock.timestamp()), null, 2);
      writeFileSync(file!, exported);
      console.log(`工作站 ${services.ctx.workstation.id} 的公钥已导出到 ${file}，请交中心管理员登记。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'settings-export',
    synopsis: 'FILE [--db PATH]',
    help: '导出本窗口的设置（单位名称、印章、证书编号规则）。',
    options: DB_OPTION,
    positionals: FILE,
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, (services) => {
      writeFileSync(file!, exportSettings(services.ctx.db).json);
      console.log(`设置已导出到 ${file}。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'settings-import',
    synopsis: 'FILE [--db PATH]',
    help: '导入另一工作站导出的设置文件。',
    options: DB_OPTION,
    positionals: FILE,
    run: ({ values, positionals: [file], env }) => withServices(values.db, env, (services) => {
      const settings = importSettings(services.ctx.db, Buffer.from(readArgumentFile(file!)).toString('utf8'));
      console.log(`已导入设置（${settings.officeName}）。`);
      return EXIT_OK;
    }, 'settings-import'),
  }),
  defineCommand({
    name: 'backup',
    synopsis: '[--db PATH]',
    help: '立即备份数据文件（检查无误后放入数据文件旁的 backups 文件夹）。',
    options: DB_OPTION,
    run: ({ values, env }) => withServices(values.db, env, async (services) => {
      const backup = await makeBackup(services.ctx);
      console.log(`已备份到 ${backup.path}（${backup.entryCount} 条登记，完整性与哈希链已检查）。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'restore',
    synopsis: 'FILE [--db PATH]',
    help: '用备份文件 FILE 恢复数据文件；原数据文件改名保留在旁边。须先关闭签章窗口。',
    options: DB_OPTION,
    positionals: FILE,
    // Never through withServices: the current database may be the damaged file being replaced.
    run: ({ values, positionals: [file], env }) => {
      const dbPath = resolveDbPath(values.db, env);
      if (!file) throw new UserError(`请指定要恢复的备份文件，例如：seal-counter restore "${dailyBackupPath(dbPath, officeDate(new Date()))}"。`);
      const lock = holdDataFile(dbPath, { kind: 'cli', command: 'restore' }, '无法恢复');
      let result;
      try {
        result = restoreBackup(file, dbPath, clockFromEnvironment(env));
      } finally {
        lock.release();
      }
      console.log(`已用 ${result.restoredFrom} 恢复数据文件 ${result.dbPath}（${result.entryCount} 条登记，哈希链完整）。`);
      if (result.keptAside.length > 0) console.log(`原数据文件保留为 ${result.keptAside.join('、')}。`);
      if (result.behind) console.log(describeRestoreGap(result.behind));
      return EXIT_OK;
    },
  }),
];

async function verifyRosterCommand(services: Services, file: string, json: boolean, certificateType: CertificateType | undefined): Promise<number> {
  let results;
  try {
    results = await verifyRosterFile(services.ctx, basename(file), readArgumentFile(file), certificateType);
  } catch (error) {
    if (json && error instanceof ImportError) {
      console.log(JSON.stringify({ importError: error.message }));
      return EXIT_FAILED;
    }
    throw error;
  }
  if (json) {
    console.log(JSON.stringify({ rows: results.map((r) => ({ row: r.rowNo, codes: r.findings.map((f) => f.code) })) }));
    return EXIT_OK;
  }
  const verdictText = { pass: '通过', warning: '警告', error: '错误' } as const;
  for (const r of results) {
    const detail = r.findings.map((f) => `${FINDING_LABEL[f.code]}（${f.code}）：${f.message}`).join('\n        ');
    console.log(`${String(r.rowNo).padStart(5)}  ${verdictText[r.verdict]}${detail ? `  ${detail}` : ''}`);
  }
  const count = (v: string) => results.filter((r) => r.verdict === v).length;
  console.log(`共 ${results.length} 行：通过 ${count('pass')}，警告 ${count('warning')}，错误 ${count('error')}。`);
  return EXIT_OK;
}
