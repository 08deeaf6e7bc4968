import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { runCommandLine } from '../../cli/command';
import { COMMAND_GROUPS } from '../../cli/commands';
import { dispatch } from '../../services/dispatch';
import { clientOf, expectedFor, freshServices, SENIOR14_SETTINGS, tempDir, upload, fixtureBytes } from '../support/services';

/**
 * 预审: the counter's own verification of a roster before the counter day, a report the unit
 * takes home (PDF and .xlsx) with a code, and on the counter day the same file recognised and a
 * different one compared row by row. Nothing is sealed and no register entry is written.
 */
const SENIOR = '高级专业技术职务资格证书';
const EXAM = '专业技术资格证书';
const UNIT = '四川省住房和城乡建设厅';

const pdfText = (base64: string) => {
  const path = join(tempDir(), 'report.pdf');
  writeFileSync(path, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
};
const compact = (text: string) => text.replace(/\s+/g, '');

/** Four people of the accountant pass list, and one who is not on it. */
const ROSTER = [
  '序号,证书编号,姓名,性别,身份证号码,工作单位,资格名称',
  '1,C0001,向莉芳,女,510107199206205820,四川省建筑设计研究院有限公司,中级会计师',
  '2,C0002,宋璐丽,女,511902198206083788,成都市第一人民医院,中级会计师',
  '3,C0003,=HYPERLINK("http://x"),男,11010519491231002X,某单位,中级会计师',
];
const csv = (lines: string[]) => ({ fileName: 'roster.csv', dataBase64: Buffer.from(lines.join('\n')).toString('base64') });

describe('预审 of a roster before the counter day', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  const registerSize = () => services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get() as number;

  beforeAll(async () => {
    await call('settings.save', SENIOR14_SETTINGS);
    await call('lists.import', upload('approved/senior-engineers-2025.xlsx'));
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
  });
  afterAll(() => services.close());

  it('reports every row to fix with the counter\'s Chinese message, and prints the code of the file', async () => {
    const expected = expectedFor('senior-errors');
    const { precheck, papers } = await call('precheck.run', { ...upload(expected.roster), unit: expected.unit, certificateType: SENIOR });
    // The same verdicts as the counter gives this roster (tests/verify/fixtureRosters.test.ts).
    expect(precheck.rows.map((r) => ({ row: r.rowNo, verdict: r.verdict }))).toEqual(expected.rows.map(({ row, verdict }) => ({ row, verdict })));
    const digest = createHash('sha256').update(fixtureBytes(expected.roster)).digest('hex');
    expect(precheck.digest).toBe(digest);
    expect(precheck.code).toBe(digest.slice(0, 16).toUpperCase().replace(/(.{4})(?=.)/g, '$1-'));

    const text = pdfText(papers.pdfBase64);
    expect(text).toContain('预审报告');
    expect(text).toContain(`预审码：${precheck.code}`);
    expect(compact(text)).toContain(compact(digest));
    const errors = expected.rows.filter((r) => r.verdict === 'error');
    expect(compact(text)).toContain(`须修改后才能签章的行（${errors.length}行）`);
    expect(compact(text)).toContain(`共${expected.rows.length}行：通过${precheck.counts.pass}，警告${precheck.counts.warning}，错误${errors.length}`);
    for (const row of precheck.rows.filter((r) => r.verdict === 'error')) {
      expect(compact(text)).toContain(compact(row.findings[0]!.message).slice(0, 12));
    }
    expect(text).not.toMatch(/[A-Z]{3,}_[A-Z]{3,}/);
    expect(registerSize()).toBe(0);
    expect(services.ctx.db.prepare('SELECT count(*) FROM visits').pluck().get()).toBe(0);
  });

  it('writes the .xlsx with every row and its findings, formula-like cells neutralised', async () => {
    const { precheck, papers } = await call('precheck.run', { ...csv(ROSTER), unit: UNIT });
    const sheet = XLSX.read(Buffer.from(papers.xlsxBase64, 'base64')).Sheets['预审结果']!;
    const rows = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, defval: '' });
    expect(String(rows[1]![0])).toContain(precheck.code);
    const header = rows.findIndex((r) => r[0] === '序号');
    expect(rows[header]).toEqual(['序号', '证书编号', '姓名', '身份证号码', '资格名称', '结果', '问题及修改要求']);
    const body = rows.slice(header + 1);
    expect(body.map((r) => r[5])).toEqual(['通过', '警告', '错误']);
    expect(body[2]![2]).toBe('\'=HYPERLINK("http://x")');
    expect(body[1]![6]).toContain('工作单位');
  });

  it('on the counter day the same file says it was prechecked and matches the report; nothing was sealed before', async () => {
    const { precheck } = await call('precheck.run', { ...csv(ROSTER), unit: UNIT });
    expect(registerSize()).toBe(0);
    const visit = await call('visits.create', { unit: UNIT, agentName: '李明', agentPhone: '13800000000', certificateType: EXAM, slipNo: '' });
    await call('visits.importRoster', { visitId: visit.id, ...csv(ROSTER) });
    const match = await call('precheck.forVisit', { visitId: visit.id });
    expect(match).toMatchObject({ status: 'match', code: precheck.code, changes: [] });
    expect(match.message).toContain('已预审，与预审报告一致');
  });

  it('a different file of the same unit shows what changed since the 预审', async () => {
    await call('precheck.run', { ...csv(ROSTER), unit: UNIT });
    const changed = [ROSTER[0]!, ROSTER[1]!.replace('C0001', 'C0009'), ROSTER[3]!, '4,C0004,赵雨浩,男,510106198803021033,四川省建筑设计研究院有限公司,中级会计师'];
    const visit = await call('visits.create', { unit: UNIT, agentName: '李明', agentPhone: '13800000000', certificateType: EXAM, slipNo: '' });
    await call('visits.importRoster', { visitId: visit.id, ...csv(changed) });
    const match = await call('precheck.forVisit', { visitId: visit.id });
    expect(match.status).toBe('changed');
    expect(match.message).toContain('今天导入的名册不是预审时的文件');
    expect(match.changes.map((c) => [c.change, c.rowNo])).toEqual([['修改', 1], ['新增', 4], ['删除', 2]]);
    expect(match.changes[0]!.detail).toContain('证书编号由“C0001”改为“C0009”');
    expect(match.message).toMatch(/新增 1 行，删除 1 行，修改 1 行/);
  });

  it('says a roster was never prechecked when neither the file nor the unit has a 预审', async () => {
    const visit = await call('visits.create', { unit: '四川华西集团有限公司', agentName: '李明', agentPhone: '13800000000', certificateType: EXAM, slipNo: '' });
    await call('visits.importRoster', { visitId: visit.id, ...csv(ROSTER.slice(0, 2)) });
    expect(await call('precheck.forVisit', { visitId: visit.id })).toMatchObject({ status: 'none', message: '此名册未经预审（四川华西集团有限公司没有预审记录）。' });
  });
});

