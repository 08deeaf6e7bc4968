import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDataFileFree, dataFileHolder, holdDataFile } from '../../services/instance/dataFileLock';
import { openServices } from '../../services/open';
import { exchangeLaunchUrl, loopbackClient } from '../support/loopback';
import { REPO_DIR, tempDir } from '../support/services';

/**
 * One program per data file, with real processes: the loopback host holds the file while it
 * runs; a second start and the command line's writing commands are refused with one Chinese
 * sentence naming who has it; reading commands still work; and a host that was killed leaves no
 * lock behind.
 */
const CLOCK = { SEAL_COUNTER_CLOCK: '2026-11-24T09:30:00+08:00' };

interface RunningHost {
  child: ChildProcess;
  output: () => string;
  launchUrl: string;
}

function startHost(dbPath: string): Promise<RunningHost> {
  // Node itself, with tsx as a loader: the process that holds the lock is the one the test kills.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--db', dbPath, '--no-open'], { cwd: REPO_DIR, env: { ...process.env, ...CLOCK }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?launch=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output: () => output, launchUrl: match[0] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the host exited (${code}):\n${output}`)));
  });
}

function runHostToEnd(dbPath: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--db', dbPath, '--no-open'], { cwd: REPO_DIR, env: { ...process.env, ...CLOCK }, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

function cli(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), ...args], { cwd: REPO_DIR, env: { ...process.env, ...CLOCK }, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('while the loopback host runs on a data file', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'seal-counter.sqlite');
  const settingsFile = join(dir, 'settings.json');
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost(dbPath);
    writeFileSync(settingsFile, '{}');
  });
  afterAll(async () => {
    host.child.kill('SIGTERM');
    await exited(host.child);
  });

  it('prints a one-time address, never the session’s secret', async () => {
    const cookie = await exchangeLaunchUrl(host.launchUrl);
    expect(cookie).not.toBeNull();
    const secret = cookie!.split('=')[1]!;
    expect(host.output()).not.toContain(secret);
    expect(host.output()).toContain('只能使用一次');
    expect(await loopbackClient(new URL(host.launchUrl).origin + '/', cookie).call('auth.status', {})).toMatchObject({ ok: true, value: { needsSetup: true } });
  });

  it('refuses a second start on the same file, naming the first and its address', () => {
    const second = runHostToEnd(dbPath);
    expect(second.status).toBe(1);
    const address = new URL(host.launchUrl).origin + '/';
    expect(second.output.trim()).toBe(
      `签章窗口无法启动：签章窗口（浏览器窗口）正在使用数据文件“${dbPath}”（进程 ${host.child.pid}，自 2026-` +
      second.output.split('自 2026-')[1]!.split('，地址')[0] +
      `，地址 ${address}（在该地址打开的新窗口需要登录））。同一数据文件同时只能由一个程序使用，请切换到已打开的签章窗口，或先关闭它。`,
    );
  });

  it('refuses the command line’s writing commands, as restore always was', () => {
    const refusal = (command: string): unknown => expect.stringContaining(`${command} 会改动数据，未执行：签章窗口（浏览器窗口）正在使用数据文件“${dbPath}”（进程 ${host.child.pid}`);
    const closeDay = cli('close-day', '--db', dbPath);
    expect(closeDay).toEqual({ status: 1, output: refusal('close-day') });
    expect(cli('settings-import', settingsFile, '--db', dbPath)).toEqual({ status: 1, output: refusal('settings-import') });
    expect(cli('import-list', join(REPO_DIR, '..', 'shared', 'fixtures', 'approved', 'senior-engineers-2025.xlsx'), '--db', dbPath)).toEqual({ status: 1, output: refusal('import-list') });
    expect(cli('sync', '--db', dbPath)).toEqual({ status: 1, output: refusal('sync') });
    expect(cli('restore', join(dir, 'no-such-backup.sqlite'), '--db', dbPath)).toEqual({ status: 1, output: expect.stringContaining('无法恢复：签章窗口（浏览器窗口）正在使用数据文件') });
  });

  it('still answers the reading commands', () => {
    expect(cli('register-verify', '--db', dbPath)).toMatchObject({ status: 0, output: expect.stringContaining('登记簿完整') });
    expect(cli('batch-verify', '--db', dbPath)).toMatchObject({ status: 0 });
  });
});

describe('a lock that outlives nothing', () => {
  it('is released when the host is killed outright: the file can be used at once', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    const host = await startHost(dbPath);
    expect(dataFileHolder(dbPath)).toMatchObject({ kind: 'loopback', pid: host.child.pid });
    host.child.kill('SIGKILL');
    await exited(host.child);
    expect(dataFileHolder(dbPath)).toBeNull();
    expect(cli('close-day', '--db', dbPath)).toMatchObject({ status: 0, output: expect.stringContaining('无需日结') });
    const next = await startHost(dbPath);
    next.child.kill('SIGTERM');
    await exited(next.child);
    // Ended in order: the holder's note beside the file is gone with the lock.
    expect(existsSync(`${dbPath}.lock.json`)).toBe(false);
  });

  it('is held by a writing command for as long as it runs, and the app refuses to start meanwhile', () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    const command = holdDataFile(dbPath, { kind: 'cli', command: 'import-list' }, 'import-list 会改动数据，未执行');
    try {
      expect(() => openServices(dbPath, () => new Date(), { holdAs: 'electron' })).toThrow(`签章窗口无法启动：命令行（import-list）正在使用数据文件“${dbPath}”`);
      expect(() => assertDataFileFree(dbPath, 'close-day 会改动数据，未执行')).toThrow('请等该命令结束后再试');
      // Refused before the file was opened: no database was made.
      expect(existsSync(dbPath)).toBe(false);
    } finally {
      command.release();
    }
    const app = openServices(dbPath, () => new Date(), { holdAs: 'electron' });
    expect(dataFileHolder(dbPath)).toMatchObject({ kind: 'electron', pid: process.pid });
    app.close();
    expect(dataFileHolder(dbPath)).toBeNull();
  });
});
