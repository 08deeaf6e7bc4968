import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editEntry, openAsAttacker } from '../../scripts/tamper/attacker';
import { removeTempDirs, runCli, type CliRun } from '../support/hub';
import { TEST_ADMIN, tempDir } from '../support/services';
import { sealedOffice, sealWorkerVisit } from './office';
import { pdfColumn, pdfText, scanOfLastPage } from './pdfTools';

/**
 * Issue 13's command line, run as an administrator or an auditor runs it: `seal-counter` in a
 * process of its own (on a machine set to UTC, with the office's clock fixed), on the database of
 * an office that sealed the shared fixtures' rosters; what it writes is read back by poppler and
 * SheetJS, not by the code that wrote it.
 */
const ENV = { TZ: 'UTC', SEAL_COUNTER_CLOCK: '2026-11-24T16:00:00+08:00' };
const CHINESE = /[\u4e00-\u9fa5]/;

let dbPath: string;
let out: string;
let visits: { original: number; clean: number; errors: number; worker: number };
/** A QR's text as the app printed it (a scanner types this). */
let receiptProof: string;

const cli = (args: string[]): Promise<CliRun> => runCli(args, ENV);
const withDb = (args: string[]) => cli([...args, '--db', dbPath]);
const file = (name: string) => join(out, name);

/** One clear line on stderr, nothing on stdout. */
function expectOneLine(run: CliRun, code: number, line: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr.trim()).toMatch(line);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stdout).toBe('');
}

beforeAll(async () => {
  const office = await sealedOffice();
  const worker = await sealWorkerVisit(office);
  visits = { original: office.originalVisitId, clean: office.cleanVisitId, errors: office.errorsVisitId, worker };
  receiptProof = (await office.call('print.form', { form: 'receipt', scope: { visitId: visits.clean } })).proofText;
  dbPath = office.services.dbPath;
  office.services.close();
  out = tempDir('seal-cli-out-');
}, 120_000);
afterAll(removeTempDirs);

