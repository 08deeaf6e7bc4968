import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors';
import { PUBLICATION_KIND_LABEL } from '../core/hub/publication';

import { publish } from './publications';
import { startHubServer, type RunningHub } from './server';
import { formatHubStatus, hubStatus } from './status';
import { openHub, type Hub } from './store';
import { enrolWorkstation, parseWorkstationKeyFile, revokeWorkstation } from './workstations';
import { clockFromEnvironment } from '../core/time';

/**
 * The hub's commands, reached through the one `seal-counter` CLI. The server and the admin
 * commands share hub.sqlite (WAL, busy timeout), so an administrator can enrol, revoke or
 * publish while the hub is running.
 */
export const HUB_USAGE = `集中服务器（省厅）：
  hub --data DIR [--listen 主机:端口]
      启动集中服务器（默认监听 127.0.0.1:8787）。首次启动时创建 DIR、数据文件 hub.sqlite
      和省级密钥（DIR/province-key.json，仅所有者可读）。Ctrl+C 或 SIGTERM 停止。
  hub-init --data DIR
      只创建 DIR、数据文件和省级密钥，不启动服务；打印省级公钥。
  hub-enroll --data DIR FILE [--reinstate]
      登记工作站：FILE 是工作站导出的公钥文件。重复登记同一公钥不改变任何内容；
      已注销的工作站须加 --reinstate 才能恢复。
  hub-revoke --data DIR 工作站编号
      注销工作站：其请求此后一律拒绝，已收到的批次保留。
  hub-publish --data DIR [--list FILE]... [--slips FILE] [--withdraw 批准文号]...
      用省级密钥签名发布批准名单和签章凭条发放记录。每次发布的是全部现行内容：
      新名单加入已发布的名单（批准文号相同者替换），凭条按编号并入。名单中有无法接受的行时拒绝发布。
  hub-province-key --data DIR
      打印省级公钥（base64），填入各工作站设置，用于验证发布内容。
  hub-status --data DIR [--json]
      已登记的工作站、各站已收批次与登记条数、冲突、拒绝的请求。`;

const HUB_COMMANDS = new Set(['hub', 'hub-init', 'hub-enroll', 'hub-revoke', 'hub-publish', 'hub-province-key', 'hub-status']);

/**
 * Runs a hub command; null when argv is not one (the workstation CLI goes on). Returns the exit
 * code; `hub` itself resolves only when the server has been stopped by a signal.
 */
