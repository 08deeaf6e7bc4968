import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { HUB_PATHS } from '../../core/hub/protocol';
import { enrol, hubFolder, hubRows, startHub, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * An acknowledged batch must be on disk, and a batch the hub was killed while storing must be
 * there wholly or not at all: the workstation will resend it, and the resend must neither fail
 * nor make a second copy.
 */
describe('the hub killed while storing a large batch', () => {
  const ws = new TestWorkstation('凉山州人力资源和社会保障局');
  for (let i = 1; i <= 5000; i++) {
    ws.seal({ certNo: `Z25220${String(i).padStart(5, '0')}`, idNumber: `5134011990${String(i).padStart(8, '0')}`, name: `测试${i}`, qualification: '中级工' });
  }
  const payload = ws.closeBatch();
  const body = Buffer.from(JSON.stringify(payload));
  const running = new Set<HubProcess>();

  afterAll(async () => {
    await Promise.all([...running].map((hub) => hub.stop()));
  });

  const held = async (dataDir: string) => ({
    batches: await hubRows(dataDir, 'SELECT COUNT(*) FROM batches'),
    entries: await hubRows(dataDir, 'SELECT COUNT(*) FROM entries'),
    certificates: await hubRows(dataDir, 'SELECT COUNT(*) FROM certificates'),
  });
  /** Whether the hub's connection is inside the transaction that stores the batch right now. */
  const storing = async (dataDir: string) => (await hubRows(dataDir, `SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'seal-counter-hub' AND state <> 'idle' AND xact_start IS NOT NULL AND query LIKE 'INSERT INTO %'`)) > 0;

  type Moment = 'just sent' | 'while writing' | 'after the answer';

  /** Pushes the batch and SIGKILLs the hub at the given moment; what the hub answered, if it did. */
  async function pushAndKill(hub: HubProcess, moment: Moment): Promise<string | null> {
    const url = new URL(HUB_PATHS.batches, hub.url);
    const headers = { ...ws.sign('POST', HUB_PATHS.batches, body), 'Content-Type': 'application/json', 'Content-Length': String(body.length) };
    const answer = await new Promise<string | null>((resolve) => {
      let text = '';
      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        void hub.kill().then(() => resolve(text || null));
      };
      const req = request(url, { method: 'POST', headers }, (response) => {
        response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
        // 'while writing' too, should the write have finished between two polls.
        response.on('end', kill);
      });
      req.on('error', kill);
      req.on('finish', () => {
        if (moment === 'just sent') kill();
        if (moment === 'while writing') {
          // Killed once its transaction is seen inserting rows (or, on a fast machine, just after).
          const poll = async (): Promise<void> => {
            if (killed) return;
            if (await storing(hub.dataDir)) return kill();
            setImmediate(() => { void poll(); });
          };
          void poll();
        }
      });
      req.end(body);
    });
    running.delete(hub);
    return answer;
  }

  it('keeps an acknowledged batch through SIGKILL, and a batch killed in transit or mid-write wholly or not at all; the resend leaves one copy', { timeout: 60_000 }, async () => {
    expect(payload.entries).toHaveLength(5000);
    const outcomes: string[] = [];
    for (const moment of ['just sent', 'while writing', 'after the answer'] as const) {
      const dataDir = await hubFolder(`crash-${outcomes.length}`);
      const first = await startHub(dataDir);
      running.add(first);
      await enrol(dataDir, ws);
      const answer = await pushAndKill(first, moment);

      const restarted = await startHub(dataDir);
      running.add(restarted);
      const state = await held(dataDir);
      if (moment === 'after the answer') {
        expect(JSON.parse(answer ?? '{}')).toMatchObject({ status: 'accepted', batchNo: 1 });
        expect(state).toEqual({ batches: 1, entries: 5000, certificates: 5000 });
      } else {
        expect([{ batches: 0, entries: 0, certificates: 0 }, { batches: 1, entries: 5000, certificates: 5000 }]).toContainEqual(state);
      }

      const resend = await ws.client(restarted).pushBatch(payload);
      expect(resend.kind).toBe(state.batches === 0 ? 'accepted' : 'duplicate');
      expect(resend).toMatchObject({ batchNo: 1, nextBatchNo: 2, nextSeq: 5001 });
      expect(await held(dataDir)).toEqual({ batches: 1, entries: 5000, certificates: 5000 });
      expect(await ws.client(restarted).state()).toMatchObject({ kind: 'state', lastBatchNo: 1, lastSeq: 5000, lastHash: payload.batch.lastHash });
      expect(await restarted.stop()).toBe(0);
      running.delete(restarted);
      outcomes.push(`${moment}: ${state.batches === 0 ? 'nothing held' : 'whole batch held'}`);
    }
    // Which instant a kill hits depends on the machine; both outcomes are correct for the first two.
    console.log(`SIGKILL — ${outcomes.join('; ')}`);
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
