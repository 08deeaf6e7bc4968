import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { openServices } from '../../services/open';
import { verifyLiveRegister } from '../../services/register/chain';
import { clientOf, fixtureBytes, freshServices, REPO_DIR, upload } from '../support/services';

const VISITS = 100;
const ROWS_PER_VISIT = 5;
const KILLS = 25;

/** 100 open visits of five exam certificates each, every row passing, ready to seal. */
async function prepareCounter(): Promise<string> {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
  const people = fixtureBytes('approved/exam-intermediate-accountant-2025.csv').toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1)
    .map((line) => line.split(','));
  for (let v = 0; v < VISITS; v++) {
    const rows = people.slice(v * ROWS_PER_VISIT, (v + 1) * ROWS_PER_VISIT)
      .map((p, i) => `${i + 1},K${String(v * ROWS_PER_VISIT + i + 1).padStart(5, '0')},${p[2]},${p[3]},${p[4]},${p[8]}`);
    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    const detail = await call('visits.importRoster', { visitId: visit.id, fileName: `r${v}.csv`, dataBase64: Buffer.from(`序号,证书编号,姓名,性别,身份证号码,资格名称\n${rows.join('\n')}\n`).toString('base64') });
    expect(detail.visit.counts.sealable).toBe(ROWS_PER_VISIT);
  }
  services.close();
  return services.ctx.dbPath;
}

/** Runs the sealer and kills it with SIGKILL a random moment after it starts sealing; returns the visits it confirmed. */
function sealUntilKilled(dbPath: string, killAfterMs: number): Promise<{ confirmed: number[]; finished: boolean }> {
  return new Promise((resolve, reject) => {
    // node itself, not the tsx launcher: SIGKILL must hit the process that writes, not a parent of it.
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_DIR, 'tests', 'support', 'crashSealer.ts'), dbPath], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'Asia/Shanghai' } });
    const confirmed: number[] = [];
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString('utf8'); });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const lines = output.split('\n');
      output = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ready')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const sealed = /^sealed (\d+)$/.exec(line);
        if (sealed) confirmed.push(Number(sealed[1]));
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ confirmed, finished: code === 0 });
      else reject(new Error(`the sealer failed (${code}):\n${errors}`));
    });
  });
}

/** What must hold after any crash: a sound file, an intact chain, each visit sealed wholly or not at all. */
function checkAfterCrash(dbPath: string, everConfirmed: Set<number>): number {
  const services = openServices(dbPath);
  try {
    const { db } = services.ctx;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const chain = verifyLiveRegister(services.ctx);
    expect(chain, JSON.stringify(chain)).toMatchObject({ intact: true });
    const visits = db.prepare(
      `SELECT v.id, v.sealed_at IS NOT NULL AS sealed,
         (SELECT count(*) FROM register_entries e WHERE e.visit_id = v.id) AS entries,
         (SELECT count(*) FROM certificates c WHERE c.visit_id = v.id) AS certificates,
         (SELECT count(*) FROM visit_rows r WHERE r.visit_id = v.id AND r.sealed_findings IS NOT NULL) AS keptRows
       FROM visits v`,
    ).all() as { id: number; sealed: number; entries: number; certificates: number; keptRows: number }[];
    for (const v of visits) {
      // The exam seals: steel and red on certificates, red on forms.
      if (v.sealed) expect(v, `visit ${v.id} sealed wholly`).toMatchObject({ entries: 3, certificates: ROWS_PER_VISIT, keptRows: ROWS_PER_VISIT });
      else expect(v, `visit ${v.id} not sealed at all`).toMatchObject({ entries: 0, certificates: 0, keptRows: 0 });
    }
    const sealed = new Set(visits.filter((v) => v.sealed).map((v) => v.id));
    for (const id of everConfirmed) expect(sealed.has(id), `visit ${id} was confirmed sealed`).toBe(true);
    return sealed.size;
  } finally {
    services.close();
  }
}

describe('sealing killed with SIGKILL at random moments', () => {
  it('leaves a sound register every time: integrity ok, chain intact, visits wholly sealed or not, nothing confirmed lost', async () => {
    const dbPath = await prepareCounter();
    const everConfirmed = new Set<number>();
    let survived = 0;
    let sealed = 0;
    // How long the sealer runs before its kill: narrowed when a run seals many visits, so that a
    // fast machine still gets its KILLS crashes before every visit is sealed.
    let windowMs = 25;
    for (let kill = 0; kill < KILLS && sealed < VISITS; kill++) {
      const { confirmed, finished } = await sealUntilKilled(dbPath, Math.floor(Math.random() * windowMs));
      if (confirmed.length > 3) windowMs = Math.max(2, windowMs / 2);
      for (const id of confirmed) everConfirmed.add(id);
      sealed = checkAfterCrash(dbPath, everConfirmed);
      if (!finished) survived++;
    }
    console.log(`survived ${survived} SIGKILLs during sealing; ${sealed} of ${VISITS} visits sealed, ${everConfirmed.size} of them confirmed before a kill`);
    expect(survived).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
