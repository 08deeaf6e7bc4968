import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLICATION_KINDS, SignedPublicationSchema, verifyPublication, type SignedPublication } from '../../core/hub/publication';
import { generateEd25519KeyPair } from '../../core/register/signing';
import { clone, enrol, FIXTURES_DIR, hubFolder, hubRows, runCli, startHub, tempDir, TestWorkstation, removeTempDirs, type HubProcess } from '../support/hub';

/**
 * DOMAIN.md §9: the hub publishes approved lists and stamp-slip issuance signed by the province's
 * key; workstations pull them and verify them before use. The province key is not on the serving
 * machine: the administrator keeps it and hands it to hub-publish.
 */
describe('publications signed with the province key', () => {
  let hub: HubProcess;
  let provinceKey: Uint8Array;
  let dataDir: string;
  /** The administrator's machine, where the province key is kept. */
  const adminDir = tempDir('seal-admin-');
  const adminKey = join(adminDir, 'province-key.json');
  const ws = new TestWorkstation('自贡市人力资源和社会保障局');
  const fixture = (path: string) => join(FIXTURES_DIR, path);
  const index = JSON.parse(readFileSync(fixture('approved/index.json'), 'utf8')) as { lists: { file: string; 批准文号: string; dataRows: number }[] };
  const listInfo = (file: string) => index.lists.find((l) => l.file === file)!;

  const pull = async (): Promise<SignedPublication[]> => {
    const result = await ws.client(hub).publications();
    if (result.kind !== 'publications') throw new Error(JSON.stringify(result));
    return result.publications;
  };

  beforeAll(async () => {
    dataDir = await hubFolder('publications');
    // As the deployment guide says: the key leaves the server before the nodes start.
    renameSync(join(dataDir, 'province-key.json'), adminKey);
    hub = await startHub(dataDir);
    await enrol(dataDir, ws);
    const printed = await runCli(['hub-province-key', '--data', dataDir]);
    provinceKey = new Uint8Array(Buffer.from(printed.stdout.trim(), 'base64'));
  }, 60_000);
  afterAll(async () => {
    expect(await hub.stop()).toBe(0);
  });

  it('prints the province public key, whose private half stays in an owner-only file outside the database and off the serving machine', async () => {
    expect(provinceKey).toHaveLength(32);
    const keyFile = JSON.parse(readFileSync(adminKey, 'utf8')) as { publicKey: string; privateKey: string };
    expect(keyFile.publicKey).toBe(Buffer.from(provinceKey).toString('base64'));
    if (process.platform !== 'win32') expect(statSync(adminKey).mode & 0o777).toBe(0o600);
    expect(await hubRows(dataDir, "SELECT count(*) FROM hub_meta WHERE strpos(value, $1) > 0", keyFile.privateKey)).toBe(0);
    // The node serves with only its answer key beside it.
    expect(existsSync(join(dataDir, 'province-key.json'))).toBe(false);
    expect((await ws.client(hub).health()).kind).toBe('ok');
  });

  it('refuses to publish without the province key, saying where to give it', async () => {
    const run = await runCli(['hub-publish', '--data', dataDir, '--slips', fixture('slips.csv')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/找不到省级私钥文件.*--province-key/);
    const other = join(tempDir(), 'other-key.json');
    writeFileSync(other, JSON.stringify({ format: 'seal-counter-province-key/1', ...(() => { const k = generateEd25519KeyPair(); return { publicKey: Buffer.from(k.publicKey).toString('base64'), privateKey: Buffer.from(k.privateKey).toString('base64') }; })(), createdAt: '2026-11-24T09:00:00+08:00' }), { mode: 0o600 });
    const wrong = await runCli(['hub-publish', '--data', dataDir, '--province-key', other, '--slips', fixture('slips.csv')]);
    expect(wrong.stderr).toMatch(/不是本集中服务器的密钥/);
    expect(await hubRows(dataDir, 'SELECT count(*) FROM publications')).toBe(0);
  });

  it('serves nothing before anything is published', async () => {
    expect(await pull()).toEqual([]);
  });

  it('publishes real approved lists and slips, which workstations pull and verify with the province key', async () => {
    const accountants = 'approved/exam-intermediate-accountant-2025.csv';
    const seniors = 'approved/senior-engineers-2025.xlsx';
    const run = await runCli(['hub-publish', '--data', dataDir, '--province-key', adminKey, '--list', fixture(accountants), '--list', fixture(seniors), '--slips', fixture('slips.csv')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/已发布批准名单第 1 版/);
    expect(run.stdout).toMatch(/已发布签章凭条发放记录第 1 版/);

    const publications = await pull();
    expect(publications.map((p) => `${p.kind} ${p.version}`).sort()).toEqual(['approved-lists 1', 'slips 1']);
    for (const publication of publications) expect(verifyPublication(publication, provinceKey)).toBe(true);

    const lists = publications.find((p) => p.kind === 'approved-lists')!;
    if (lists.kind !== 'approved-lists') throw new Error('kind');
    const byDoc = new Map(lists.payload.lists.map((l) => [l.approvalDoc, l]));
    for (const file of [accountants, seniors]) {
      const info = listInfo(file);
      expect(byDoc.get(info.批准文号)?.rows).toHaveLength(info.dataRows);
      expect(byDoc.get(info.批准文号)?.sourceFile).toBe(file.split('/').pop());
    }
    const slips = publications.find((p) => p.kind === 'slips')!;
    if (slips.kind !== 'slips') throw new Error('kind');
    const slipLines = readFileSync(fixture('slips.csv'), 'utf8').trim().split(/\r?\n/).length - 1;
    expect(slips.payload.slips).toHaveLength(slipLines);
    expect(slips.payload.slips[0]).toEqual({ slipNo: 'QZ2025-0001', unit: '绵阳市人力资源和社会保障局', year: 2025, issuedOn: '2025-01-02' });
  });

  it('fails verification when one byte of a publication is changed, or when checked with another key', async () => {
    const [publication] = await pull();
    const tampered = clone(publication!);
    if (tampered.kind === 'approved-lists') tampered.payload.lists[0]!.rows[0]!.idNumber = tampered.payload.lists[0]!.rows[0]!.idNumber.replace(/.$/, (c) => (c === '1' ? '2' : '1'));
    else if (tampered.kind === 'slips') tampered.payload.slips[0]!.unit += '。';
    expect(verifyPublication(tampered, provinceKey)).toBe(false);
    expect(verifyPublication({ ...publication!, version: publication!.version + 1 }, provinceKey)).toBe(false);
    expect(verifyPublication(publication!, generateEd25519KeyPair().publicKey)).toBe(false);
    expect(verifyPublication(publication!, provinceKey)).toBe(true);
  });

  it('validates the shape of an untrusted publication before it is verified', () => {
    expect(SignedPublicationSchema.safeParse({ format: 'seal-counter-publication/1', kind: 'slips', version: 1, publishedAt: 'x', payload: { slips: [{ slipNo: 'A' }] }, signature: 'AA==' }).success).toBe(false);
    expect(SignedPublicationSchema.safeParse({ format: 'other', kind: 'slips', version: 1, publishedAt: 'x', payload: { slips: [] }, signature: 'A'.repeat(86) + '==' }).success).toBe(false);
  });

  it('publishes the whole current set each time: a new list joins those already published, under the next version', async () => {
    const economists = 'approved/exam-economist-2025.gbk.csv';
    const run = await runCli(['hub-publish', '--data', dataDir, '--province-key', adminKey, '--list', fixture(economists)]);
    expect(run.code).toBe(0);
    const publications = await pull();
    const lists = publications.find((p) => p.kind === 'approved-lists')!;
    expect(lists.version).toBe(2);
    expect(verifyPublication(lists, provinceKey)).toBe(true);
    if (lists.kind !== 'approved-lists') throw new Error('kind');
    expect(lists.payload.lists.map((l) => l.approvalDoc).sort()).toEqual([
      listInfo('approved/exam-intermediate-accountant-2025.csv').批准文号,
      listInfo(economists).批准文号,
      listInfo('approved/senior-engineers-2025.xlsx').批准文号,
    ].sort());
    // The slips were not republished.
    expect(publications.find((p) => p.kind === 'slips')!.version).toBe(1);
  });

  it('sends a workstation only what is newer than what it holds, and nothing at all (304) when nothing changed', async () => {
    const client = ws.client(hub);
    const all = await client.publications();
    if (all.kind !== 'publications') throw new Error(JSON.stringify(all));
    // One version a kind, the workstations' keys too: a new version of any kind is a new tag.
    expect(all.etag).toMatch(new RegExp(`^"p\\d+${'-\\d+'.repeat(PUBLICATION_KINDS.length - 1)}"$`));
    expect(await client.publications({}, all.etag)).toEqual({ kind: 'unchanged' });
    const held = Object.fromEntries(all.publications.map((p) => [p.kind, p.version]));
    expect(await client.publications(held)).toEqual({ kind: 'unchanged' });
    const newer = await client.publications({ ...held, slips: held.slips! - 1 });
    expect(newer.kind === 'publications' && newer.publications.map((p) => p.kind)).toEqual(['slips']);
  });

  it('refuses to publish a list with rejected rows, giving the reasons, and publishes nothing', async () => {
    const dir = tempDir('seal-list-');
    const bad = join(dir, 'bad-list.csv');
    writeFileSync(bad, [
      '序号,姓名,性别,身份证号码,工作单位,资格名称,批准文号',
      '1,向莉芳,女,510107199206205820,四川省建筑设计研究院有限公司,中级会计师,川人社办发〔2025〕99号',
      '2,宋璐丽,女,511902198206083789,四川省建筑设计研究院有限公司,中级会计师,川人社办发〔2025〕99号',
      '3,,男,510104197801086223,四川省建筑设计研究院有限公司,中级会计师,川人社办发〔2025〕99号',
    ].join('\r\n'));
    const before = await hubRows(dataDir, 'SELECT COUNT(*) FROM publications');
    const run = await runCli(['hub-publish', '--data', dataDir, '--province-key', adminKey, '--list', bad, '--slips', fixture('slips.csv')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/有 2 行无法接受/);
    expect(run.stderr).toMatch(/第 3 行：身份证号码/);
    expect(run.stderr).toMatch(/第 4 行：姓名为空/);
    expect(await hubRows(dataDir, 'SELECT COUNT(*) FROM publications')).toBe(before);
  });

  it('explains a missing file or a publish with nothing to publish', async () => {
    const missing = await runCli(['hub-publish', '--data', dataDir, '--province-key', adminKey, '--list', join(tempDir(), 'nope.xlsx')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/无法读取文件.*文件不存在/);
    const nothing = await runCli(['hub-publish', '--data', dataDir]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/没有要发布的内容/);
  });
});

// Top level: runs after every describe block's own afterAll has stopped its hub.
afterAll(removeTempDirs);
