import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { clientOf, expectedFor, freshServices, REPO_DIR, SENIOR14_SETTINGS, tempDir, upload, FIXTURES_DIR } from '../support/services';

/**
 * Every fixture roster, imported the way a clerk imports it (approved list, new visit, roster
 * file), gives exactly the findings its expected.json lists, row by row.
 */
const ROSTERS = [
  { name: 'senior-clean', certificateType: '高级专业技术职务资格证书' },
  { name: 'senior-errors', certificateType: '高级专业技术职务资格证书' },
  { name: 'worker-grade', certificateType: '工人技术等级资格证书' },
] as const;

describe('fixture rosters through the counter flow', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));

  beforeAll(async () => {
    await call('settings.save', SENIOR14_SETTINGS);
    for (const list of ['approved/senior-engineers-2025.xlsx', 'approved/worker-grade-2025.xlsx', 'approved/exam-intermediate-accountant-2025.csv', 'approved/exam-economist-2025.gbk.csv']) {
      await call('lists.import', upload(list));
    }
  });
  afterAll(() => services.close());

  it.each(ROSTERS)('$name gives the expected findings on every row', async ({ name, certificateType }) => {
    const expected = expectedFor(name);
    const visit = await call('visits.create', { unit: expected.unit, agentName: '张三', agentPhone: '028-86000000', certificateType, slipNo: '' });
    const detail = await call('visits.importRoster', { visitId: visit.id, ...upload(expected.roster) });
    const actual = detail.rows.map((r) => ({ row: r.rowNo, codes: r.findings.map((f) => f.code), verdict: r.verdict }));
    expect(actual).toEqual(expected.rows.map(({ row, codes, verdict }) => ({ row, codes, verdict })));
  });

  it('names the field and both values in every mismatch message', async () => {
    const visit = await call('visits.create', { unit: '成都市人力资源和社会保障局', agentName: '张三', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo: '' });
    const { rows } = await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/senior-errors.xlsx') });
    const message = (rowNo: number) => rows.find((r) => r.rowNo === rowNo)!.findings.map((f) => f.message).join(' ');
    expect(message(43)).toMatch(/姓名：名册为“姚秋华”.*“姚秋军”/);
    expect(message(23)).toMatch(/资格名称：名册为“正高级工程师”.*“高级工程师”/);
    expect(message(27)).toMatch(/性别：名册为“女”.*“男”/);
    expect(message(29)).toContain('文本');
  });
});

describe('seal-counter verify-roster --json', () => {
  const dbPath = join(tempDir(), 'cli.sqlite');
  const cli = (...args: string[]) => execFileSync(process.execPath, [join(REPO_DIR, 'bin', 'seal-counter.mjs'), ...args, '--db', dbPath], { encoding: 'utf8' });

  beforeAll(() => {
    const settingsFile = join(REPO_DIR, 'tests', 'fixtures', 'settings-senior14.json');
    cli('settings-import', settingsFile);
    cli('import-list', join(FIXTURES_DIR, 'approved/senior-engineers-2025.xlsx'));
    cli('import-list', join(FIXTURES_DIR, 'approved/worker-grade-2025.xlsx'));
  }, 120_000);

  it.each(ROSTERS)('gives the same verdicts as the counter for $name', ({ name }) => {
    const expected = expectedFor(name);
    const output = JSON.parse(cli('verify-roster', join(FIXTURES_DIR, expected.roster), '--json')) as unknown;
    expect(output).toEqual({ rows: expected.rows.map(({ row, codes }) => ({ row, codes })) });
  });

  it('prints one Chinese sentence as importError for a file it cannot read, and fails', () => {
    const empty = join(tempDir(), 'empty.csv');
    writeFileSync(empty, '');
    let status = 0;
    let stdout = '';
    try {
      cli('verify-roster', empty, '--json');
    } catch (error) {
      ({ status, stdout } = error as { status: number; stdout: string });
    }
    expect(status).not.toBe(0);
    expect(JSON.parse(stdout)).toEqual({ importError: expect.stringMatching(/空/) });
  });
});
