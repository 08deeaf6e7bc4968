import { basename, resolve } from 'node:path';
import { UserError } from '../core/errors';
import { PUBLICATION_KIND_LABEL } from '../core/hub/publication';
import { clockFromEnvironment } from '../core/time';
import { defineCommand, EXIT_OK, readArgumentFile, type Command } from '../cli/command';
import { publish } from './publications';
import { startHubServer, type RunningHub } from './server';
import { formatHubStatus, hubStatus } from './status';
import { openHub, type Hub } from './store';
import { enrolWorkstation, parseWorkstationKeyFile, revokeWorkstation } from './workstations';

/**
 * The hub's commands, reached through the one `seal-counter` CLI. The server and the admin
 * commands share hub.sqlite (WAL, busy timeout), so an administrator can enrol, revoke or
 * publish while the hub is running.
 */
const DATA_OPTION = { data: { type: 'string' } } as const;

function dataDirOf(command: string, data: string | undefined): string {
  if (!data) throw new UserError(`命令 ${command} 需要用 --data DIR 指定集中服务器的数据目录。`);
  return resolve(data);
}

/** Opens the hub's data for one admin command and closes it whatever happens. */
function withHub<T>(command: string, data: string | undefined, env: NodeJS.ProcessEnv, work: (hub: Hub) => Promise<T> | T, create = false): Promise<T> {
  const hub = openHub(dataDirOf(command, data), { create, now: clockFromEnvironment(env) });
  return Promise.resolve().then(() => work(hub)).finally(() => hub.close());
}

function readText(file: string): string {
  return Buffer.from(readArgumentFile(file)).toString('utf8').replace(/^\uFEFF/, '');
}

export const HUB_COMMANDS: readonly Command[] = [
  defineCommand({
    name: 'hub',
    synopsis: '--data DIR [--listen 主机:端口]',
    help: '启动集中服务器（默认监听 127.0.0.1:8787）。首次启动时创建 DIR、数据文件 hub.sqlite\n和省级密钥（DIR/province-key.json，仅所有者可读）。Ctrl+C 或 SIGTERM 停止。',
    options: { ...DATA_OPTION, listen: { type: 'string' } },
    run: ({ values, env }) => serve(dataDirOf('hub', values.data), values.listen ?? '127.0.0.1:8787', clockFromEnvironment(env)),
  }),
  defineCommand({
    name: 'hub-init',
    synopsis: '--data DIR',
    help: '只创建 DIR、数据文件和省级密钥，不启动服务；打印省级公钥。',
    options: DATA_OPTION,
    run: ({ values, env }) => withHub('hub-init', values.data, env, (hub) => {
      console.log(`集中服务器数据目录已就绪：${hub.paths.dataDir}`);
      console.log(`省级公钥：${provincePublicKey(hub)}`);
      return EXIT_OK;
    }, true),
  }),
  defineCommand({
    name: 'hub-enroll',
    synopsis: '--data DIR FILE [--reinstate]',
    help: '登记工作站：FILE 是工作站导出的公钥文件。重复登记同一公钥不改变任何内容；\n已注销的工作站须加 --reinstate 才能恢复。',
    options: { ...DATA_OPTION, reinstate: { type: 'boolean', default: false } },
    positionals: { min: 1, names: 'FILE' },
    run: ({ values, positionals: [file], env }) => withHub('hub-enroll', values.data, env, (hub) => {
      const key = parseWorkstationKeyFile(basename(file!), readText(file!));
      const { outcome, workstation } = enrolWorkstation(hub, key, { reinstate: values.reinstate });
      const said = {
        enrolled: `已登记工作站 ${workstation.id}（${workstation.officeName}）。`,
        unchanged: `工作站 ${workstation.id}（${workstation.officeName}）此前已登记，未作改动。`,
        'office-renamed': `工作站 ${workstation.id} 此前已登记，单位名称已更新为“${workstation.officeName}”。`,
        reinstated: `已恢复此前注销的工作站 ${workstation.id}（${workstation.officeName}）。`,
      } as const;
      console.log(said[outcome]);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-revoke',
    synopsis: '--data DIR 工作站编号',
    help: '注销工作站：其请求此后一律拒绝，已收到的批次保留。',
    options: DATA_OPTION,
    positionals: { min: 1, names: '工作站编号（如 WS-0123456789AB）' },
    run: ({ values, positionals: [id], env }) => withHub('hub-revoke', values.data, env, (hub) => {
      const { alreadyRevoked, workstation } = revokeWorkstation(hub, id!.trim().toUpperCase());
      console.log(alreadyRevoked
        ? `工作站 ${workstation.id}（${workstation.officeName}）已于 ${workstation.revokedAt} 注销，未作改动。`
        : `已注销工作站 ${workstation.id}（${workstation.officeName}）：此后其请求一律拒绝，已收到的批次保留。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-publish',
    synopsis: '--data DIR [--list FILE]... [--slips FILE] [--withdraw 批准文号]...',
    help: '用省级密钥签名发布批准名单和签章凭条发放记录。每次发布的是全部现行内容：\n新名单加入已发布的名单（批准文号相同者替换），凭条按编号并入。名单中有无法接受的行时拒绝发布。',
    options: { ...DATA_OPTION, list: { type: 'string', multiple: true }, slips: { type: 'string' }, withdraw: { type: 'string', multiple: true } },
    run: ({ values, env }) => withHub('hub-publish', values.data, env, async (hub) => {
      const result = await publish(hub, {
        lists: (values.list ?? []).map((file) => ({ fileName: basename(file), bytes: readArgumentFile(file) })),
        slips: values.slips ? { fileName: basename(values.slips), bytes: readArgumentFile(values.slips) } : null,
        withdraw: (values.withdraw ?? []).map((doc) => doc.trim()),
      });
      for (const p of result.published) console.log(`已发布${PUBLICATION_KIND_LABEL[p.kind]}第 ${p.version} 版：${p.summary}。`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-province-key',
    synopsis: '--data DIR',
    help: '打印省级公钥（base64），填入各工作站设置，用于验证发布内容。',
    options: DATA_OPTION,
    run: ({ values, env }) => withHub('hub-province-key', values.data, env, (hub) => {
      console.log(provincePublicKey(hub));
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-status',
    synopsis: '--data DIR [--json]',
    help: '已登记的工作站、各站已收批次与登记条数、冲突、拒绝的请求。',
    options: { ...DATA_OPTION, json: { type: 'boolean', default: false } },
    run: ({ values, env }) => withHub('hub-status', values.data, env, (hub) => {
      const status = hubStatus(hub);
      console.log(values.json ? JSON.stringify(status, null, 2) : formatHubStatus(status));
      return EXIT_OK;
    }),
  }),
];

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
