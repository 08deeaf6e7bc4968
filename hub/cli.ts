import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { keyFingerprint } from '../core/hub/answer';
import { PUBLICATION_KIND_LABEL } from '../core/hub/publication';
import { UserError } from '../core/errors';
import { clockFromEnvironment } from '../core/time';
import { defineCommand, EXIT_FAILED, JSON_OPTION, EXIT_OK, readArgumentFile, type Command } from '../cli/command';
import { backupHub, restoreHub } from './backup';
import { DEFAULT_LIMITS, type HubLimits } from './limits';
import { nginxConfig } from './proxy';
import { publish } from './publications';
import { startHubServer, type RunningHub } from './server';
import { formatHubStatus, hubStatus } from './status';
import { loadAnswerKey, locateHub, openDatabase, openHub, operatorOf, prepareFolder, recordAdminAction, type Hub, type HubLocation, type Operator } from './store';
import { verifyChains } from './verify';
import { enrolWorkstation, parseWorkstationKeyFile, revokeWorkstation } from './workstations';

/**
 * The hub's commands, reached through the one `seal-counter` CLI. Every node and every admin
 * command talks to the one database, so an administrator can enrol, revoke or publish while the
 * nodes run. `--data DIR` names the hub's folder (hub/store.ts); `--database-url` the
 * province's PostgreSQL.
 */
const WHERE_OPTIONS = {
  data: { type: 'string' },
  'database-url': { type: 'string' },
  'hub-key': { type: 'string' },
  'province-key': { type: 'string' },
} as const;
const OPERATOR_OPTION = { operator: { type: 'string' } } as const;
const WHERE = '(--data DIR | --database-url URL)';
const WHERE_HELP = '--data DIR：集中服务器的数据目录；--database-url postgres://…：省厅的 PostgreSQL（此时密钥文件用 --hub-key、--province-key 指定）。';

const SERVE_OPTIONS = {
  ...WHERE_OPTIONS,
  listen: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'trust-proxy': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-burst': { type: 'string' },
  'connections-per-address': { type: 'string' },
  'max-body-mb': { type: 'string' },
  'headers-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'refusal-retention-days': { type: 'string' },
} as const;
type ServeValues = { [K in keyof typeof SERVE_OPTIONS]: string | undefined };

type WhereValues = { [K in keyof typeof WHERE_OPTIONS]: string | undefined };

/** Opens the hub for one admin command and closes it whatever happens. */
async function withHub<T>(command: string, values: WhereValues & { operator?: string | undefined }, env: NodeJS.ProcessEnv, work: (hub: Hub, operator: Operator) => Promise<T> | T, create = false): Promise<T> {
  const operator = operatorOf(values.operator);
  const hub = await openHub(locateHub(values, env, command), { role: 'admin', create, now: clockFromEnvironment(env), operator });
  try {
    return await work(hub, operator);
  } finally {
    await hub.close();
  }
}

function readText(file: string): string {
  return Buffer.from(readArgumentFile(file)).toString('utf8').replace(/^\uFEFF/, '');
}