describe('seal-counter precheck FILE --out REPORT.pdf --xlsx REPORT.xlsx', () => {
  it('writes the report and the workbook and prints the code', async () => {
    const seeded = freshServices();
    const call = clientOf((name, request) => dispatch(seeded, name, request));
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    seeded.close();
    const dir = tempDir();
    const rosterPath = join(dir, '名册.csv');
    writeFileSync(rosterPath, ROSTER.join('\n'));
    const out: string[] = [];
    const { log } = console;
    console.log = (...values: unknown[]) => { out.push(values.join(' ')); };
    let code: number;
    try {
      code = await runCommandLine(COMMAND_GROUPS, ['precheck', rosterPath, '--out', join(dir, 'r.pdf'), '--xlsx', join(dir, 'r.xlsx'), '--db', seeded.dbPath], {});
    } finally {
      console.log = log;
    }
    expect(code).toBe(0);
    // No --unit: the roster's most frequent 工作单位 names the unit.
    expect(out.join('\n')).toMatch(/预审完成：四川省建筑设计研究院有限公司，共 3 行：通过 1，警告 1，错误 1。\n预审码 [0-9A-F]{4}(-[0-9A-F]{4}){3}/);
    expect(pdfText(readFileSync(join(dir, 'r.pdf')).toString('base64'))).toContain('预审报告');
    expect(XLSX.read(readFileSync(join(dir, 'r.xlsx'))).SheetNames).toEqual(['预审结果']);
  });
});
