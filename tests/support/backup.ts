import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../services/dispatch';
import { openServices } from '../../services/open';
import { registerWitnessPathFor, workstationKeyPathFor } from '../../services/paths';
import { clientOf, freshServices, signInForTests, tempDir, upload } from './services';

/** The accountant pass list: 500 real-looking people to put on rosters. */
const ACCOUNTANTS = readFileSync(new URL('../../../shared/fixtures/approved/exam-intermediate-accountant-2025.csv', import.meta.url), 'utf8')
  .replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((line) => line.split(','));

export const START = new Date('2026-11-24T09:30:00+08:00');

type Opened = ReturnType<typeof openServices>;

/** Seals one visit for `count` people from the pass list, starting at `first`: three register entries. */
export async function sealVisit(services: Opened, first: number, count: number): Promise<void> {
  const call = clientOf((name, request) => dispatch(services, name, request));
  const rows = ACCOUNTANTS.slice(first, first + count).map((p, i) => `${i + 1},C${String(first + i + 1).padStart(5, '0')},${p[2]},${p[3]},${p[4]},${p[8]}`);
  const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
  const csv = ['序号,证书编号,姓名,性别,身份证号码,资格名称', ...rows].join('\n');
  await call('visits.importRoster', { visitId: visit.id, fileName: `roster-${first}.csv`, dataBase64: Buffer.from(csv).toString('base64') });
  await call('visits.seal', { visitId: visit.id });
}

/**
 * A real register made through the contract, closed: the pass list imported (500 people) and
 * three visits sealed (nine register entries, 300 certificates in the ledger).
 */
export async function realRegister(): Promise<{ dbPath: string; entryCount: number }> {
  const services = freshServices(START);
  const call = clientOf((name, request) => dispatch(services, name, request));
  await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
  for (const first of [0, 100, 200]) await sealVisit(services, first, 100);
  const entryCount = (services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get() as number);
  services.close();
  return { dbPath: services.dbPath, entryCount };
}

/** A copy of a closed database, with its workstation key and register witness beside it, in a folder of its own. */
export function copyOfDatabase(dbPath: string): string {
  const copy = join(tempDir(), 'seal-counter.sqlite');
  copyFileSync(dbPath, copy);
  for (const sidecar of [workstationKeyPathFor, registerWitnessPathFor]) copyFileSync(sidecar(dbPath), sidecar(copy));
  return copy;
}

/** Opens a database as the app does, signed in, with a clock the test can move. */
export function openAt(dbPath: string, start = START) {
  let now = start;
  const services = openServices(dbPath, () => now);
  signInForTests(services);
  return { ...services, setNow: (at: Date) => { now = at; } };
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The names in a folder, sorted, or [] when there is none. */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
