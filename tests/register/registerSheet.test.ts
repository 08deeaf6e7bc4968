import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentTable, TDocumentDefinitions } from 'pdfmake/interfaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ENTRIES_TEXT, REGISTER_SHEET_FONT, REGISTER_SHEET_TITLE, SIGNATURE_ROW_HEIGHT, registerSheetDocument, type RegisterSheetEntry, type RegisterSheetInput } from '../../core/register/registerSheet';
import { registerSheetPdf } from '../../services/print/pdf';
import { wallClockMinutes } from '../../core/time';

const OFFICE = '四川省人力资源和社会保障厅';
const UNITS = ['成都市人力资源和社会保障局', '绵阳市人力资源和社会保障局', '中国石油天然气股份有限公司西南油气田分公司'];

function entry(seq: number): RegisterSheetEntry {
  return {
    seq,
    at: `2026-11-22T09:${String(seq % 60).padStart(2, '0')}:05+08:00`,
    sealName: '职称考试证书专用章',
    sealKind: seq % 2 === 0 ? '红印' : '钢印',
    documentKind: '证书',
    count: 12,
    unit: UNITS[seq % UNITS.length] ?? '',
    purpose: '2025年度高级工程师证书签章',
    slipNo: `QT2026-${String(seq).padStart(4, '0')}`,
    approver: '王建国',
    clerk: '李娟',
    agentName: '张伟',
    agentPhone: '13808012345',
  };
}

function sheet(entryCount: number): RegisterSheetInput {
  return {
    officeName: OFFICE,
    subtitle: '2026年11月22日',
    printedAt: '2026-11-22 17:05',
    entries: Array.from({ length: entryCount }, (_, index) => entry(index + 1)),
  };
}

function registerTable(doc: TDocumentDefinitions): ContentTable['table'] {
  const content = Array.isArray(doc.content) ? doc.content : [doc.content];
  const table = content.find((node): node is ContentTable => typeof node === 'object' && node !== null && 'table' in node);
  if (!table) throw new Error('the sheet has no table');
  return table.table;
}

function cellText(cell: unknown): unknown {
  return typeof cell === 'object' && cell !== null && 'text' in cell ? cell.text : undefined;
}

describe('register sheet document (印章使用登记表)', () => {
  it('is an A4 landscape page in the embedded Chinese font', () => {
    const doc = registerSheetDocument(sheet(3));
    expect(doc.pageSize).toBe('A4');
    expect(doc.pageOrientation).toBe('landscape');
    expect(doc.defaultStyle?.font).toBe(REGISTER_SHEET_FONT);
  });

  it('has the register columns, ending with a wide signature column, and repeats them on every page', () => {
    const table = registerTable(registerSheetDocument(sheet(3)));
    expect(table.headerRows).toBe(1);
    expect(table.body[0]?.map(cellText)).toEqual(['序号', '日期时间', '印章名称', '用印文件', '数量', '用章单位', '事由', '凭条编号', '审批人', '窗口经办人', '经办人及电话', '经办人签字']);
    const widths = table.widths;
    if (!Array.isArray(widths)) throw new Error('column widths should be listed per column');
    const signatureWidth = widths.at(-1);
    expect(typeof signatureWidth === 'number' && signatureWidth >= 80).toBe(true);
  });

  it('leaves every entry row tall enough to sign in, and never splits a row over two pages', () => {
    const table = registerTable(registerSheetDocument(sheet(3)));
    const heights = table.heights;
    if (typeof heights !== 'function') throw new Error('row heights should be set per row');
    expect(heights(1)).toBeGreaterThanOrEqual(SIGNATURE_ROW_HEIGHT);
    expect(table.dontBreakRows).toBe(true);
  });

  it('prints one row per entry with the seal and its kind, the agent and phone, and an empty signature cell', () => {
    const table = registerTable(registerSheetDocument(sheet(3)));
    expect(table.body).toHaveLength(4);
    expect(table.body[1]?.map(cellText)).toEqual(['1', '2026-11-22 09:01', '职称考试证书专用章（钢印）', '证书', '12', '绵阳市人力资源和社会保障局', '2025年度高级工程师证书签章', 'QT2026-0001', '王建国', '李娟', '张伟\n13808012345', '']);
  });

  it('prints the time as written at the counter, to the minute, whatever zone the printing machine is in', () => {
    expect(wallClockMinutes('2026-11-22T09:31:05+08:00')).toBe('2026-11-22 09:31');
    expect(wallClockMinutes('2026-11-22 23:59:59')).toBe('2026-11-22 23:59');
    expect(wallClockMinutes('2026-11-22T01:02:03.456Z')).toBe('2026-11-22 01:02');
    expect(wallClockMinutes('不是时间')).toBe('不是时间');
  });

  it('says 无登记记录 in place of rows when there is nothing to print', () => {
    const table = registerTable(registerSheetDocument(sheet(0)));
    expect(table.body).toHaveLength(2);
    expect(cellText(table.body[1]?.[0])).toBe(NO_ENTRIES_TEXT);
  });
});

