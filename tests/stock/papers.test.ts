import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICE_STOCK_COLUMNS, PLAN_FORM_TITLE, STATEMENT_COLUMNS, WORKER_ISSUE_SLIP_TITLE } from '../../core/stock/forms';
import { SPOILED_COLUMNS } from '../../core/stock/statementSheet';
import { tempDir, upload } from '../support/services';
import { ADMIN, CLERK, DEYANG, HUAXI, prepareCounter, SENIOR, sealVisit, stockOffice, SUPERVISOR, WORKER } from './support';

// The papers are the office's: printed in its time, whatever zone the PC is set to.
process.env.TZ = 'UTC';

const OUT = tempDir('seal-stock-papers-');
/** pdftotext's reading of a PDF, with the spaces it puts between wide characters taken out. */
function textOf(name: string, pdfBase64: string): string {
  const path = join(OUT, name);
  writeFileSync(path, Buffer.from(pdfBase64, 'base64'));
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}
const oneLine = (text: string) => text.replace(/\s+/g, '');

describe('the stock’s papers: 申领计划表, 发放单 and the statement as PDF, the statement as .xlsx', () => {
  const office = stockOffice('2026-03-03T09:30:00+08:00');
  let workerIssue: number;
  let seniorIssue: number;
  afterAll(() => office.services.close());

  beforeAll(async () => {
    await prepareCounter(office);
    office.as(SUPERVISOR);
    await office.call('stock.receive', { certificateType: SENIOR, year: 2026, ranges: [{ first: '51202500000101', last: '51202500000300' }] });
    await office.call('stock.receive', { certificateType: WORKER, year: 2026, count: 100 });
    workerIssue = (await office.call('stock.issue', { unit: DEYANG, certificateType: WORKER, year: 2026, basis: 'plan', grades: { 初级: 1, 中级: 11, 高级: 14, 技师: 4 }, contact: '郑科长', phone: '0838-2221234' })).seq;
    seniorIssue = (await office.call('stock.issue', { unit: HUAXI, certificateType: SENIOR, year: 2026, basis: 'roster', roster: upload('rosters/senior-clean.xlsx'), ranges: [{ first: '51202500000101', last: '51202500000142' }] })).seq;
    await office.call('stock.issue', { unit: '=HYPERLINK("http://example.invalid","领证")', certificateType: WORKER, year: 2026, basis: 'plan', grades: { 初级: 2 } });
    await office.by(ADMIN, 'reference.import', { kind: 'slips', ...upload('slips.csv') });
    await sealVisit(office, { unit: HUAXI, certificateType: SENIOR, slipNo: 'QZ2026-0006', slipCount: 40, roster: 'rosters/senior-clean.xlsx' });
    await office.by(CLERK, 'stock.spoiled', { unit: HUAXI, certificateType: SENIOR, year: 2026, certNos: ['51202500000141'] });
  });

  it('prints the 申领计划表 of 附件1 row for row, filled from the plan, in the office’s hour', async () => {
    const paper = await office.call('stock.print', { document: 'planForm', seq: workerIssue });
    expect(paper.fileName).toBe(`申领计划表-${DEYANG}-第${workerIssue}号.pdf`);
    expect(readFileSync(paper.path).equals(Buffer.from(paper.pdfBase64, 'base64'))).toBe(true);
    const text = oneLine(textOf('plan.pdf', paper.pdfBase64));
    expect(text).toContain(oneLine(PLAN_FORM_TITLE));
    expect(text).toContain('2026年3月3日');
    // The labels the form sets over two lines, and 需求数量 down its merged cell, are read line by line.
    for (const piece of ['单位', DEYANG, '联系人', '郑科长', '联系电话', '0838-2221234', '初级(本)1', '中级(本)11', '高级(本)14', '技师(本)4', '合计(本)30',
      '市(州)人力资源和社会', '保障行政部门意见', '省人力资源和社会保障', '厅职业能力建设处意见', '(印章)', '打印时间：2026-03-0309:30']) {
      expect(text).toContain(oneLine(piece));
    }
    expect(text).toMatch(/需.*求.*数.*量/);
    expect(text.indexOf('初级(本)')).toBeLessThan(text.indexOf('中级(本)'));
    expect(text.indexOf('技师(本)')).toBeLessThan(text.indexOf('合计(本)'));
    await expect(office.call('stock.print', { document: 'planForm', seq: seniorIssue })).rejects.toThrow('不是按申领计划表发放的');
  });

  it('prints the worker-grade 发放单 of 附件2 twice on the page, the lower one for the 职业能力建设处’s seal', async () => {
    const paper = await office.call('stock.print', { document: 'issueSlip', seq: workerIssue });
    const text = oneLine(textOf('slip.pdf', paper.pdfBase64));
    const sentence = oneLine(`现有 ${DEYANG} 领取空白《四川省机关事业单位工人技术等级（职务）资格证书》，其中：初级 1 本，中级 11 本，高级 14 本，技师 4 本。`);
    expect(text.split(oneLine(WORKER_ISSUE_SLIP_TITLE))).toHaveLength(3);
    expect(text.split(sentence)).toHaveLength(3);
    expect(text.split('职业能力建设处（章）')).toHaveLength(2);
    expect(text).toContain(`发放登记：第${workerIssue}号经办人：钱军`);
  });

  it('prints a senior 发放单 with its spares and number range', async () => {
    const text = oneLine(textOf('senior-slip.pdf', (await office.call('stock.print', { document: 'issueSlip', seq: seniorIssue })).pdfBase64));
    expect(text).toContain(oneLine(`现有 ${HUAXI} 领取空白《高级专业技术职务资格证书》42 本，其中：按登记表人数 40 本，备用证书 2 本。`));
    expect(text).toContain('发证机关（章）');
    expect(text).not.toContain('附件2');
    expect(text).toContain('证书编号：51202500000101–51202500000142');
  });

  it('prints the statement with issued = sealed + spoiled + held per unit and the office’s shelf, fonts embedded', async () => {
    const paper = await office.call('stock.print', { document: 'statement', year: 2026 });
    const raw = textOf('statement.pdf', paper.pdfBase64);
    const text = oneLine(raw);
    expect(text).toContain('空白证书领用对账单');
    expect(text).toContain(oneLine(STATEMENT_COLUMNS.join('')));
    expect(text).toContain(oneLine(`${HUAXI} 高级专业技术职务资格证书 42 2 0 40 1 1 51202500000101–51202500000142 相符`));
    expect(text).toContain(oneLine(`${DEYANG} 工人技术等级资格证书 30 0 0 0 0 30`));
    expect(text).toContain(oneLine(OFFICE_STOCK_COLUMNS.join('')));
    expect(text).toContain(oneLine('高级专业技术职务资格证书 200 42 158 51202500000143–51202500000300'));
    const fonts = execFileSync('pdffonts', [join(OUT, 'statement.pdf')], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansSC.*yes\s+yes\s+yes/);
    const forUnit = oneLine(textOf('statement-unit.pdf', (await office.call('stock.print', { document: 'statement', year: 2026, unit: HUAXI })).pdfBase64));
    expect(forUnit).toContain(HUAXI);
    expect(forUnit).not.toContain(DEYANG);
    expect(forUnit).not.toContain('本窗口库存');
  });

  it('exports the statement as .xlsx another reader opens: counts as numbers, numbers as text, formulas neutralised', async () => {
    const exported = await office.call('stock.exportStatement', { year: 2026 });
    expect(exported.fileName).toBe('空白证书领用对账单-2026.xlsx');
    const book = XLSX.read(Buffer.from(exported.xlsxBase64, 'base64'), { type: 'buffer' });
    expect(book.SheetNames).toEqual(['2026年度对账单', '废证明细']);
    const sheet = book.Sheets['2026年度对账单']!;
    const rows = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, raw: true });
    expect(rows[2]).toEqual([...STATEMENT_COLUMNS]);
    const huaxi = rows.find((r) => r[0] === HUAXI)!;
    expect(huaxi.slice(0, 9)).toEqual([HUAXI, SENIOR, 42, 2, 0, 40, 1, 1, '51202500000101–51202500000142']);
    const hostile = rows.find((r) => String(r[0]).includes('HYPERLINK'))!;
    expect(hostile[0]).toBe('\'=HYPERLINK("http://example.invalid","领证")');
    const rowIndex = rows.indexOf(hostile);
    const cell = sheet[XLSX.utils.encode_cell({ r: rowIndex, c: 0 })] as XLSX.CellObject;
    expect(cell.t).toBe('s');
    expect(cell.f).toBeUndefined();

    const spoiled = book.Sheets['废证明细']!;
    expect(XLSX.utils.sheet_to_json<string[]>(spoiled, { header: 1 })).toEqual([[...SPOILED_COLUMNS], [HUAXI, SENIOR, '51202500000141', '2026-03-03 09:30', '赵丽']]);
    expect(spoiled.C2).toMatchObject({ t: 's', v: '51202500000141' });
  });
});
