// Export times are the office's whatever the machine's zone: these tests run the process on UTC.
process.env.TZ = 'UTC';

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportForm } from '../../services/exports/exports';
import { fixtureBytes, REPO_DIR } from '../support/services';
import { sealedOffice, sealWorkerVisit } from './office';

type Office = Awaited<ReturnType<typeof sealedOffice>>;
type Value = string | number | boolean | null;

/** The notices as the province issued them (../shared/seeds), found by their document number. */
function notice(documentNo: string): string[] {
  const dir = join(REPO_DIR, '..', 'shared', 'seeds');
  const text = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')).find((t) => t.includes(documentNo));
  if (!text) throw new Error(`no seed holds ${documentNo}`);
  return text.split(/\r?\n/);
}

/** Headers compare as a reader sees them: full-width and half-width alike, no spaces. */
const plain = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

/** The lines of an attachment after its heading (附件1, 附件 4, …), blank ones dropped. */
function attachment(lines: string[], heading: RegExp): string[] {
  const at = lines.findIndex((line) => heading.test(line.trim()));
  if (at === -1) throw new Error(`no ${String(heading)}`);
  return lines.slice(at + 1).filter((line) => line.trim() !== '');
}

/** A workbook read back by SheetJS, a second library (exceljs wrote it): every cell with its type and format. */
function readBack(xlsx: Buffer) {
  const book = XLSX.read(xlsx, { type: 'buffer', cellNF: true });
  expect(book.SheetNames).toHaveLength(1);
  const sheet = book.Sheets[book.SheetNames[0]!]!;
  const rows = XLSX.utils.sheet_to_json<Value[]>(sheet, { header: 1, raw: true, defval: null, blankrows: false }).map((row) => row.map((v) => v ?? ''));
  const cell = (row: number, col: number) => sheet[XLSX.utils.encode_cell({ r: row, c: col })] as XLSX.CellObject | undefined;
  return { sheet, rows, cell, merges: sheet['!merges'] ?? [] };
}

/** What a fixture file holds, read by SheetJS with no type guessing: every value as the text it is. */
function fixtureTable(path: string): Record<string, string>[] {
  const bytes = fixtureBytes(path);
  // A .csv is UTF-8 (the fixtures' README); SheetJS would read bare bytes as Latin-1.
  const book = path.endsWith('.csv') ? XLSX.read(bytes.toString('utf8'), { type: 'string', raw: true }) : XLSX.read(bytes, { type: 'buffer', raw: true });
  const rows = XLSX.utils.sheet_to_json<Value[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1, raw: false, defval: '' });
  const headerAt = rows.findIndex((row) => row[0] === '序号');
  const headers = rows[headerAt]!.map(String);
  return rows.slice(headerAt + 1).filter((row) => row.some((v) => v !== '')).map((row) => Object.fromEntries(headers.map((h, i) => [h, String(row[i] ?? '')])));
}

/** ID and certificate numbers must stay text, never become numbers (or lose digits) in Excel or WPS. */
function expectTextColumn(book: ReturnType<typeof readBack>, headerRow: number, header: string, firstRow = headerRow + 1) {
  const col = book.rows[headerRow]!.indexOf(header);
  expect(col).toBeGreaterThanOrEqual(0);
  for (let r = firstRow; r < book.rows.length - 1; r++) {
    const cell = book.cell(r, col);
    if (!cell || cell.v === '') continue;
    expect(cell.t).toBe('s');
    expect(cell.z).toBe('@');
  }
}

