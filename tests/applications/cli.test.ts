import * as XLSX from '@e965/xlsx';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from '../../core/contract';
import { runCli } from '../support/hub';
import { tempDir } from '../support/services';
import { applicationsCounter, CLERK, GAO, lostCertificate, PASSWORD, reviewed, SUPERVISOR, XIANG } from './support';

/**
 * The applications from a terminal (issue 16): `seal-counter replacement|confirmation|revocations`,
 * each signing in with the account's own password and answering --json, on the counter's database.
 */
const dir = tempDir();
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('seal-counter replacement, confirmation and revocations', () => {
  const counter = applicationsCounter();
  const { call } = counter;
  let db: string;
  // Every command runs on the day the notice has waited long enough: the counter's later day.
  const cli = (account: string, ...args: string[]) => runCli([...args, '--account', account, '--db', db], { SEAL_COUNTER_PASSWORD: PASSWORD, SEAL_COUNTER_CLOCK: '2027-02-01T10:00:00+08:00' });
  const json = <T>(run: { code: number | null; stdout: string; stderr: string }): T => {
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    await counter.prepare();
    await counter.seal([{ certNo: 'C0001', person: XIANG }]);
    const settings = await call('settings.get', {});
    await call('settings.save', { ...settings, applications: { ...settings.applications, lossNoticeWaitMonths: 6 } });
    db = counter.services.dbPath;
  }, 120_000);
  afterAll(() => counter.services.close());

  it('checks a 补办 whose notice is too young (exit 1, the finding), takes it once old enough, and lists it for the May window', async () => {
    const young = file('young.json', lostCertificate(XIANG, 'C0001', '2026-09-01'));
    const check = await cli(CLERK.username, 'replacement', 'add', young, '--check', '--json');
    expect(check.code).toBe(1);
    expect((JSON.parse(check.stdout) as Response<'replacements.check'>).findings.map((f) => f.code)).toEqual(['NOTICE_TOO_YOUNG']);

    const added = json<Response<'replacements.add'>>(await cli(CLERK.username, 'replacement', 'add', file('lost.json', lostCertificate(XIANG, 'C0001', '2026-08-01')), '--json'));
    expect(added).toMatchObject({ appNo: '补换2027-0001', status: '待报送', clerk: CLERK.displayName, originEntrySeq: expect.any(Number) });
    const list = json<Response<'replacements.list'>>(await cli(CLERK.username, 'replacement', 'list', '--json'));
    expect(list).toMatchObject({ waiting: 1, nextWindow: { deadline: '2027-05-31' } });
  }, 120_000);

  it('exports the window’s summary form as .xlsx and records it sent', async () => {
    const out = join(dir, '补换汇总.xlsx');
    const exported = json<{ rowCount: number; sent: { appNos: string[] } }>(await cli(CLERK.username, 'replacement', 'export', out, '--sent', '--json'));
    expect(exported).toMatchObject({ rowCount: 1, sent: { appNos: ['补换2027-0001'] } });
    const book = XLSX.read(readFileSync(out));
    const cells = XLSX.utils.sheet_to_json<string[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1, defval: '' }).flat();
    expect(cells).toEqual(expect.arrayContaining([XIANG.name, XIANG.idNumber, 'C0001']));
    const list = json<Response<'replacements.list'>>(await cli(CLERK.username, 'replacement', 'list', '--json'));
    expect(list.items[0]).toMatchObject({ status: '已报送', sent: { form: '四川2015附件5' } });
  }, 120_000);

  it('files a confirmation, refuses the clerk’s decision, takes the supervisor’s and prints the 认定书', async () => {
    const filed = json<Response<'confirmations.add'>>(await cli(CLERK.username, 'confirmation', 'add', file('gao.json', reviewed(GAO)), '--json'));
    expect(filed).toMatchObject({ appNo: '确认2027-0001', status: '待审核' });
    const clerk = await cli(CLERK.username, 'confirmation', 'decide', filed.appNo, '--decision', '确认');
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toContain('此操作需要审核人权限，当前账户是窗口经办人。');
    const decided = json<Response<'confirmations.decide'>>(await cli(SUPERVISOR.username, 'confirmation', 'decide', filed.appNo, '--decision', '确认', '--json'));
    expect(decided).toMatchObject({ status: '已确认', decision: { decidedOn: '2027-02-01', by: { account: SUPERVISOR.username }, recognition: { number: '高级职称认定〔2027〕001号' } } });
    const pdf = join(dir, 'recognition.pdf');
    expect((await cli(CLERK.username, 'confirmation', 'print', filed.appNo, pdf)).code).toBe(0);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('其任职资格时间按原任职资格时间计算，自2019年6月20日起');
  }, 120_000);

  it('imports a list of revocations as a supervisor, listed as this counter’s', async () => {
    const list = file('取消资格.csv', `\uFEFF序号,姓名,身份证号码,资格名称,文号,取消日期,限制截止,原因\r\n1,${GAO.name},${GAO.idNumber},高级工程师,川人社发〔2027〕5号,2027-01-20,2030-01-19,材料造假\r\n`);
    expect(json(await cli(SUPERVISOR.username, 'revocations', 'import', list, '--json'))).toEqual({ added: 1, alreadyRecorded: 0, total: 1 });
    const revoked = json<Response<'revocations.list'>>(await cli(CLERK.username, 'revocations', 'list', '--json'));
    expect(revoked.items).toEqual([expect.objectContaining({ name: GAO.name, barUntil: '2030-01-19', source: '本窗口', lifted: false })]);
  }, 120_000);
});
