import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../../core/register/signing';
import { keyFingerprint } from '../../core/hub/answer';
import type { HubStatus } from '../../hub/status';
import { FIXTURES_DIR, hubQuery, hubRows, runCli, runHubInProcess, tempDir, TestWorkstation, removeTempDirs } from '../support/hub';
import { newTestDatabase } from '../support/postgres';

/**
 * The province administrator's commands. They work on the hub's data folder whether or not the
 * hub is running, and every mistake is explained in Chinese with a non-zero exit code.
 */
describe('hub admin commands', () => {
  const dataDir = tempDir();
  let databaseUrl: string;
  const files = tempDir('seal-admin-');
  const write = (name: string, text: string) => {
    const path = join(files, name);
    writeFileSync(path, text);
    return path;
  };
  const keyExport = (ws: TestWorkstation, changes: Record<string, unknown> = {}) => JSON.stringify({
    format: 'seal-counter-workstation-key/1',
    workstationId: ws.id,
    publicKey: Buffer.from(ws.keys.publicKey).toString('base64'),
    officeName: ws.officeName,
    exportedAt: '2026-11-24T09:00:00+08:00',
    ...changes,
  });

  beforeAll(async () => {
    databaseUrl = await newTestDatabase('admin');
    const init = await runCli(['hub-init', '--data', dataDir, '--database-url', databaseUrl]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/省级公钥：[A-Za-z0-9+/]{43}=（指纹 [0-9A-F]{4}( [0-9A-F]{4}){7}）/);
    expect(init.stdout).toMatch(/省级私钥在 .*province-key\.json：请离线保管/);
  }, 60_000);

  it('enrols a workstation from its exported key, and enrolling it again changes nothing', async () => {
    const ws = new TestWorkstation('广元市人力资源和社会保障局');
    const file = write('guangyuan.json', keyExport(ws));
    const first = await runCli(['hub-enroll', '--data', dataDir, file, '--operator', '王管理']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`已登记工作站 ${ws.id}（广元市人力资源和社会保障局）。（操作人 王管理）`);
    const fingerprint = keyFingerprint(ws.keys.publicKey);
    expect(first.stdout).toContain(`公钥指纹：${fingerprint}`);
    expect(first.stdout).toMatch(/集中服务器应答公钥：[A-Za-z0-9+/]{43}=/);
    const again = await runHubInProcess(['hub-enroll', '--data', dataDir, file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('未作改动');
    expect(await hubRows(dataDir, 'SELECT COUNT(*) FROM workstations WHERE id = $1', ws.id)).toBe(1);
    // Who did it, and the fingerprint shown, are on record; the unchanged second run adds nothing.
    expect(await hubQuery(dataDir, "SELECT action, operator, fingerprint FROM admin_log WHERE subject = $1", ws.id)).toEqual([{ action: 'enrol', operator: '王管理', fingerprint }]);
  });

  it('refuses key files that are not what a workstation exports, saying why', async () => {
    const ws = new TestWorkstation('遂宁市人力资源和社会保障局');
    const cases: [string, string, RegExp][] = [
      ['not-json.json', '{"format": "seal-counter-workstation-key/1",', /不是有效的 JSON/],
      ['wrong-format.json', keyExport(ws, { format: 'seal-counter-private-key/1' }), /格式为“seal-counter-private-key\/1”/],
      ['missing.json', JSON.stringify({ format: 'seal-counter-workstation-key/1', workstationId: ws.id }), /缺少工作站公钥文件应有的字段/],
      ['short-key.json', keyExport(ws, { publicKey: Buffer.alloc(31).toString('base64') }), /不是 32 字节的 Ed25519 公钥/],
      ['other-id.json', keyExport(ws, { publicKey: Buffer.from(generateEd25519KeyPair().publicKey).toString('base64') }), new RegExp(`工作站编号 ${ws.id} 与其公钥不符`)],
    ];
    for (const [name, text, message] of cases) {
      const run = await runHubInProcess(['hub-enroll', '--data', dataDir, write(name, text)]);
      expect(run.code, name).toBe(1);
      expect(run.stderr, name).toMatch(message);
    }
    const absent = await runHubInProcess(['hub-enroll', '--data', dataDir, join(files, 'absent.json')]);
    expect(absent.stderr).toMatch(/无法读取文件.*文件不存在/);
    expect(await hubRows(dataDir, 'SELECT COUNT(*) FROM workstations WHERE id = $1', ws.id)).toBe(0);
  });

  it('requires --data, and takes for a hub only a folder that holds one or is empty', async () => {
    // Through the real CLI once, to see the exit code and message reach the shell.
    const noData = await runCli(['hub-status']);
    expect(noData.code).toBe(1);
    expect(noData.stderr).toMatch(/需要用 --data DIR 指定集中服务器的数据目录/);
    const typo = await runHubInProcess(['hub-province-key', '--data', join(tempDir(), 'hub-typo')]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/没有集中服务器的数据/);
    const otherFolder = tempDir();
    writeFileSync(join(otherFolder, 'notes.txt'), '');
    expect((await runHubInProcess(['hub-province-key', '--data', otherFolder])).stderr).toMatch(/没有集中服务器的数据/);
    // An empty folder made for the purpose is taken as a new hub, with its own PostgreSQL, which
    // the command starts for its own use and stops again.
    const emptyFolder = tempDir();
    const created = await runHubInProcess(['hub-province-key', '--data', emptyFolder]);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(existsSync(join(emptyFolder, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(emptyFolder, 'postgres', 'postmaster.pid'))).toBe(false);
    const unknown = await runHubInProcess(['hub-frobnicate', '--data', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/未知命令“hub-frobnicate”/);
    const revokeNobody = await runHubInProcess(['hub-revoke', '--data', dataDir, 'WS-000000000000']);
    expect(revokeNobody.code).toBe(1);
    expect(revokeNobody.stderr).toMatch(/没有登记工作站 WS-000000000000/);
  });

  it('refuses key files that do not belong to the hub database: a province key to publish with, an answer key to serve with', async () => {
    const other = tempDir();
    expect((await runHubInProcess(['hub-init', '--data', other, '--database-url', await newTestDatabase('other')])).code).toBe(0);
    copyFileSync(join(dataDir, 'province-key.json'), join(other, 'province-key.json'));
    const publishing = await runHubInProcess(['hub-publish', '--data', other, '--slips', join(FIXTURES_DIR, 'slips.csv')]);
    expect(publishing.code).toBe(1);
    expect(publishing.stderr).toMatch(/省级私钥文件.*不是本集中服务器的密钥/);
    copyFileSync(join(dataDir, 'hub-key.json'), join(other, 'hub-key.json'));
    const serving = await runHubInProcess(['hub', '--data', other, '--listen', '127.0.0.1:0']);
    expect(serving.code).toBe(1);
    expect(serving.stderr).toMatch(/应答私钥文件.*不是本集中服务器的应答密钥.*同一份 hub-key\.json/);
  });

  it('reports enrolled workstations, what is held from each, conflicts and refusals', async () => {
    const ws = new TestWorkstation('内江市人力资源和社会保障局');
    expect((await runHubInProcess(['hub-enroll', '--data', dataDir, write('neijiang.json', keyExport(ws))])).code).toBe(0);
    expect((await runHubInProcess(['hub-revoke', '--data', dataDir, ws.id])).code).toBe(0);

    const json = await runHubInProcess(['hub-status', '--data', dataDir, '--json']);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as HubStatus;
    expect(status.workstations.find((w) => w.id === ws.id)).toMatchObject({ officeName: '内江市人力资源和社会保障局', batches: 0, entries: 0, lastBatchNo: 0 });
    expect(status.workstations.find((w) => w.id === ws.id)!.revokedAt).not.toBeNull();
    expect(status).toMatchObject({ store: 'postgresql', conflicts: 0, equivocations: 0, refusals: 0, publications: [] });
    expect(status.serverVersion).toMatch(/^\d+(\.\d+)?/);
    expect(status.workstations.find((w) => w.id === ws.id)).toMatchObject({ lagMinutes: null, refusals: 0, conflicts: 0 });

    // The province's server named directly, without the folder.
    const direct = await runHubInProcess(['hub-status', '--database-url', databaseUrl, '--json']);
    expect(JSON.parse(direct.stdout)).toMatchObject({ store: 'postgresql', database: expect.stringContaining(':***@'), provincePublicKey: status.provincePublicKey });

    const text = await runHubInProcess(['hub-status', '--data', dataDir]);
    expect(text.stdout).toContain(`${ws.id}  内江市人力资源和社会保障局  已注销`);
    expect(text.stdout).toMatch(/拒绝的请求：0 次/);
    expect(text.stdout).toMatch(/数据库：PostgreSQL \d+/);
  });

  it('lists the hub commands in the CLI help', async () => {
    const help = await runCli(['--help']);
    for (const command of ['hub (--data DIR | --database-url URL)', 'hub-init', 'hub-enroll', 'hub-revoke', 'hub-publish', 'hub-province-key', 'hub-status', 'hub-backup', 'hub-restore', 'hub-verify']) expect(help.stdout).toContain(command);
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
