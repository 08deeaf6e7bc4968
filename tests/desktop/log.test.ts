import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, saveSettings } from '../../services/settings/settings';
import { dispatch } from '../../services/dispatch';
import { logDirFor, openLog } from '../../services/log/log';
import { startBackgroundWork } from '../../services/startup';
import { createHubClient } from '../../services/sync/hubClient';
import { SyncAgent } from '../../services/sync/sync';
import { clientOf, eventually, freshServices, signInForTests, tempDir } from '../support/services';

/**
 * A packaged Windows app has no console: what the background tasks do, and every failure, goes to
 * a rotating file beside the database, which the administrator reads on 设置, and a failure stays
 * in the header until the same task succeeds again.
 */
const OFFICE_TIME = '2026-11-24T09:30:00+08:00';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the log file', () => {
  it('writes one JSON line per event, in the office’s time, to logs/ beside the database, rotating by size', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    const log = openLog(dbPath, () => OFFICE_TIME, { size: '2K', kept: 2 });
    expect(() => readdirSync(logDirFor(dbPath))).toThrow();
    for (let i = 0; i < 60; i++) {
      log.info('backup', `已备份数据文件：第 ${i} 次。`);
      await sleep(1);
    }
    log.error('sync', '同步出错，将按计划重试。', new TypeError('fetch failed'));
    const entries = await log.recent(1_000);
    await log.close();

    const dir = join(dirname(dbPath), 'logs');
    expect(readdirSync(dir).sort()).toEqual(['seal-counter.log', 'seal-counter.log.1', 'seal-counter.log.2']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThan(2 * 1024 + 200);
    const line = readFileSync(join(dir, 'seal-counter.log'), 'utf8').trim().split('\n').pop()!;
    expect(JSON.parse(line)).toMatchObject({ level: 'error', time: OFFICE_TIME, pid: process.pid, task: 'sync', message: '同步出错，将按计划重试。', err: { type: 'TypeError', message: 'fetch failed' } });

    // Newest first, across the files that are kept; the oldest lines rotated away.
    expect(entries[0]).toMatchObject({ level: 'error', task: 'sync', message: '同步出错，将按计划重试。', detail: expect.stringContaining('TypeError: fetch failed') });
    expect(entries[1]).toEqual({ time: OFFICE_TIME, level: 'info', task: 'backup', message: '已备份数据文件：第 59 次。', detail: null });
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.length).toBeLessThan(61);
  });

  it('skips a line a crash cut short, and filters by level', async () => {
    const dbPath = join(tempDir(), 'seal-counter.sqlite');
    const log = openLog(dbPath, () => OFFICE_TIME);
    log.warn('host', '已拒绝页面的 will-navigate：https://example.com/');
    log.info('host', '签章窗口已启动。');
    await log.close();
    appendFileSync(join(logDirFor(dbPath), 'seal-counter.log'), '{"level":"error","time":"2026-11-24T09:3');
    const reopened = openLog(dbPath, () => OFFICE_TIME);
    expect((await reopened.recent(10)).map((entry) => entry.message)).toEqual(['签章窗口已启动。', '已拒绝页面的 will-navigate：https://example.com/']);
    expect((await reopened.recent(10, 'warn')).map((entry) => entry.level)).toEqual(['warn']);
  });
});

describe('background failures, in the log and in the header', () => {
  it('shows a failed automatic backup until a backup succeeds again', async () => {
    const services = freshServices();
    const backupsPath = join(dirname(services.dbPath), 'backups');
    // A file where the backups folder should be: the backup cannot be written.
    writeFileSync(backupsPath, 'not a folder');
    const background = startBackgroundWork(services, { backupFirstDelayMs: 10, backupIntervalMs: 400 });
    try {
      const call = clientOf((name, request) => dispatch(services, name, request));
      const failures = await eventually(() => call('log.failures', {}), (value) => value.length > 0);
      expect(failures).toEqual([{ task: 'backup', label: '自动备份', message: expect.stringContaining('备份失败'), at: OFFICE_TIME }]);
      const [entry] = await services.ctx.log.recent(1, 'error');
      expect(entry).toMatchObject({ level: 'error', task: 'backup', message: expect.stringContaining(backupsPath) });

      rmSync(backupsPath);
      const cleared = await eventually(() => call('log.failures', {}), (value) => value.length === 0);
      expect(cleared).toEqual([]);
      expect((await services.ctx.log.recent(5)).map((e) => e.message)).toContainEqual(expect.stringContaining('已备份数据文件'));
    } finally {
      background.stop();
      services.close();
    }
  });

  it('shows a sync round that failed, retries it, and clears the notice when a round completes', async () => {
    const services = freshServices();
    saveSettings(services.ctx.db, { ...loadSettings(services.ctx.db), hub: { url: `http://127.0.0.1:${await freePort()}`, provincePublicKey: Buffer.alloc(32, 7).toString('base64') } });
    let rounds = 0;
    const agent = new SyncAgent(services.ctx, {
      client: ({ url }) => {
        rounds++;
        // The first round meets a fault of the agent's own; the next finds the hub simply offline.
        if (rounds === 1) throw new RangeError('a fault in the sync round');
        return createHubClient({ baseUrl: url, workstationId: services.ctx.workstation.id, answerPublicKey: null, sign: services.ctx.workstation.sign, now: services.ctx.clock.now });
      },
    });
    agent.start();
    try {
      const failed = await eventually(() => services.ctx.log.failures(), (failures) => failures.length > 0);
      expect(failed).toEqual([{ task: 'sync', label: '与集中服务器同步', message: '同步出错，将按计划重试。', at: OFFICE_TIME }]);
      expect((await services.ctx.log.recent(1, 'error'))[0]?.detail).toContain('RangeError: a fault in the sync round');
      // Retried after the first back-off (5 s) without anyone asking; offline is no failure.
      const cleared = await eventually(() => services.ctx.log.failures(), (failures) => failures.length === 0, 15_000);
      expect(cleared).toEqual([]);
      expect(agent.status().online).toBe(false);
    } finally {
      agent.stop();
      services.close();
    }
  }, 30_000);

  it('lets only the administrator read the log; every signed-in account sees the failures', async () => {
    const services = freshServices();
    try {
      signInForTests(services, { username: 'clerk1', displayName: '张三', role: 'clerk' });
      expect(await dispatch(services, 'log.recent', {})).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await dispatch(services, 'log.failures', {})).toEqual({ ok: true, value: [] });
      signInForTests(services);
      expect(await dispatch(services, 'log.recent', { limit: 10 })).toEqual({ ok: true, value: { dir: logDirFor(services.dbPath), entries: [] } });
    } finally {
      services.close();
    }
  });
});
