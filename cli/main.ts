import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { isCertificateType } from '../core/settings/settings';
import { UserError } from '../core/errors';
import { ImportError } from '../core/files/sheet';
import { FINDING_LABEL } from '../core/verify/findings';

import { openServices } from '../services/open';
import { resolveDbPath } from '../services/paths';
import { dailyBackupPath, makeBackup, restoreBackup } from '../services/backup/backup';
import { importList } from '../services/lists/lists';
import { verifyRegister } from '../services/register/chain';
import { closeDay, verifyBatches } from '../services/register/batches';
import { exportSettings, importSettings, loadSettings } from '../services/settings/settings';
import { exportPublicKey } from '../services/register/workstationKey';
import { verifyRosterFile } from '../services/visits/visits';
import { HUB_USAGE, runHubCommand } from '../hub/cli';
import { clockFromEnvironment, officeDate } from '../core/time';

const USAGE = `用法：seal-counter <命令> [参数]

  import-list FILE [--db PATH] [--title 标题] [--doc 批准文号] [--type 证书类型]
      导入批准名单（.xlsx / .csv）。
  verify-roster FILE [--db PATH] [--json] [--type 证书类型]
      按已导入的全部名单核验发证名册；--json 输出 {"rows":[{"row":序号,"codes":[…]}]}。
  register-verify [--db PATH]
      逐条校验印章使用登记簿的哈希链及工作站签名；完整时退出码为 0。
  close-day [--db PATH]
      日结：把上次日结以来的登记封为一个由工作站签名的批次；没有新登记时不做任何改动。
  batch-verify [--db PATH]
      校验每个批次的签名、登记与证书台账、与上一批的衔接；全部通过时退出码为 0。
  sync [--db PATH]
      立即向集中服务器上报待上报的批次，并取回冲突与发布的名单；全部上报且无问题时退出码为 0。
  export-key FILE [--db PATH]
      导出本工作站的公钥，交中心管理员登记（hub-enroll）。
  settings-export FILE [--db PATH]
  settings-import FILE [--db PATH]
      导出 / 导入本窗口的设置（单位名称、印章、证书编号规则）。
  backup [--db PATH]
      立即备份数据文件（检查无误后放入数据文件旁的 backups 文件夹）。
  restore FILE [--db PATH]
      用备份文件 FILE 恢复数据文件；原数据文件改名保留在旁边。须先关闭签章窗口。

数据文件默认在用户数据目录，可用 --db PATH 或环境变量 SEAL_COUNTER_DB 指定。

${HUB_USAGE}`;

