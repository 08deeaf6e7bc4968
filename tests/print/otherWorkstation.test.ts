import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedPublicationSchema, verifyPublication } from '../../core/hub/publication';
import { exportPublicKey } from '../../services/register/workstationKey';
import { loadSettings } from '../../services/settings/settings';
import { hubFolder, hubQuery, hubRows, removeTempDirs, runCli, runHubInProcess, startHub, type HubProcess } from '../support/hub';
import { clientOf, freshServices, tempDir } from '../support/services';
import { dispatch } from '../../services/dispatch';
import type { ServiceContext } from '../../services/context';
import { sealedOffice } from './office';
import { scanOfLastPage } from './pdfTools';

/**
 * Issue 13: an auditor at another office checks a paper without the database it was printed
 * from. The province's hub (a real process on real PostgreSQL) publishes the enrolled
 * workstations' public keys, signed with the province key; the auditor's workstation pulls them
 * with `seal-counter sync` and `seal-counter verify-print` checks the paper against them.
 */
/** Both workstations' and the hub's clock: a signed request must be within five minutes of the hub's. */
const CLOCK = '2026-11-24T16:00:00+08:00';
const ENV = { SEAL_COUNTER_CLOCK: CLOCK, TZ: 'UTC' };

let hub: HubProcess;
let dataDir: string;
let provinceKey: string;
/** The office that printed the paper, and the auditor's workstation elsewhere. */
let printer: { id: string; pdf: string; scan: string; proof: string; visitId: number };
let auditorDb: string;

/** The export-key file a workstation hands the administrator, enrolled with hub-enroll. */
async function enrol(ctx: ServiceContext): Promise<void> {
  const keyFile = join(tempDir(), 'key.json');
  writeFileSync(keyFile, JSON.stringify(exportPublicKey(ctx.workstation, loadSettings(ctx.db).officeName, ctx.clock.timestamp())));
  const run = await runHubInProcess(['hub-enroll', '--data', dataDir, '--yes', keyFile]);
  expect(run.code, run.stderr).toBe(0);
}

const hubCli = (args: string[]) => runCli([...args, '--data', dataDir], ENV);
const atAuditor = (args: string[]) => runCli([...args, '--db', auditorDb], ENV);

beforeAll(async () => {
  dataDir = await hubFolder('workstation-keys');
  provinceKey = (await runHubInProcess(['hub-province-key', '--data', dataDir])).stdout.trim();
  hub = await startHub(dataDir, { SEAL_COUNTER_CLOCK: CLOCK });

  const office = await sealedOffice();
  const printed = await office.call('print.form', { form: 'register-sheet', scope: { visitId: office.errorsVisitId } });
  const pdf = Buffer.from(printed.pdfBase64, 'base64');
  const dir = tempDir();
  printer = { id: office.services.ctx.workstation.id, pdf: join(dir, '登记表.pdf'), scan: join(dir, 'scan.png'), proof: printed.proofText, visitId: office.errorsVisitId };
  writeFileSync(printer.pdf, pdf);
  writeFileSync(printer.scan, scanOfLastPage(pdf));
  await enrol(office.services.ctx);
  office.services.close();

  const auditor = freshServices(new Date(CLOCK));
  const call = clientOf((name, request) => dispatch(auditor, name, request));
  await call('settings.save', { ...(await call('settings.get', {})), officeName: '自贡市人力资源和社会保障局', hub: { url: hub.url, provincePublicKey: provinceKey } });
  await enrol(auditor.ctx);
  auditorDb = auditor.dbPath;
  auditor.close();
}, 180_000);

afterAll(async () => {
  expect(await hub.stop()).toBe(0);
  await removeTempDirs();
});

describe('a paper from another workstation, checked with the keys the province publishes', () => {
  it('cannot be vouched for before the keys are published, and says where they come from', async () => {
    const sync = await atAuditor(['sync']);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    const run = await atAuditor(['verify-print', printer.pdf]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`无法核验：本机不认识打印这张印章使用登记表（第 ${printer.visitId} 号办证）的工作站 ${printer.id}。`);
    expect(run.stdout).toContain('其他工作站的公钥由省级中心发布');
  }, 120_000);

  it('hub-publish --workstation-keys signs every enrolled workstation\'s key with the province key', async () => {
    const run = await hubCli(['hub-publish', '--workstation-keys']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('已发布已登记工作站公钥第 1 版：共 2 个工作站（其中已注销 0 个）。');
    const [row] = await hubQuery<{ signed_json: string }>(dataDir, "SELECT signed_json FROM publications WHERE kind = 'workstation-keys'");
    const stored = SignedPublicationSchema.parse(JSON.parse(row!.signed_json));
    expect(verifyPublication(stored, new Uint8Array(Buffer.from(provinceKey, 'base64')))).toBe(true);
    if (stored.kind !== 'workstation-keys') throw new Error('a workstation-keys publication');
    expect(stored.payload.workstations.map((w) => w.workstationId)).toContain(printer.id);
    expect(await hubRows(dataDir, "SELECT count(*) FROM admin_log WHERE action = 'publish' AND subject LIKE '已登记工作站公钥%'")).toBe(1);
  }, 60_000);

  it('once pulled by sync, verifies the other office\'s PDF, its scan and its QR text without that office\'s database', async () => {
    const sync = await atAuditor(['sync']);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(sync.stdout).toContain('已采用集中服务器发布的已登记工作站公钥（第 1 版）。');

    const pdf = await atAuditor(['verify-print', printer.pdf]);
    expect(pdf.code, pdf.stdout).toBe(0);
    expect(pdf.stdout).toMatch(new RegExp(`^核验通过：这张印章使用登记表（第 ${printer.visitId} 号办证）由工作站 ${printer.id}（四川省人力资源和社会保障厅）打印，第 \\d+ 号登记。`));
    expect(pdf.stdout).toContain('PDF 上印的每一项文字都与二维码证明的内容一致。');

    const [scan, typed, forged] = await Promise.all([
      atAuditor(['verify-print', printer.scan]),
      atAuditor(['verify-print', printer.proof]),
      atAuditor(['verify-print', printer.proof.replace(/seq=(\d+)/, (_, n: string) => `seq=${Number(n) + 1}`)]),
    ]);
    for (const run of [scan, typed]) {
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toContain('本机没有该工作站的登记簿：签名证明这张纸由它打印');
    }
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(new RegExp(`^不予认可：二维码的签名与工作站 ${printer.id} 的公钥不符`));
  }, 120_000);

  it('after the printing workstation is revoked and the keys published again, says its key was revoked', async () => {
    expect((await hubCli(['hub-revoke', printer.id])).code).toBe(0);
    const publish = await hubCli(['hub-publish', '--workstation-keys']);
    expect(publish.stdout).toContain('已发布已登记工作站公钥第 2 版：共 2 个工作站（其中已注销 1 个）。');
    const sync = await atAuditor(['sync']);
    expect(sync.stdout).toContain('已采用集中服务器发布的已登记工作站公钥（第 2 版）。');
    const run = await atAuditor(['verify-print', printer.pdf]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^不予认可：打印这张印章使用登记表（第 ${printer.visitId} 号办证）的工作站 ${printer.id}（四川省人力资源和社会保障厅）的密钥已于 .* 被省级中心吊销。`));
  }, 120_000);
});