describe('the notices\' Excel forms, read back column for column', () => {
  let office: Office;
  let workerVisitId: number;
  beforeAll(async () => {
    office = await sealedOffice();
    workerVisitId = await sealWorkerVisit(office);
    office.services.setNow(new Date('2026-11-24T11:20:00+08:00'));
  }, 120_000);
  afterAll(() => office.services.close());

  it('Chongqing 2018 附件1 for a visit: the notice\'s title row, its 填报单位 line, exactly its eleven columns, each row as the roster brought it', async () => {
    const seed = attachment(notice('渝职改办〔2018〕150号'), /^附件1$/);
    const seedHeaders = seed.slice(2, seed.findIndex((line) => line.trim() === '1')).map((h) => h.trim());
    expect(seedHeaders).toEqual(['序号', '证书编号', '工作单位', '主管部门', '姓名', '性别', '身份证号码', '专业名称', '资格名称', '批准时间', '批准文号']);

    const exported = await exportForm(office.services.ctx, 'chongqing-register', { visitId: office.cleanVisitId });
    const book = readBack(exported.xlsx);
    // The notice leaves the year blank for the unit to write in; the export fills it.
    expect(plain(String(book.rows[0]![0]))).toBe(plain(seed[0]!).replace('单位)', '单位)2026'));
    const reportingLine = String(book.rows[1]![0]);
    for (const label of seed[1]!.trim().split(/\s+/)) expect(reportingLine).toContain(label.replace(/：$/, ''));
    expect(reportingLine).toContain('填报单位（签章）：四川华西集团有限公司');
    expect(book.rows[2]).toEqual(seedHeaders);

    const roster = fixtureTable('rosters/senior-clean.xlsx');
    expect(exported.rowCount).toBe(roster.length);
    const body = book.rows.slice(3, 3 + roster.length);
    expect(body).toEqual(roster.map((row, i) => seedHeaders.map((h) => (h === '序号' ? i + 1 : row[h]))));
    expectTextColumn(book, 2, '证书编号');
    expectTextColumn(book, 2, '身份证号码');
    expect(book.rows.at(-1)).toEqual([`四川省人力资源和社会保障厅　　第 ${office.cleanVisitId} 号办证　　导出时间：2026-11-24 11:20（签章窗口）`, ...Array<string>(10).fill('')]);
  });

  it('Sichuan 2015 附件3 for the day: the senior issuance roster the notice names, the replacement marked 补发 with its voided original', async () => {
    const seed = notice('四川省人力资源和社会保障厅职称考试证书专用章').join('\n');
    const exported = await exportForm(office.services.ctx, 'senior-issuance', { date: '2026-11-24' });
    const book = readBack(exported.xlsx);
    expect(seed).toContain(`《${String(book.rows[0]![0])}》`);
    expect(book.rows[1]![0]).toBe('填报单位（盖章）：四川华西集团有限公司、成都市人力资源和社会保障局　　填报日期：2026-11-24');
    const headers = book.rows[2]!;
    expect(headers).toEqual(['序号', '姓名', '性别', '身份证号码', '工作单位', '专业名称', '资格名称', '批准文号', '批准时间', '证书编号', '备注']);
    // 40 from 四川华西, 24 from 成都 (the worker-grade visit is not a senior one).
    expect(exported.rowCount).toBe(64);
    const replacement = book.rows.find((row) => row[1] === '王娜蕾')!;
    expect(replacement[headers.indexOf('备注')]).toBe('补发，原证书编号51202501000017作废');
    expect(book.rows.slice(3, 67).every((row, i) => row[0] === i + 1)).toBe(true);
    expectTextColumn(book, 2, '身份证号码');
    expectTextColumn(book, 2, '证书编号');
  });

  describe('Sichuan 2012 worker-grade forms, rows in 拓印 order (the approved list\'s)', () => {
    const roster = () => {
      const verdicts = JSON.parse(fixtureBytes('rosters/worker-grade.expected.json').toString('utf8')) as { rows: { row: number; verdict: string }[] };
      const passed = new Set(verdicts.rows.filter((r) => r.verdict === 'pass').map((r) => r.row));
      const list = fixtureTable('approved/worker-grade-2025.xlsx');
      const place = (id: string) => list.findIndex((p) => p['身份证号码'] === id);
      return fixtureTable('rosters/worker-grade.csv')
        .filter((row) => passed.has(Number(row['序号'])))
        .map((row): { brought: Record<string, string>; listed: Record<string, string> } => ({ brought: row, listed: list[place(row['身份证号码']!)]! }))
        .sort((a, b) => place(a.brought['身份证号码']!) - place(b.brought['身份证号码']!));
    };
    const birth = (id: string) => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;

    it('附件4 审批名册: the notice\'s columns with 考试考核结果 over its five, what the counter knows filled, the rest left to the unit', async () => {
      const [title, top, sub] = attachment(notice('川人社函〔2012〕389号'), /^附件\s*4$/);
      const seedTop = top!.split('\t').map(plain).filter(Boolean);
      const seedSub = sub!.split('\t').map(plain).filter(Boolean);
      const exported = await exportForm(office.services.ctx, 'worker-approval', { visitId: workerVisitId });
      const book = readBack(exported.xlsx);
      expect(book.rows[0]![0]).toBe(title!.trim());
      const group = seedTop.indexOf('考试考核结果');
      expect(book.rows[1]!.map((h) => plain(String(h))).filter(Boolean)).toEqual(seedTop);
      expect(book.rows[2]!.map((h) => plain(String(h))).filter(Boolean)).toEqual(seedSub);
      expect(book.merges).toContainEqual({ s: { r: 1, c: group }, e: { r: 1, c: group + seedSub.length - 1 } });

      const expected = roster().map(({ brought: row, listed }) => [row['姓名'], row['性别'], birth(row['身份证号码']!).slice(0, 7), '', '', '', row['批准时间']!.slice(0, 4), row['专业名称'], listed['级别'], '', '', '', '', '', row['证书编号']]);
      expect(expected).toHaveLength(26);
      expect(book.rows.slice(3, 3 + expected.length)).toEqual(expected);
      // Its header stands merged over both header rows.
      expectTextColumn(book, 1, '颁发证书编号', 3);
    });

    it('附件5 审核名册: exactly the notice\'s columns, 出生日期 from the ID number, the embossed numbers', async () => {
      const [title, declared, headers] = attachment(notice('川人社函〔2012〕389号'), /^附件\s*5$/);
      const exported = await exportForm(office.services.ctx, 'worker-review', { visitId: workerVisitId });
      const book = readBack(exported.xlsx);
      expect(book.rows[0]![0]).toBe(title!.trim());
      expect(plain(String(book.rows[1]![0]))).toBe(plain(declared!).replace('年月日', '2026-11-24'));
      expect(book.rows[2]).toEqual(headers!.split('\t').map((h) => h.trim()).filter(Boolean));
      const expected = roster().map(({ brought: row, listed }, i) => [i + 1, row['姓名'], row['性别'], birth(row['身份证号码']!), '', listed['工作单位'], row['批准时间']!.slice(0, 4), row['专业名称'], row['批准文号'], row['证书编号']]);
      expect(book.rows.slice(3, 3 + expected.length)).toEqual(expected);
      expectTextColumn(book, 2, '出生日期');
    });
  });

  it('the register for auditors: every entry of the range with the office\'s time and its hash, nothing before or after', async () => {
    const exported = await exportForm(office.services.ctx, 'register', { from: '2026-11-24', to: '2026-11-24' });
    const book = readBack(exported.xlsx);
    expect(book.rows[0]![0]).toBe('印章使用登记簿（2026年11月24日至2026年11月24日）');
    const headers = book.rows[1]!;
    const at = headers.indexOf('日期时间');
    const body = book.rows.slice(2, -1);
    expect(body.map((row) => [row[0], row[at], row[headers.indexOf('数量')], row[headers.indexOf('用章单位')]])).toEqual([
      [2, '2026-11-24T09:30:00+08:00', 40, '四川华西集团有限公司'],
      [3, '2026-11-24T10:15:00+08:00', 24, '成都市人力资源和社会保障局'],
      [4, '2026-11-24T11:00:00+08:00', 26, '德阳市人力资源和社会保障局'],
    ]);
    expect(body.every((row) => /^[0-9a-f]{64}$/.test(String(row[headers.indexOf('哈希值（SHA-256）')])))).toBe(true);
    expect(book.rows.at(-1)![0]).toBe('四川省人力资源和社会保障厅　　2026年11月24日至2026年11月24日　　导出时间：2026-11-24 11:20（签章窗口）');
  });

  it('退回清单 as .xlsx: the refused rows in the roster\'s columns, and every formula-like cell kept as text with a leading \'', async () => {
    const { call, services } = office;
    const visit = await call('visits.create', { unit: '德阳市人力资源和社会保障局', agentName: '张强', agentPhone: '13900000000', certificateType: '高级专业技术职务资格证书', slipNo: 'QZ2026-0017', slipCount: 2, slipSigner: '谢天涛' });
    const csv = [
      '序号,证书编号,姓名,性别,身份证号码,工作单位,专业名称,资格名称,批准时间',
      '1,51202599999901,"=HYPERLINK(""http://evil.example"",""点此"")",男,510105197503116582,@SUM(A1:A9),+土木工程,-高级工程师,2025-06-12',
      '2,51202599999902,王五,男,"\t510105197503116583",中铁八局集团有限公司,"=1+2",高级工程师,2025-06-12',
    ].join('\n');
    await call('visits.importRoster', { visitId: visit.id, fileName: '名册.csv', dataBase64: Buffer.from(csv).toString('base64') });
    const exported = await exportForm(services.ctx, 'returns', { visitId: visit.id });
    const book = readBack(exported.xlsx);
    expect(book.rows[1]).toEqual(['序号', '证书编号', '姓名', '性别', '身份证号码', '工作单位', '专业名称', '资格名称', '批准时间', '批准文号', '备注', '退回原因', '如何改正']);
    const [first, second] = book.rows.slice(2, 4);
    expect(first!.slice(0, 8)).toEqual([1, '51202599999901', '\'=HYPERLINK("http://evil.example","点此")', '男', '510105197503116582', '\'@SUM(A1:A9)', '\'+土木工程', '\'-高级工程师']);
    expect(second!.slice(0, 7)).toEqual([2, '51202599999902', '王五', '男', '\'\t510105197503116583', '中铁八局集团有限公司', '\'=1+2']);
    // Not one cell of the workbook is a formula.
    expect(Object.values(book.sheet).filter((c: unknown) => typeof c === 'object' && c !== null && 'f' in c)).toEqual([]);
    expect(String(first![11])).toContain('批准名单');
    expect(String(second![12])).toBe('身份证号码有误，请按身份证原件逐位核对后改正');
  });
});