describe('seal-counter print KIND (--visit ID | --date D) [--out FILE.pdf]', () => {
  it('prints every form from the sealed visits and the day, at the office\'s hour on a UTC machine', async () => {
    const register = await withDb(['print', 'register-sheet', '--visit', String(visits.errors), '--out', file('登记表.pdf')]);
    expect(register.stderr).toBe('');
    expect(register.code).toBe(0);
    expect(register.stdout).toContain(`已打印印章使用登记表：${file('登记表.pdf')}`);
    const text = pdfText(readFileSync(file('登记表.pdf')), true);
    expect(text).toContain('印章使用登记表');
    expect(text).toContain(`第 ${visits.errors} 号办证：成都市人力资源和社会保障局`);
    // Sealed at 10:15 in Chengdu: 02:15 on the machine's UTC clock.
    expect(text).toContain('10:15');
    expect(text).not.toContain('02:15');
    expect(pdfColumn(readFileSync(file('登记表.pdf')), '备注').join('')).toContain('人员已调动，有调令');

    const forms = [
      [['roster', '--visit', String(visits.errors)], ['核验后的发证名册', '补发', '退回']],
      [['returns', '--visit', String(visits.errors)], ['退回清单']],
      [['receipt', '--visit', String(visits.clean)], ['签章回执', '四川华西集团有限公司']],
      [['day-summary', '--date', '2026-11-24'], ['当日汇总', '德阳市人力资源和社会保障局']],
      [['register-sheet', '--date', '2026-11-24'], ['印章使用登记表', '2026年11月24日']],
    ] as const;
    for (const [args, words] of forms) {
      const name = `${args[0]}.pdf`;
      const run = await withDb(['print', ...args, '--out', file(name)]);
      expect(run.code, run.stderr).toBe(0);
      const printed = pdfText(readFileSync(file(name)));
      for (const word of words) expect(printed.replace(/\s+/g, ''), `${args.join(' ')}: ${word}`).toContain(word);
    }
  }, 180_000);

  it('without --out keeps the PDF in the prints folder beside the database and says where', async () => {
    const run = await withDb(['print', 'receipt', '--visit', String(visits.clean)]);
    expect(run.code, run.stderr).toBe(0);
    const path = /已打印签章回执：(.+\.pdf)（/.exec(run.stdout)?.[1];
    expect(path).toBeDefined();
    expect(path!.startsWith(join(dbPath, '..'))).toBe(true);
    expect(pdfText(readFileSync(path!))).toContain('签章回执');
  }, 60_000);

  it('answers a wrong kind or scope with one line and exit 2, and a form the scope cannot have with one sentence and exit 1', async () => {
    const [kind, none, both, badDate, byDate, missing] = await Promise.all([
      withDb(['print', 'invoice', '--visit', '1']),
      withDb(['print', 'receipt']),
      withDb(['print', 'register-sheet', '--visit', '1', '--date', '2026-11-24']),
      withDb(['print', 'day-summary', '--date', '2026-11-31']),
      withDb(['print', 'roster', '--date', '2026-11-24']),
      withDb(['print', 'receipt', '--visit', '99']),
    ]);
    expectOneLine(kind, 2, /^命令 print：未知的表单“invoice”，应为 register-sheet、roster、returns、receipt、day-summary 之一。/);
    expectOneLine(none, 2, /^命令 print：请用 --visit ID、--date YYYY-MM-DD 之一指定范围。/);
    expectOneLine(both, 2, /^命令 print：--visit ID与--date YYYY-MM-DD只能指定其一。/);
    expectOneLine(badDate, 2, /“2026-11-31”不是 YYYY-MM-DD 格式的日期/);
    expectOneLine(byDate, 1, /^核验后的发证名册按办证打印，不能按日期打印。$/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(CHINESE);
    expect(missing.stderr).toContain('99');
  }, 120_000);
});

/** A workbook read back by SheetJS (exceljs wrote it): its rows as text, and the type of a cell. */
function workbook(path: string) {
  const book = XLSX.read(readFileSync(path), { type: 'buffer' });
  const sheet = book.Sheets[book.SheetNames[0]!]!;
  const rows = XLSX.utils.sheet_to_json<(string | number)[]>(sheet, { header: 1, raw: true, defval: '', blankrows: false });
  const find = (value: string) => {
    for (const [r, row] of rows.entries()) for (const [c, cell] of row.entries()) if (cell === value) return sheet[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject;
    return undefined;
  };
  return { rows, text: rows.map((row) => row.join('|')).join('\n'), find };
}

describe('seal-counter export FORM (--visit | --date | --from --to | --year) --out FILE.xlsx', () => {
  it('writes each of the notices\' forms for the scope asked, with numbers as text', async () => {
    const chongqing = await withDb(['export', 'chongqing-register', '--year', '2026', '--out', file('附件1.xlsx')]);
    expect(chongqing.code, chongqing.stderr).toBe(0);
    expect(chongqing.stdout).toMatch(/^已导出职称证书领取、办理登记表：.*附件1\.xlsx（\d+ 行）。/);
    const annex1 = workbook(file('附件1.xlsx'));
    expect(annex1.rows.find((row) => row[0] === '序号')).toEqual(['序号', '证书编号', '工作单位', '主管部门', '姓名', '性别', '身份证号码', '专业名称', '资格名称', '批准时间', '批准文号']);
    expect(annex1.text).toContain('年度职称证书领取、办理登记表');
    // The replacement and the certificate it replaces, both sealed this year; numbers stay text.
    expect(annex1.find('51202501000017')?.t).toBe('s');
    expect(annex1.find('510105197503116582')?.t).toBe('s');

    const runs = [
      [['senior-issuance', '--date', '2026-11-24'], '四川省高级专业技术职务资格证书发证名册', '四川华西集团有限公司'],
      [['worker-approval', '--visit', String(visits.worker)], '工人技术等级（职务）证书审批名册', '陈玉晨|男|1972-12'],
      [['worker-review', '--visit', String(visits.worker)], '工人技师资格证书审核名册', '颁发证书编号'],
      [['returns', '--visit', String(visits.errors)], '退回清单', '成都市人力资源和社会保障局'],
      [['register', '--from', '2026-11-19', '--to', '2026-11-24'], '印章使用登记簿', '2026年11月19日至2026年11月24日'],
    ] as const;
    for (const [args, title, word] of runs) {
      const name = `${args[0]}.xlsx`;
      const run = await withDb(['export', ...args, '--out', file(name)]);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      const read = workbook(file(name));
      expect(read.text, args.join(' ')).toContain(title);
      expect(read.text, args.join(' ')).toContain(word);
    }
    // The register from the 19th holds the replaced certificate's sealing too: one row an entry.
    const register = workbook(file('register.xlsx'));
    expect(register.text).toContain('2026-11-19T14:00:00+08:00');
  }, 180_000);

  it('needs --out FILE.xlsx and one scope (exit 2), and refuses a form the scope cannot have (exit 1)', async () => {
    const [noOut, pdfOut, range, unknown, returnsByDate] = await Promise.all([
      withDb(['export', 'register', '--date', '2026-11-24']),
      withDb(['export', 'register', '--date', '2026-11-24', '--out', file('x.pdf')]),
      withDb(['export', 'register', '--from', '2026-11-19', '--out', file('x.xlsx')]),
      withDb(['export', 'annex9', '--year', '2026', '--out', file('x.xlsx')]),
      withDb(['export', 'returns', '--date', '2026-11-24', '--out', file('x.xlsx')]),
    ]);
    expectOneLine(noOut, 2, /^命令 export：请用 --out FILE\.xlsx 指定导出的文件。/);
    expectOneLine(pdfOut, 2, /^命令 export：选项“--out”应为 \.xlsx 文件。/);
    expectOneLine(range, 2, /^命令 export：--from 与 --to 须同时指定。/);
    expectOneLine(unknown, 2, /^命令 export：未知的导出表“annex9”/);
    expectOneLine(returnsByDate, 1, /^退回清单按办证导出：请指定办证号。$/);
    expect(existsSync(file('x.xlsx'))).toBe(false);
  }, 120_000);
});

describe('seal-counter ledger FIND [--json]', () => {
  it('finds a certificate by its number, its holder\'s ID number or name: holder, status, visit and entry', async () => {
    const byName = await withDb(['ledger', '王娜蕾']);
    expect(byName.code, byName.stderr).toBe(0);
    const lines = byName.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('已作废'))).toMatch(new RegExp(`^51202501000017  王娜蕾  510105197503116582 .* 已作废，由 \\d+ 补发替代  第 ${visits.original} 号办证（成都市人力资源和社会保障局）  第 \\d+ 号登记  2026-11-19 14:00  签章人 ${TEST_ADMIN.displayName}$`));
    expect(lines.find((l) => l.includes('补发'))).toContain(`第 ${visits.errors} 号办证`);

    const json = await withDb(['ledger', '510105197503116582', '--json']);
    expect(json.code).toBe(0);
    const found = JSON.parse(json.stdout) as { certificates: { certNo: string; status: string; visitId: number; entrySeq: number; name: string }[]; message: string | null };
    expect(found.message).toBeNull();
    expect(found.certificates.map((c) => [c.status, c.visitId, c.name]).sort()).toEqual([['已作废', visits.original, '王娜蕾'], ['补发', visits.errors, '王娜蕾']].sort());
    const byNumber = await withDb(['ledger', '51202501000017', '--json']);
    expect((JSON.parse(byNumber.stdout) as typeof found).certificates.map((c) => c.status)).toEqual(['已作废']);
  }, 60_000);

  it('says in one sentence when nothing was sealed under that name or number, with exit 1', async () => {
    const run = await withDb(['ledger', '张三丰']);
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe('本窗口没有签章过“张三丰”：证书编号、身份证号码或姓名都没有找到签章记录。');
  }, 60_000);
});

