import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { isCertificateType } from '../core/settings';
import { UserError } from '../core/errors';
import { ImportError } from '../core/sheet';
import { FINDING_LABEL } from '../core/findings';
import { clockFromEnvironment } from '../services/context';
import { openServices } from '../services/open';
import { resolveDbPath } from '../services/paths';
import { importList } from '../services/lists';
import { verifyRegister } from '../services/register';
import { exportSettings, importSettings } from '../services/settings';
import { verifyRosterFile } from '../services/visits';

const USAGE = `用法：seal-counter <命令> [参数]

  import-list FILE [--db PATH] [--title 标题] [--doc 批准文号] [--type 证书类型]
      导入批准名单（.xlsx / .csv）。
  verify-roster FILE [--db PATH] [--json] [--type 证书类型]
      按已导入的全部名单核验发证名册；--json 输出 {"rows":[{"row":序号,"codes":[…]}]}。
  register-verify [--db PATH]
      逐条校验印章使用登记簿的哈希链；完整时退出码为 0。
  settings-export FILE [--db PATH]
  settings-import FILE [--db PATH]
      导出 / 导入本窗口的设置（单位名称、印章、证书编号规则）。

数据文件默认在用户数据目录，可用 --db PATH 或环境变量 SEAL_COUNTER_DB 指定。`;

async function main(argv: string[]): Promise<number> {
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
  const needsFile = ['import-list', 'verify-roster', 'settings-export', 'settings-import'].includes(command);
  if (needsFile && !file) throw new UserError(`命令 ${command} 需要一个文件路径。\n\n${USAGE}`);

  const services = openServices(resolveDbPath(values.db), clockFromEnvironment());
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
        const report = verifyRegister(services.ctx.db);
        if (report.intact) {
          console.log(`登记簿完整：全部 ${report.count} 条登记的哈希链校验通过。`);
          return 0;
        }
        console.log(`登记簿已被改动：${report.firstBreak.message}（第一处问题在第 ${report.firstBreak.seq} 号登记）`);
        return 1;
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
