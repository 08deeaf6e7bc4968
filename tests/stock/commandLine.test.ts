import { beforeAll, describe, expect, it } from 'vitest';
import type { Response } from '../../core/contract';
import { FIXTURES_DIR, runCli } from '../support/hub';
import { freshServices, signInForTests, TEST_ADMIN } from '../support/services';
import { CLERK, DEYANG, HUAXI, SENIOR, SUPERVISOR } from './support';

/**
 * `seal-counter stock-…` (issue 15): the same movements as the screen, as the account named by
 * --account with its password from the environment, through the contract's roles and checks; the
 * reconciliation as text and as JSON. Each run is the real command line in its own process.
 */
// Each run starts a process of its own: seconds apiece on a loaded machine.
const SLOW = { timeout: 180_000 };

/** A database with the accounts the commands act as (the administrator, a supervisor, a clerk), all with the tests' one password. */
function officeFile(): string {
  const services = freshServices(new Date('2026-01-05T09:00:00+08:00'));
  signInForTests(services, SUPERVISOR);
  signInForTests(services, CLERK);
  services.close();
  return services.dbPath;
}

describe('the stock on the command line', () => {
  let dbPath = '';
  const run = (args: string[], password = TEST_ADMIN.password) =>
    runCli([...args, '--db', dbPath], { SEAL_COUNTER_PASSWORD: password, SEAL_COUNTER_CLOCK: '2026-03-03T09:30:00+08:00' });
  const batch = ['--type', SENIOR, '--year', '2026'];

  beforeAll(() => {
    dbPath = officeFile();
  });

  it('receives a range as the supervisor, and refuses the clerk, a wrong password and no --account, changing nothing', SLOW, async () => {
    const received = await run(['stock', 'receive', ...batch, '--range', '51202500000101..51202500000300', '--supplier', '四川省印刷厂', '--account', SUPERVISOR.username, '--json']);
    expect(received.stderr).toBe('');
    expect(received.code).toBe(0);
    expect(JSON.parse(received.stdout)).toMatchObject({ seq: 1, kind: '空白证书入库', count: 200, clerk: SUPERVISOR.displayName });

    const refusals = [
      [['--account', CLERK.username], TEST_ADMIN.password, '此操作需要审核人权限，当前账户是窗口经办人。'],
      [['--account', SUPERVISOR.username], 'wrong-password', '用户名或密码不正确。'],
      [[], TEST_ADMIN.password, '请用 --account 用户名 指定办理本操作的账户（或设置环境变量 SEAL_COUNTER_ACCOUNT）。'],
    ] as const;
    for (const [who, password, sentence] of refusals) {
      const refused = await run(['stock', 'receive', ...batch, '--count', '10', ...who], password);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(sentence);
    }
    const overlap = await run(['stock', 'receive', ...batch, '--range', '51202500000290-51202500000310', '--account', SUPERVISOR.username]);
    expect(overlap.code).toBe(1);
    expect(overlap.stderr).toMatch(/^[^\n]*51202500000290[^\n]*\n$/);
    expect(overlap.stderr).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('issues against the 登记表 plus 5% spares as a range, and takes spoiled numbers back as the clerk', SLOW, async () => {
    const issued = await run(['stock', 'issue', '--unit', HUAXI, ...batch, '--basis', 'roster', '--roster', `${FIXTURES_DIR}/rosters/senior-clean.xlsx`, '--range', '51202500000101..51202500000142', '--account', SUPERVISOR.username, '--json']);
    expect(issued.stderr).toBe('');
    expect(JSON.parse(issued.stdout)).toMatchObject({ seq: 2, base: 40, spares: 2, count: 42, ranges: [{ first: '51202500000101', last: '51202500000142' }] });

    const spoiled = await run(['stock', 'spoiled', '--unit', HUAXI, ...batch, '--account', CLERK.username, '51202500000141', '51202500000142']);
    expect(spoiled.code).toBe(0);
    expect(spoiled.stdout).toMatch(/^已登记第 3 号：/);
    const again = await run(['stock', 'spoiled', '--unit', HUAXI, ...batch, '--account', CLERK.username, '51202500000141']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('废证 51202500000141 已于 2026-03-03 由“四川华西集团有限公司”退回登记过');
  });

  it('prints the reconciliation, issued = sealed + spoiled + held, as text and JSON, without signing in', SLOW, async () => {
    const text = await run(['stock', 'balance', '--year', '2026']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${HUAXI}　${SENIOR}：发放 42（其中备用 2、换领 0）= 已签章 0 + 废证退回 2 + 尚持有 40`);
    expect(text.stdout).toContain(`本厅库存 ${SENIOR}：入库 200，已发放 42，库存 158`);

    const json = await run(['stock', 'balance', '--unit', HUAXI, '--year', '2026', '--json']);
    const balance = JSON.parse(json.stdout) as Response<'stock.balance'>;
    expect(balance.lines).toEqual([{ unit: HUAXI, certificateType: SENIOR, year: 2026, issued: 42, spares: 2, exchanged: 0, sealed: 0, spoiled: 2, held: 40, ranges: [{ first: '51202500000101', last: '51202500000142' }], flags: [] }]);

    const badYear = await run(['stock', 'balance', '--year', '二〇二六']);
    expect(badYear.code).toBe(1);
    expect(badYear.stderr.trim()).toBe('年度应为四位年份');
  });
});

describe('the year’s slip requests on the command line', () => {
  let dbPath = '';
  const run = (args: string[], on: string) =>
    runCli([...args, '--db', dbPath], { SEAL_COUNTER_PASSWORD: TEST_ADMIN.password, SEAL_COUNTER_CLOCK: `${on}T10:00:00+08:00` });
  const roster = `${FIXTURES_DIR}/rosters/senior-clean.xlsx`;

  beforeAll(() => {
    dbPath = officeFile();
  });

  it('records a request in time and one late, refuses a file that is not a roster, and lists them', SLOW, async () => {
    const onTime = await run(['slip-requests', 'import', '--unit', HUAXI, '--year', '2026', '--arrived', '2026-01-15', '--count', '2', '--account', CLERK.username, '--json', roster], '2026-01-15');
    expect(onTime.stderr).toBe('');
    expect(JSON.parse(onTime.stdout)).toMatchObject({ seq: 1, late: false, inPlan: true, attachments: [{ fileName: 'senior-clean.xlsx', rows: 40 }] });
    const late = await run(['slip-requests', 'import', '--unit', DEYANG, '--year', '2026', '--arrived', '2026-02-10', '--count', '1', '--account', CLERK.username, `${FIXTURES_DIR}/rosters/worker-grade.csv`], '2026-02-10');
    expect(late.stdout.trim()).toBe(`已登记第 2 号：“${DEYANG}”2026年度请领凭条 1 张，2026-02-10 收到，逾期，未列入计划（管理员可准予列入）。`);

    const notRoster = await run(['slip-requests', 'import', '--unit', DEYANG, '--year', '2026', '--arrived', '2026-02-10', '--count', '1', '--account', CLERK.username, `${FIXTURES_DIR}/README.md`], '2026-02-10');
    expect(notRoster.code).toBe(1);
    expect(notRoster.stderr).toMatch(/^文件“README\.md”不是可读取的.+什么也没有登记。\n$/);

    const plan = await run(['slip-requests', 'plan', '--year', '2026'], '2026-02-10');
    expect(plan.stdout.trim().split('\n')).toEqual([
      `第 1 号　${HUAXI}　2026-01-15 收到　凭条 2 张　按时`,
      `第 2 号　${DEYANG}　2026-02-10 收到　凭条 1 张　逾期，未列入`,
    ]);
  });

  it('numbers the slips of the plan, the late request’s only once the administrator admits it', SLOW, async () => {
    const first = await run(['slip-requests', 'number', '--year', '2026', '--account', SUPERVISOR.username], '2026-02-12');
    expect(first.stdout.trim().split('\n')).toEqual([`QZ2026-0001　${HUAXI}　2026-02-12`, `QZ2026-0002　${HUAXI}　2026-02-12`]);

    const bySupervisor = await run(['slip-requests', 'admit', '--request', '2', '--reason', '邮路延误，经处长同意', '--account', SUPERVISOR.username], '2026-02-12');
    expect(bySupervisor.code).toBe(1);
    expect(bySupervisor.stderr).toContain('需要管理员权限');
    const admitted = await run(['slip-requests', 'admit', '--request', '2', '--reason', '邮路延误，经处长同意', '--account', TEST_ADMIN.username, '--json'], '2026-02-12');
    expect(JSON.parse(admitted.stdout)).toMatchObject({ seq: 2, inPlan: true, admitted: { by: TEST_ADMIN.displayName, reason: '邮路延误，经处长同意' } });

    const second = await run(['slip-requests', 'number', '--year', '2026', '--account', SUPERVISOR.username, '--json'], '2026-02-12');
    expect(JSON.parse(second.stdout)).toMatchObject({ slips: [{ slipNo: 'QZ2026-0003', unit: DEYANG, year: 2026, issuedOn: '2026-02-12' }] });
    const plan = await run(['slip-requests', 'plan', '--year', '2026', '--json'], '2026-02-12');
    expect((JSON.parse(plan.stdout) as Response<'slipRequests.plan'>).slips.map((slip) => slip.slipNo)).toEqual(['QZ2026-0001', 'QZ2026-0002', 'QZ2026-0003']);
  });
});