describe('seal-counter verify-print FILE', () => {
  it('verifies a printed PDF, its scan and the QR\'s text: which entries, unchanged, who sealed them (exit 0)', async () => {
    const pdf = await withDb(['verify-print', file('登记表.pdf')]);
    expect(pdf.code, pdf.stdout + pdf.stderr).toBe(0);
    expect(pdf.stdout).toMatch(new RegExp(`^核验通过：这张印章使用登记表（第 ${visits.errors} 号办证）由工作站 WS-[0-9A-F]{12}（四川省人力资源和社会保障厅）打印，第 \\d+ 号登记，由${TEST_ADMIN.displayName}签章。`));
    expect(pdf.stdout).toContain('这些登记在本登记簿中，与打印时一字不差。');
    expect(pdf.stdout).toContain('PDF 上印的每一项文字都与二维码证明的内容一致。');
    expect(pdf.stdout).toMatch(/第 \d+ 号登记 {2}2026-11-24 10:15 {2}签章/);

    writeFileSync(file('scan.png'), scanOfLastPage(readFileSync(file('登记表.pdf'))));
    writeFileSync(file('qr.txt'), `${receiptProof}\r\n`);
    const [scan, typed, textFile] = await Promise.all([
      withDb(['verify-print', file('scan.png')]),
      withDb(['verify-print', receiptProof]),
      withDb(['verify-print', file('qr.txt')]),
    ]);
    expect(scan.code, scan.stdout).toBe(0);
    expect(scan.stdout).toMatch(/^核验通过：这张印章使用登记表/);
    for (const run of [typed, textFile]) {
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toMatch(/^核验通过：这张签章回执（第 \d+ 号办证）/);
    }
  }, 120_000);

  it('refuses an edited QR, a file that is none, and a paper whose workstation it does not know (exit 1)', async () => {
    const edited = receiptProof.replace(`visit=${visits.clean}`, `visit=${visits.errors}`);
    expect(edited).not.toBe(receiptProof);
    writeFileSync(file('notes.txt'), 'http://example.com/x');
    const stranger = join(tempDir('seal-cli-other-'), 'other.sqlite');
    const [forged, garbage, noFile] = await Promise.all([
      withDb(['verify-print', edited]),
      withDb(['verify-print', file('notes.txt')]),
      withDb(['verify-print', file('missing.pdf')]),
    ]);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(/^不予认可：二维码的签名与工作站 WS-[0-9A-F]{12} 的公钥不符/);
    expect(garbage.code).toBe(1);
    expect(garbage.stdout.trim()).toBe('这不是签章窗口打印件上的二维码：内容不以“SC-PRINT/1”开头。');
    expectOneLine(noFile, 1, /^无法读取文件“.*missing\.pdf”：文件不存在。$/);

    // An auditor's machine with no workstation database at all: it is not created, and the paper is not vouched for.
    const auditor = await cli(['verify-print', file('登记表.pdf'), '--db', stranger]);
    expect(auditor.code).toBe(1);
    expect(auditor.stdout).toMatch(/^无法核验：本机不认识打印这张印章使用登记表（第 \d+ 号办证）的工作站 WS-[0-9A-F]{12}。/);
    expect(existsSync(stranger)).toBe(false);
  }, 120_000);
});