export async function runHubCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number | null> {
  const command = argv[0];
  if (command === undefined || !command.startsWith('hub')) return null;
  try {
    if (!HUB_COMMANDS.has(command)) throw new UserError(`未知命令“${command}”。\n\n${HUB_USAGE}`);
    return await run(command, argv.slice(1), env);
  } catch (error) {
    if (error instanceof UserError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

function parse(command: string, args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        listen: { type: 'string' },
        list: { type: 'string', multiple: true },
        slips: { type: 'string' },
        withdraw: { type: 'string', multiple: true },
        reinstate: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // node:util's messages are English and name the option; say it in the admin's language.
    throw new UserError(`命令 ${command} 的参数有误：${(error as Error).message}\n\n${HUB_USAGE}`);
  }
}

async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parse(command, args);
  if (values.help) {
    console.log(HUB_USAGE);
    return 0;
  }
  if (!values.data) throw new UserError(`命令 ${command} 需要用 --data DIR 指定集中服务器的数据目录。\n\n${HUB_USAGE}`);
  const dataDir = resolve(values.data);
  const now = clockFromEnvironment(env);
  const expectPositionals = (count: number, what: string) => {
    if (positionals.length !== count) throw new UserError(count === 0 ? `命令 ${command} 不接受参数“${positionals.join(' ')}”。` : `命令 ${command} 需要${what}。\n\n${HUB_USAGE}`);
  };

  if (command === 'hub') {
    expectPositionals(0, '');
    return serve(dataDir, values.listen ?? '127.0.0.1:8787', now);
  }
  const hub = openHub(dataDir, { create: command === 'hub-init', now });
  try {
    switch (command) {
      case 'hub-init':
        expectPositionals(0, '');
        console.log(`集中服务器数据目录已就绪：${dataDir}`);
        console.log(`省级公钥：${provincePublicKey(hub)}`);
        return 0;
      case 'hub-province-key':
        expectPositionals(0, '');
        console.log(provincePublicKey(hub));
        return 0;
      case 'hub-enroll': {
        expectPositionals(1, '一个工作站公钥文件路径');
        const file = positionals[0]!;
        const key = parseWorkstationKeyFile(basename(file), readText(file));
        const { outcome, workstation } = enrolWorkstation(hub, key, { reinstate: values.reinstate });
        const said = {
          enrolled: `已登记工作站 ${workstation.id}（${workstation.officeName}）。`,
          unchanged: `工作站 ${workstation.id}（${workstation.officeName}）此前已登记，未作改动。`,
          'office-renamed': `工作站 ${workstation.id} 此前已登记，单位名称已更新为“${workstation.officeName}”。`,
          reinstated: `已恢复此前注销的工作站 ${workstation.id}（${workstation.officeName}）。`,
        } as const;
        console.log(said[outcome]);
        return 0;
      }
      case 'hub-revoke': {
        expectPositionals(1, '一个工作站编号（如 WS-0123456789AB）');
        const { alreadyRevoked, workstation } = revokeWorkstation(hub, positionals[0]!.trim().toUpperCase());
        console.log(alreadyRevoked
          ? `工作站 ${workstation.id}（${workstation.officeName}）已于 ${workstation.revokedAt} 注销，未作改动。`
          : `已注销工作站 ${workstation.id}（${workstation.officeName}）：此后其请求一律拒绝，已收到的批次保留。`);
        return 0;
      }
      case 'hub-publish': {
        expectPositionals(0, '');
        const result = await publish(hub, {
          lists: (values.list ?? []).map((file) => ({ fileName: basename(file), bytes: readBytes(file) })),
          slips: values.slips ? { fileName: basename(values.slips), bytes: readBytes(values.slips) } : null,
          withdraw: (values.withdraw ?? []).map((doc) => doc.trim()),
        });
        for (const p of result.published) console.log(`已发布${PUBLICATION_KIND_LABEL[p.kind]}第 ${p.version} 版：${p.summary}。`);
        return 0;
      }
      case 'hub-status': {
        expectPositionals(0, '');
        const status = hubStatus(hub);
        console.log(values.json ? JSON.stringify(status, null, 2) : formatHubStatus(status));
        return 0;
      }
      default:
        throw new UserError(`未知命令“${command}”。\n\n${HUB_USAGE}`);
    }
  } finally {
    hub.close();
  }
}

function provincePublicKey(hub: Hub): string {
  return Buffer.from(hub.provinceKey.publicKey).toString('base64');
}

function parseListen(listen: string): { host: string; port: number } {
  const match = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(listen) ?? /^([^:\s]+):(\d{1,5})$/.exec(listen);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535) throw new UserError(`--listen 应为“主机:端口”，如 127.0.0.1:8787 或 [::1]:8787（端口 0 表示由系统选择），而不是“${listen}”。`);
  return { host: match[1]!, port };
}

async function serve(dataDir: string, listen: string, now: () => Date): Promise<number> {
  const { host, port } = parseListen(listen);
  const hub = openHub(dataDir, { create: true, now });
  let running: RunningHub;
  try {
    running = await startHubServer(hub, { host, port });
  } catch (error) {
    hub.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`无法监听 ${listen}：端口已被占用（可能已有一个集中服务器在运行）。`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UserError(`无法监听 ${listen}：本机没有这个地址。`);
    if (code === 'EACCES') throw new UserError(`无法监听 ${listen}：没有权限使用该端口。`);
    throw error;
  }
  // Tests and scripts read this first line to learn the address (with port 0, the real port).
  console.log(`签章集中服务器已启动，监听地址 ${running.url}`);
  console.log(`数据目录：${dataDir}；省级公钥：${provincePublicKey(hub)}`);
  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    const stop = (received: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolveSignal(received);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await running.close();
  hub.close();
  console.log(`签章集中服务器已停止（${signal}）。`);
  return 0;
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '没有读取权限' : code === 'EISDIR' ? '这是一个目录' : (error as Error).message;
    throw new UserError(`无法读取文件“${file}”：${why}。`);
  }
}

function readText(file: string): string {
  return Buffer.from(readBytes(file)).toString('utf8').replace(/^\uFEFF/, '');
}
