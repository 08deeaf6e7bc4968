import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { UserError } from '../core/errors';

/**
 * The reverse proxy in front of several hub nodes: the nginx configuration a province uses
 * (hub-proxy-config prints it), and a way to run exactly that configuration unprivileged in a
 * folder, which the proxy test and the load test do. nginx holds TLS for the workstations and
 * spreads requests over the nodes; each node trusts X-Forwarded-For only from the proxy's
 * address (--trust-proxy), which `proxy_bind` fixes.
 */
export interface ProxyOptions {
  /** Where nginx listens for workstations, e.g. 0.0.0.0:443 or 127.0.0.1:18443. */
  listen: string;
  /** The nodes, host:port each. */
  nodes: readonly string[];
  /** PEM files: nginx speaks HTTPS to workstations. */
  tls?: { certFile: string; keyFile: string };
  /** The address nginx connects to the nodes from: what each node's --trust-proxy names. */
  bindAddress?: string;
  /** Runs nginx unprivileged in this folder: pid, logs and temporary files inside it. */
  prefix?: string;
}

export function nginxConfig(options: ProxyOptions): string {
  const inFolder = options.prefix !== undefined;
  const lines = [
    '# Seal Counter hub: nginx in front of the hub nodes (seal-counter hub-proxy-config).',
    inFolder ? 'pid nginx.pid;' : '',
    inFolder ? 'error_log stderr warn;' : 'error_log /var/log/nginx/seal-counter-hub.error.log warn;',
    'worker_processes auto;',
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    inFolder ? '  client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi; uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;' : '',
    '  # Per client address, in front of every node together (each node also limits itself).',
    '  limit_req_zone $binary_remote_addr zone=seal_hub_rate:10m rate=50r/s;',
    '  limit_conn_zone $binary_remote_addr zone=seal_hub_conn:10m;',
    '  upstream seal_counter_hub {',
    ...options.nodes.map((node) => `    server ${node} max_fails=1 fail_timeout=2s;`),
    '    keepalive 64;',
    '  }',
    '  server {',
    `    listen ${options.listen}${options.tls ? ' ssl' : ''};`,
    ...(options.tls ? [`    ssl_certificate ${options.tls.certFile};`, `    ssl_certificate_key ${options.tls.keyFile};`, '    ssl_protocols TLSv1.2 TLSv1.3;'] : []),
    '    # Bodies are checked by the nodes before they are read: nginx passes them on as they come.',
    '    client_max_body_size 64m;',
    '    proxy_request_buffering off;',
    '    client_header_timeout 10s;',
    '    client_body_timeout 60s;',
    '    limit_req zone=seal_hub_rate burst=200 nodelay;',
    '    limit_conn seal_hub_conn 64;',
    '    location / {',
    '      proxy_pass http://seal_counter_hub;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $host;',
    '      # The node believes this only from the address below (its --trust-proxy).',
    '      proxy_set_header X-Forwarded-For $remote_addr;',
    options.bindAddress ? `      proxy_bind ${options.bindAddress};` : '',
    '      # A push is never retried at another node by nginx: the workstation resends it, signed anew.',
    '      proxy_next_upstream error timeout;',
    '      proxy_connect_timeout 2s;',
    '      proxy_read_timeout 300s;',
    '    }',
    '  }',
    '}',
    '',
  ];
  return lines.filter((line) => line !== '').join('\n');
}

export interface RunningProxy {
  url: string;
  stop(): Promise<void>;
}

/** Starts nginx on the configuration above in `options.prefix` and waits until it accepts connections. */
export async function runNginx(options: ProxyOptions & { prefix: string }): Promise<RunningProxy> {
  // Debian puts it in /usr/sbin, which is not on every PATH.
  const nginx = ['nginx', '/usr/sbin/nginx'].find((candidate) => spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0);
  if (!nginx) throw new UserError('找不到 nginx。请先安装：apt-get install -y nginx-light');
  mkdirSync(join(options.prefix, 'tmp'), { recursive: true });
  writeFileSync(join(options.prefix, 'nginx.conf'), nginxConfig(options));
  const child: ChildProcess = spawn(nginx, ['-p', options.prefix, '-c', 'nginx.conf', '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const [host, port] = splitHostPort(options.listen);
  for (let waited = 0; ; waited += 50) {
    if (child.exitCode !== null) throw new UserError(`nginx 未能启动：${stderr.trim()}`);
    if (await accepts(host, port)) break;
    if (waited > 10_000) {
      child.kill('SIGKILL');
      throw new UserError(`nginx 在 10 秒内没有开始监听 ${options.listen}：${stderr.trim()}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    stop: async () => {
      // QUIT: finish what is under way, then stop.
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

function splitHostPort(listen: string): [string, number] {
  const at = listen.lastIndexOf(':');
  return [listen.slice(0, at), Number(listen.slice(at + 1))];
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