async function main(argv: string[]): Promise<number> {
  // Hub commands have their own options and data folder and never open a workstation database.
  const hubExitCode = await runHubCommand(argv);
  if (hubExitCode !== null) return hubExitCode;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' }, json: { type: 'boolean', default: false }, title: { type: 'string' }, doc: { type: 'string' },
      type: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const certificateType = values.type;
  if (certificateType !== undefined && !isCertificateType(certificateType)) throw new UserError(`未知的证书类型“${certificateType}”。`);
  const needsFile = ['import-list', 'verify-roster', 'settings-export', 'settings-import', 'export-key'].includes(command);
  if (needsFile && !file) throw new UserError(`命令 ${command} 需要一个文件路径。\n\n${USAGE}`);

  // Before openServices: the current database may be the damaged file being replaced.
  if (command === 'restore') return restoreCommand(file, resolveDbPath(values.db));
  const services = openServices(resolveDbPath(values.db), clockFromEnvironment(process.env));
  try {
    switch (command) {
      case 'import-list': {
        const list = await importList(services.ctx, basename(file!), readInput(file!), { title: values.title, approvalDoc: values.doc, certificateType });
        console.log(`已导入名单 ${list.approvalDoc}「${list.title}」（${list.certificateType}），共 ${list.rowCount} 人。`);
        return 0;
      }
      case 'verify-roster':
        return await verifyRosterCommand(services, file!, values.json, certificateType);
      case 'register-verify': {
        const report = verifyRegister(services.ctx);
        if (report.intact) {
          console.log(`登记簿完整：全部 ${report.count} 条登记的哈希链校验通过。`);
          return 0;
        }
        console.log(`登记簿已被改动：${report.firstBreak.message}（第一处问题在第 ${report.firstBreak.seq} 号登记）`);
        return 1;
      }
      case 'close-day': {
        const { created, latest } = closeDay(services.ctx);
        if (created) console.log(`已日结：第 ${created.batchNo} 批，第 ${created.firstSeq}–${created.lastSeq} 号登记共 ${created.entryCount} 条，已由工作站 ${created.workstationId} 签名。`);
        else console.log(latest ? `自第 ${latest.batchNo} 批（截至第 ${latest.lastSeq} 号登记）以来没有新的登记，无需日结。` : '登记簿还没有任何登记，无需日结。');
        return 0;
      }
      case 'batch-verify': {
        const { batches } = verifyBatches(services.ctx);
        for (const b of batches) console.log(`第 ${b.batchNo} 批（第 ${b.firstSeq}–${b.lastSeq} 号）：${b.ok ? '通过' : '未通过'}——${b.message}`);
        const bad = batches.filter((b) => !b.ok).length;
        console.log(batches.length === 0 ? '还没有批次。' : bad === 0 ? `全部 ${batches.length} 批校验通过。` : `${batches.length} 批中有 ${bad} 批未通过校验。`);
        return bad === 0 ? 0 : 1;
      }
      case 'sync': {
        const status = await services.sync.syncNow();
        if (!status.configured) throw new UserError('设置中还没有集中服务器地址（hub.url）和省厅公钥，无法同步。');
        console.log(`${status.online ? '已连接' : '无法连接'}集中服务器 ${status.hubUrl}；待上报批次 ${status.waiting} 个；跨窗口冲突 ${status.conflicts} 条。`);
        for (const line of [status.lastError, status.problem, status.publicationNote]) if (line) console.log(line);
        return status.online && status.waiting === 0 && !status.problem ? 0 : 1;
      }
      case 'export-key': {
        const exported = JSON.stringify(exportPublicKey(services.ctx.workstation, loadSettings(services.ctx.db).officeName, services.ctx.clock.timestamp()), null, 2);
        writeFileSync(file!, exported);
        console.log(`工作站 ${services.ctx.workstation.id} 的公钥已导出到 ${file}，请交中心管理员登记。`);
        return 0;
      }
      case 'settings-export':
        writeFileSync(file!, exportSettings(services.ctx.db).json);
        console.log(`设置已导出到 ${file}。`);
        return 0;
      case 'settings-import': {
        const settings = importSettings(services.ctx.db, Buffer.from(readInput(file!)).toString('utf8'));
        console.log(`已导入设置（${settings.officeName}）。`);
        return 0;
      }
      case 'backup': {
        const backup = await makeBackup(services.ctx);
        console.log(`已备份到 ${backup.path}（${backup.entryCount} 条登记，完整性与哈希链已检查）。`);
        return 0;
      }
      default:
        console.error(`未知命令“${command}”。\n\n${USAGE}`);
        return 2;
    }
  } finally {
    services.close();
  }
}

async function verifyRosterCommand(services: ReturnType<typeof openServices>, file: string, json: boolean, certificateType: Parameters<typeof verifyRosterFile>[3]): Promise<number> {
  let results;
  try {
    results = await verifyRosterFile(services.ctx, basename(file), readInput(file), certificateType);
  } catch (error) {
    if (json && error instanceof ImportError) {
      console.log(JSON.stringify({ importError: error.message }));
      return 1;
    }
    throw error;
  }
  if (json) {
    console.log(JSON.stringify({ rows: results.map((r) => ({ row: r.rowNo, codes: r.findings.map((f) => f.code) })) }));
    return 0;
  }
  const verdictText = { pass: '通过', warning: '警告', error: '错误' } as const;
  for (const r of results) {
    const detail = r.findings.map((f) => `${FINDING_LABEL[f.code]}（${f.code}）：${f.message}`).join('\n        ');
    console.log(`${String(r.rowNo).padStart(5)}  ${verdictText[r.verdict]}${detail ? `  ${detail}` : ''}`);
  }
  const count = (v: string) => results.filter((r) => r.verdict === v).length;
  console.log(`共 ${results.length} 行：通过 ${count('pass')}，警告 ${count('warning')}，错误 ${count('error')}。`);
  return 0;
}

function restoreCommand(file: string | undefined, dbPath: string): number {
  if (!file) throw new UserError(`请指定要恢复的备份文件，例如：seal-counter restore "${dailyBackupPath(dbPath, officeDate(new Date()))}"。`);
  const result = restoreBackup(file, dbPath, clockFromEnvironment(process.env));
  console.log(`已用 ${result.restoredFrom} 恢复数据文件 ${result.dbPath}（${result.entryCount} 条登记，哈希链完整）。`);
  if (result.keptAside.length > 0) console.log(`原数据文件保留为 ${result.keptAside.join('、')}。`);
  return 0;
}

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ImportError(`无法读取文件“${file}”：${(error as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (error as Error).message}。`);
  }
}

// `seal-counter verify-roster … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UserError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