describe('register sheet PDF', () => {
  let workDir = '';

  beforeAll(() => {
    for (const tool of ['pdftotext', 'pdffonts']) {
      try {
        execFileSync(tool, ['-v'], { stdio: 'ignore' });
      } catch {
        throw new Error(`${tool} was not found on PATH. These tests read the PDF back with poppler-utils: install it (apt-get install -y poppler-utils, brew install poppler).`);
      }
    }
    workDir = mkdtempSync(join(tmpdir(), 'register-sheet-'));
  });

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function renderToFile(name: string, input: RegisterSheetInput): Promise<string> {
    const path = join(workDir, `${name}.pdf`);
    writeFileSync(path, await registerSheetPdf(input));
    return path;
  }

  const textOf = (pdfPath: string) => execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  const pageFooter = (page: number | string, pageCount: number | string) => new RegExp(`第\\s*${page}\\s*页\\s*/\\s*共\\s*${pageCount}\\s*页`);

  it('renders a one-page sheet whose Chinese text can be read back', async () => {
    const text = textOf(await renderToFile('three', sheet(3)));
    expect(text).toContain(OFFICE);
    expect(text).toContain(REGISTER_SHEET_TITLE);
    expect(text).toContain('2026年11月22日');
    expect(text).toContain('绵阳市人力资源和社会保障局');
    expect(text).toContain('本表由签章窗口生成');
    expect(text).toMatch(pageFooter(1, 1));
  });

  it('embeds only a subset of Noto Sans SC, with a Unicode map so text can be copied', async () => {
    const listing = execFileSync('pdffonts', [await renderToFile('fonts', sheet(3))], { encoding: 'utf8' });
    const fontLines = listing.split('\n').slice(2).filter((line) => line.trim() !== '');
    expect(fontLines.length).toBeGreaterThan(0);
    for (const line of fontLines) {
      // A subset font's name carries a six-letter tag: ABCDEF+NotoSansSC-Regular.
      expect(line).toMatch(/^[A-Z]{6}\+NotoSansSC-/);
      expect(line).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
    }
  });

  it('runs 120 entries over several pages, each numbered against the total', async () => {
    const text = textOf(await renderToFile('long', sheet(120)));
    const totals = [...text.matchAll(new RegExp(pageFooter('(\\d+)', '(\\d+)'), 'g'))];
    const pageCount = Number(totals[0]?.[2]);
    expect(pageCount).toBeGreaterThan(1);
    expect(totals.map((match) => Number(match[1]))).toEqual(Array.from({ length: pageCount }, (_, index) => index + 1));
    expect(totals.every((match) => Number(match[2]) === pageCount)).toBe(true);
    // The column titles are repeated at the top of every page.
    expect(text.split('\f').filter((page) => page.includes('经办人签字'))).toHaveLength(pageCount);
    expect(text).toContain('QT2026-0120');
  });

  it('renders an empty sheet that says 无登记记录', async () => {
    const text = textOf(await renderToFile('empty', { ...sheet(0), subtitle: '第 12 号办证：成都市人力资源和社会保障局' }));
    expect(text).toContain(NO_ENTRIES_TEXT);
    expect(text).toContain('第 12 号办证');
    expect(text).toMatch(pageFooter(1, 1));
  });
});