export const HUB_COMMANDS: readonly Command[] = [
  defineCommand({
    name: 'hub',
    synopsis: `${WHERE} [--listen 主机:端口] [--tls-cert FILE --tls-key FILE] [--trust-proxy 地址,…] [限制选项]`,
    help: [
      '启动集中服务器节点（默认监听 127.0.0.1:8787）。只给 --data 时，集中服务器在 DIR/postgres 运行自带的',
      'PostgreSQL；首次启动时创建 DIR、数据库、应答密钥（DIR/hub-key.json）和省级密钥（DIR/province-key.json，',
      '正式部署请移至管理员电脑）。--database-url（或 DIR/hub.json）使用省厅的 PostgreSQL，多个节点可共用一个',
      '数据库，置于反向代理之后，各节点用同一份 hub-key.json。服务进程只读取应答密钥，不读取省级私钥。',
      '--tls-cert/--tls-key：以 HTTPS 提供服务（也可由反向代理提供 TLS）。',
      '--trust-proxy：只信任这些地址（反向代理）发来的 X-Forwarded-For。',
      `限制：--rate-limit 每个地址每秒请求数（默认 ${DEFAULT_LIMITS.ratePerSecond}）、--rate-burst（${DEFAULT_LIMITS.rateBurst}）、`,
      `--connections-per-address（${DEFAULT_LIMITS.connectionsPerAddress}）、--max-body-mb（${DEFAULT_LIMITS.maxBodyBytes / 1024 / 1024}）、--headers-timeout 秒（${DEFAULT_LIMITS.headersTimeoutMs / 1000}）、`,
      `--request-timeout 秒（${DEFAULT_LIMITS.requestTimeoutMs / 1000}）、--idle-timeout 秒（${DEFAULT_LIMITS.idleTimeoutMs / 1000}）、--refusal-retention-days（${DEFAULT_LIMITS.refusalRetentionDays}）。`,
      'Ctrl+C 或 SIGTERM 停止。',
    ].join('\n'),
    options: SERVE_OPTIONS,
    run: ({ values, env }) => serve(locateHub(values, env, 'hub'), values, clockFromEnvironment(env)),
  }),
  defineCommand({
    name: 'hub-init',
    synopsis: `${WHERE} [--hub-key FILE] [--province-key FILE]`,
    help: `只初始化数据库和密钥，不启动服务；已有的密钥文件会被采用。打印省级公钥。\n${WHERE_HELP}`,
    options: { ...WHERE_OPTIONS, ...OPERATOR_OPTION },
    run: ({ values, env }) => withHub('hub-init', values, env, (hub) => {
      const { location } = hub;
      console.log(`集中服务器数据库已就绪${location.dataDir ? `：${location.dataDir}` : ''}`);
      console.log(`省级公钥：${provincePublicKey(hub)}（指纹 ${keyFingerprint(hub.provincePublicKey)}）`);
      console.log(`应答公钥：${hub.hubKey.publicKey}（指纹 ${answerFingerprint(hub)}）；各节点须使用同一份应答密钥文件 ${location.answerKeyPath ?? ''}`);
      if (location.provinceKeyPath && existsSync(location.provinceKeyPath)) {
        console.log(`省级私钥在 ${location.provinceKeyPath}：请离线保管（移至管理员电脑），发布时用 --province-key 指定；服务节点不需要它。`);
      }
      return EXIT_OK;
    }, true),
  }),
  defineCommand({
    name: 'hub-enroll',
    synopsis: `${WHERE} FILE… [--reinstate] [--operator 姓名] [--yes]`,
    help: [
      '登记工作站：FILE 是工作站导出的公钥文件（可一次多个）。先显示公钥指纹，在终端中运行时请核对后确认',
      '（--yes 不再询问）；操作人（--operator，默认为登录名）和指纹记入管理日志。',
      '重复登记同一公钥不改变任何内容；已注销的工作站须加 --reinstate 才能恢复。',
      '另打印集中服务器的应答公钥，可填入工作站设置直接固定（不填则工作站凭省级签名自动固定）。',
    ].join('\n'),
    options: { ...WHERE_OPTIONS, ...OPERATOR_OPTION, reinstate: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false } },
    positionals: { min: 1, max: Number.MAX_SAFE_INTEGER, names: 'FILE' },
    run: ({ values, positionals, env }) => withHub('hub-enroll', values, env, async (hub, operator) => {
      for (const file of positionals) {
        const key = parseWorkstationKeyFile(basename(file), readText(file));
        console.log(`工作站 ${key.workstationId}（${key.officeName}）的公钥指纹：${keyFingerprint(key.publicKey)}`);
        if (!values.yes && !(await confirmed('请与工作站上显示的编号和指纹核对。确认登记？（是/否）'))) {
          console.log('未登记。');
          return EXIT_FAILED;
        }
        const { outcome, workstation } = await enrolWorkstation(hub, key, { reinstate: values.reinstate, operator });
        const said = {
          enrolled: `已登记工作站 ${workstation.id}（${workstation.officeName}）。`,
          unchanged: `工作站 ${workstation.id}（${workstation.officeName}）此前已登记，未作改动。`,
          'office-renamed': `工作站 ${workstation.id} 此前已登记，单位名称已更新为“${workstation.officeName}”。`,
          reinstated: `已恢复此前注销的工作站 ${workstation.id}（${workstation.officeName}）。`,
        } as const;
        console.log(`${said[outcome]}${outcome === 'unchanged' ? '' : `（操作人 ${operator.name}）`}`);
      }
      console.log(`集中服务器应答公钥：${hub.hubKey.publicKey}（指纹 ${answerFingerprint(hub)}）`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-revoke',
    synopsis: `${WHERE} 工作站编号 [--operator 姓名]`,
    help: '注销工作站：其请求此后一律拒绝，已收到的批次保留。操作人和公钥指纹记入管理日志。',
    options: { ...WHERE_OPTIONS, ...OPERATOR_OPTION },
    positionals: { min: 1, names: '工作站编号（如 WS-0123456789AB）' },
    run: ({ values, positionals: [id], env }) => withHub('hub-revoke', values, env, async (hub, operator) => {
      const { alreadyRevoked, workstation } = await revokeWorkstation(hub, id!.trim().toUpperCase(), operator);
      console.log(alreadyRevoked
        ? `工作站 ${workstation.id}（${workstation.officeName}）已于 ${workstation.revokedAt} 注销，未作改动。`
        : `已注销工作站 ${workstation.id}（${workstation.officeName}，公钥指纹 ${keyFingerprint(workstation.publicKey)}）：此后其请求一律拒绝，已收到的批次保留。（操作人 ${operator.name}）`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-publish',
    synopsis: `${WHERE} [--province-key FILE] [--list FILE]... [--slips FILE] [--withdraw 批准文号]... [--workstation-keys] [--revocations FILE] [--lift 身份证号码]... [--operator 姓名]`,
    help: [
      '用省级私钥（--province-key，默认 DIR/province-key.json）签名发布批准名单和签章凭条发放记录。',
      '每次发布的是全部现行内容：新名单加入已发布的名单（批准文号相同者替换），凭条按编号并入。',
      '--workstation-keys 发布已登记工作站的公钥（含已注销的及其注销时间），供各地核验其他工作站打印的纸件；登记或注销工作站后应重新发布。',
      '--revocations 发布取消资格名单（并入已发布的），--lift 撤销已发布的某人的取消资格。',
      '名单中有无法接受的行时拒绝发布。打印所用省级公钥的指纹；操作人记入管理日志。',
    ].join('\n'),
    options: { ...WHERE_OPTIONS, ...OPERATOR_OPTION, list: { type: 'string', multiple: true }, slips: { type: 'string' }, withdraw: { type: 'string', multiple: true }, 'workstation-keys': { type: 'boolean', default: false }, revocations: { type: 'string' }, lift: { type: 'string', multiple: true } },
    run: ({ values, env }) => withHub('hub-publish', values, env, async (hub, operator) => {
      const result = await publish(hub, {
        lists: (values.list ?? []).map((file) => ({ fileName: basename(file), bytes: readArgumentFile(file) })),
        slips: values.slips ? { fileName: basename(values.slips), bytes: readArgumentFile(values.slips) } : null,
        withdraw: (values.withdraw ?? []).map((doc) => doc.trim()),
        workstationKeys: values['workstation-keys'],
        revocations: values.revocations ? { fileName: basename(values.revocations), bytes: readArgumentFile(values.revocations) } : null,
        lift: (values.lift ?? []).map((id) => id.trim()),
      }, operator);
      for (const p of result.published) console.log(`已发布${PUBLICATION_KIND_LABEL[p.kind]}第 ${p.version} 版：${p.summary}。`);
      console.log(`签名所用省级公钥指纹：${keyFingerprint(hub.provincePublicKey)}（操作人 ${operator.name}）`);
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-province-key',
    synopsis: WHERE,
    help: '打印省级公钥（base64），填入各工作站设置，用于验证发布内容和集中服务器的应答公钥。',
    options: WHERE_OPTIONS,
    run: ({ values, env }) => withHub('hub-province-key', values, env, (hub) => {
      console.log(provincePublicKey(hub));
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-status',
    synopsis: `${WHERE} [--json]`,
    help: '数据库、已登记的工作站、各站最近一批、已收登记、延迟、拒绝的请求和冲突。',
    options: { ...WHERE_OPTIONS, ...JSON_OPTION },
    run: ({ values, env }) => withHub('hub-status', values, env, async (hub) => {
      const status = await hubStatus(hub);
      console.log(values.json ? JSON.stringify(status, null, 2) : formatHubStatus(status));
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-backup',
    synopsis: `${WHERE} --out FILE`,
    help: '把集中服务器的数据库完整备份到一个文件（一致快照，gzip）。文件含个人信息，仅所有者可读。\n密钥文件不在备份中，请另行离线保管。',
    options: { ...WHERE_OPTIONS, out: { type: 'string' } },
    run: ({ values, env }) => withHub('hub-backup', values, env, async (hub) => {
      if (!values.out) throw new UserError('命令 hub-backup 需要用 --out FILE 指定备份文件。');
      const out = resolve(values.out);
      const counts = await backupHub(hub.db, out, hub.timestamp());
      console.log(`已备份到 ${out}：${counts.workstations} 台工作站、${counts.batches} 批、${counts.entries} 条登记、${counts.certificates} 本证书、${counts.publications} 版发布。文件含个人信息，请妥善保管。`);
      console.log('提醒：密钥文件不在备份中，请另行离线保管 hub-key.json 和省级私钥。');
      return EXIT_OK;
    }),
  }),
  defineCommand({
    name: 'hub-restore',
    synopsis: `${WHERE} --in FILE`,
    help: '把 hub-backup 的备份恢复到新建的空数据库（或新的 --data 目录），并重新验证每个工作站的登记链。',
    options: { ...WHERE_OPTIONS, ...OPERATOR_OPTION, in: { type: 'string' } },
    run: ({ values, env }) => {
      if (!values.in) throw new UserError('命令 hub-restore 需要用 --in FILE 指定备份文件。');
      return restore(locateHub(values, env, 'hub-restore'), values.in, operatorOf(values.operator), clockFromEnvironment(env));
    },
  }),
  defineCommand({
    name: 'hub-proxy-config',
    synopsis: '--node 主机:端口… --listen 地址:端口 [--tls-cert FILE --tls-key FILE] [--bind 地址]',
    help: [
      '打印反向代理 nginx 的配置：在 --listen 接受工作站的连接（给出证书时为 HTTPS），分发到各 --node 节点；',
      '从 --bind 地址连接节点，各节点以 --trust-proxy 同一地址只信任该代理转发的客户地址。',
    ].join('\n'),
    options: { node: { type: 'string', multiple: true }, listen: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, bind: { type: 'string' } },
    run: ({ values }) => {
      if (!values.node?.length || !values.listen) throw new UserError('命令 hub-proxy-config 需要至少一个 --node 主机:端口 和 --listen 地址:端口。');
      const tls = tlsFiles(values['tls-cert'], values['tls-key']);
      console.log(nginxConfig({ listen: values.listen, nodes: values.node, ...(tls ? { tls } : {}), ...(values.bind ? { bindAddress: values.bind } : {}) }));
      return EXIT_OK;
    },
  }),
  defineCommand({
    name: 'hub-verify',
    synopsis: WHERE,
    help: '重新验证每个工作站的登记链：批次签名、每条登记的哈希、批次之间的衔接。',
    options: WHERE_OPTIONS,
    run: ({ values, env }) => withHub('hub-verify', values, env, (hub) => reportChains(hub)),
  }),
];

async function confirmed(question: string): Promise<boolean> {
  // Scripts (no terminal) enrol without asking; the fingerprint is printed either way.
  if (!process.stdin.isTTY) return true;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(是|y|yes|确认)$/i.test((await rl.question(`${question} `)).trim());
  } finally {
    rl.close();
  }
}

async function reportChains(hub: Hub): Promise<number> {
  const report = await verifyChains(hub.db);
  if (report.problems.length === 0) {
    console.log(`登记链验证通过：${report.workstations} 台工作站、${report.batches} 批、${report.entries} 条登记，签名、哈希和衔接均无误。`);
    return 0;
  }
  console.error(`登记链验证发现 ${report.problems.length} 处问题：\n${report.problems.slice(0, 50).map((p) => `  ${p}`).join('\n')}`);
  return 1;
}

async function restore(location: HubLocation, input: string, operator: Operator, now: () => Date): Promise<number> {
  const file = resolve(input);
  if (!existsSync(file)) throw new UserError(`找不到备份文件“${file}”。`);
  // The database is opened without initialising a hub: the backup brings the hub's identity.
  prepareFolder(location, true);
  const opened = await openDatabase(location, 'admin', { migrate: false });
  try {
    const counts = await restoreHub(opened.db, file);
    console.log(`已恢复：${counts.workstations ?? 0} 台工作站、${counts.batches ?? 0} 批、${counts.entries ?? 0} 条登记、${counts.certificates ?? 0} 本证书、${counts.publications ?? 0} 版发布。`);
  } finally {
    await opened.close();
  }
  const hub = await openHub(location, { role: 'admin', create: false, now });
  try {
    await recordAdminAction(hub.db, hub.timestamp(), 'restore', operator, file, keyFingerprint(hub.provincePublicKey), '从备份恢复');
    return await reportChains(hub);
  } finally {
    await hub.close();
  }
}

function provincePublicKey(hub: Hub): string {
  return Buffer.from(hub.provincePublicKey).toString('base64');
}

function answerFingerprint(hub: Hub): string {
  return keyFingerprint(new Uint8Array(Buffer.from(hub.hubKey.publicKey, 'base64')));
}

function parseListen(listen: string): { host: string; port: number } {
  const match = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(listen) ?? /^([^:\s]+):(\d{1,5})$/.exec(listen);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535) throw new UserError(`--listen 应为“主机:端口”，如 127.0.0.1:8787 或 [::1]:8787（端口 0 表示由系统选择），而不是“${listen}”。`);
  return { host: match[1]!, port };
}

function limitsOf(values: ServeValues): Partial<HubLimits> {
  const limits: Partial<HubLimits> = {};
  const number = (name: keyof ServeValues, min: number): number | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new UserError(`--${String(name)} 应为不小于 ${min} 的数，而不是“${String(raw)}”。`);
    return value;
  };
  const set = <K extends keyof HubLimits>(key: K, value: number | undefined) => { if (value !== undefined) limits[key] = value; };
  set('ratePerSecond', number('rate-limit', 0.01));
  set('rateBurst', number('rate-burst', 1));
  set('connectionsPerAddress', number('connections-per-address', 1));
  const mb = number('max-body-mb', 0.001);
  set('maxBodyBytes', mb === undefined ? undefined : Math.round(mb * 1024 * 1024));
  const seconds = (name: keyof ServeValues) => { const s = number(name, 0.1); return s === undefined ? undefined : Math.round(s * 1000); };
  set('headersTimeoutMs', seconds('headers-timeout'));
  set('requestTimeoutMs', seconds('request-timeout'));
  set('idleTimeoutMs', seconds('idle-timeout'));
  set('refusalRetentionDays', number('refusal-retention-days', 1));
  return limits;
}

function tlsFiles(certFile: string | undefined, keyFile: string | undefined): { certFile: string; keyFile: string } | undefined {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new UserError('--tls-cert 和 --tls-key 须同时给出（证书链和私钥，PEM 格式）。');
  return { certFile: resolve(certFile), keyFile: resolve(keyFile) };
}

function tlsOf(values: ServeValues): { cert: Buffer; key: Buffer } | undefined {
  const files = tlsFiles(values['tls-cert'], values['tls-key']);
  return files && { cert: Buffer.from(readArgumentFile(files.certFile)), key: Buffer.from(readArgumentFile(files.keyFile)) };
}

async function serve(location: HubLocation, values: ServeValues, now: () => Date): Promise<number> {
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:8787');
  const tls = tlsOf(values);
  const limits = limitsOf(values);
  const trustProxy = (values['trust-proxy'] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const hub = await openHub(location, { role: 'serve', create: true, now });
  let running: RunningHub;
  try {
    // The serving process holds the answer key only; the province key stays where it is.
    running = await startHubServer(hub, loadAnswerKey(hub), { host, port, trustProxy, limits, ...(tls ? { tls } : {}) });
  } catch (error) {
    await hub.close();
    const code = (error as NodeJS.ErrnoException).code;
    const listen = `${host}:${port}`;
    if (code === 'EADDRINUSE') throw new UserError(`无法监听 ${listen}：端口已被占用（可能已有一个集中服务器在运行）。`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UserError(`无法监听 ${listen}：本机没有这个地址。`);
    if (code === 'EACCES') throw new UserError(`无法监听 ${listen}：没有权限使用该端口。`);
    if (error instanceof Error && /PEM|certificate|key/i.test(error.message) && tls) throw new UserError(`TLS 证书或私钥无法使用：请检查 --tls-cert 和 --tls-key 是否为配对的 PEM 文件。`);
    throw error;
  }
  // Tests and scripts read this first line to learn the address (with port 0, the real port).
  console.log(`签章集中服务器已启动，监听地址 ${running.url}`);
  console.log(`数据库：${location.databaseUrl ? '省厅 PostgreSQL' : `内置 PostgreSQL（${location.dataDir}）`}；应答公钥指纹：${answerFingerprint(hub)}${tls ? '；HTTPS' : ''}${trustProxy.length ? `；信任代理 ${trustProxy.join('、')}` : ''}`);
  if (!tls && host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    console.error('提示：本节点以明文 HTTP 监听非本机地址；工作站只接受 https:// 的集中服务器，请配置 --tls-cert/--tls-key 或由反向代理提供 TLS。');
  }
  if (location.provinceKeyPath && existsSync(location.provinceKeyPath)) {
    console.error(`提示：省级私钥文件 ${location.provinceKeyPath} 仍在服务器上。服务节点不读取它；正式部署请将其移至管理员电脑离线保管。`);
  }
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
  await hub.close();
  console.log(`签章集中服务器已停止（${signal}）。`);
  return 0;
}