describe('papers printed from a training database', () => {
  it('say 培训 across the page, which a real paper never does, and still verify as practice papers', async () => {
    const training = join(tempDir('seal-cli-training-'), 'training.sqlite');
    const made = await cli(['training-db', training]);
    expect(made.code, made.stderr).toBe(0);
    const { visits: practice } = JSON.parse(made.stdout) as { visits: { today: { confirmedWarning: number } } };
    const run = await cli(['print', 'register-sheet', '--visit', String(practice.today.confirmedWarning), '--db', training, '--out', file('培训.pdf')]);
    expect(run.code, run.stderr).toBe(0);
    expect(pdfText(readFileSync(file('培训.pdf')))).toContain('培训');
    expect(pdfText(readFileSync(file('登记表.pdf')))).not.toContain('培训');

    const verified = await cli(['verify-print', file('培训.pdf'), '--db', training]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('这是用培训数据打印的练习用纸（每页印有“培训”），不是正式记录。');
    // The real office's paper is no practice paper.
    expect((await withDb(['verify-print', file('登记表.pdf')])).stdout).not.toContain('练习用纸');
  }, 180_000);
});

describe('a register changed after the paper was printed (last: it breaks the register)', () => {
  it('makes verify-print refuse the paper with exit 1', async () => {
    const before = await withDb(['verify-print', file('登记表.pdf')]);
    const seq = Number(/第 (\d+) 号登记 {2}2026-11-24 10:15/.exec(before.stdout)?.[1]);
    expect(seq).toBeGreaterThan(0);
    const attacker = openAsAttacker(dbPath);
    editEntry(attacker, seq, { count: 25 }, true);
    attacker.close();
    const after = await withDb(['verify-print', file('登记表.pdf')]);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(`不予认可：本登记簿中的第 ${seq} 号登记与打印这张印章使用登记表（第 ${visits.errors} 号办证）时不同，登记簿在打印之后被改动过。`);
  }, 60_000);
});
