import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isDateFormat, serialToDate } from '../../core/files/dates';
import { readSheet } from '../../core/files/readSheet';
import { worksheetFromPieces } from '../../core/files/xlsx';
import { readTable } from '../../core/verify/columns';
import { parseRoster } from '../../core/verify/roster';
import { normalizeDate } from '../../core/verify/text';
import { textCorpus } from './corpus/textCorpus';
import { truncatedXls, xlsCorpus, xlsWithHalfCharacterAtBoundary } from './corpus/xlsCorpus';
import { xlsxCorpus } from './corpus/xlsxCorpus';

/** What a clerk sees in Excel is what the readers give, for the cases the review found read wrongly. */
const corpus = new Map([...xlsxCorpus(), ...xlsCorpus(), ...textCorpus()].map((f) => [f.name, f.bytes]));
const file = (name: string) => corpus.get(name)!;

describe('dates', () => {
  it('floors a date-time to its day, after noon too, in cells and in numbers read as dates', () => {
    expect(serialToDate(45827.75, false)).toBe('2025-06-19');
    expect(serialToDate(45827.999, false)).toBe('2025-06-19');
    expect(normalizeDate(45827.75)).toBe('2025-06-19');
    expect(readSheet('d.xlsx', file('dates-style-5.xlsx')).rows[2]![6]).toBe('2025-06-19');
  });

  it('reads the 1904 date system as the same days, in .xlsx and .xls', () => {
    for (const name of ['dates-1904.xlsx', 'dates-1904.xls']) {
      expect(readSheet(name, file(name)).rows.slice(1).map((r) => r[6])).toEqual(['2025-06-12', '2025-06-19', '2025-06-26']);
    }
  });

  it('tells date formats from numbers, text and times of day', () => {
    for (const code of ['yyyy/m/d', 'yyyy"年"m"月"d"日"', '[$-804]yyyy年m月d日', 'm/d/yy h:mm', 'mmm-yy', 'd-mmm']) expect(isDateFormat(code), code).toBe(true);
    for (const code of ['General', 'G/通用格式', '0', '@', '0.00E+00', 'h:mm:ss', '[h]:mm', 'mm:ss', '"年"0', '#,##0 "元"']) expect(isDateFormat(code), code).toBe(false);
  });

  it('keeps an ID number stored as a number a number, whatever its format', () => {
    expect(readSheet('i.xlsx', file('id-as-number.xlsx')).rows[1]![2]).toBe(510121196707144600);
    expect(readSheet('i.xls', file('id-as-number.xls')).rows[1]![2]).toBe(510121196707144600);
    const roster = 'id.xlsx';
    const zipped = zipSync({
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="s" Type="http://x/styles" Target="styles.xml"/></Relationships>'),
      'xl/styles.xml': strToU8('<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="49"/></cellXfs></styleSheet>'),
      'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>5.10121196707144E+17</v></c><c r="B1" s="2"><v>510121196707144600</v></c></row></sheetData></worksheet>'),
    });
    expect(readSheet(roster, zipped).rows[0]).toEqual([510121196707144000, 510121196707144600]);
  });
});

describe('workbooks of several sheets', () => {
  it('takes the visible sheet that holds the header and says which', () => {
    for (const name of ['several-sheets.xlsx', 'several-sheets.xls']) {
      const table = readTable(name, file(name), ['name', 'idNumber']);
      expect(table).toMatchObject({ sheetName: '发证名册', sheetCount: 3, headerLine: 1 });
      expect(table.dataRows).toHaveLength(3);
    }
  });

  it('refuses a workbook whose header is only on a hidden sheet', () => {
    const zipped = zipSync({
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="空" sheetId="1" r:id="rId1"/><sheet name="藏" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>'),
      'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData/></worksheet>'),
      'xl/worksheets/sheet2.xml': strToU8('<worksheet><sheetData><row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>身份证号码</t></is></c><c t="inlineStr"><is><t>资格名称</t></is></c></row></sheetData></worksheet>'),
    });
    expect(() => readTable('h.xlsx', zipped, ['name'])).toThrow(/表头只在隐藏的工作表“藏”中/);
  });

  it('names the sheet in what it says about a workbook of several', () => {
    expect(() => readTable('s.xlsx', file('several-sheets.xlsx'), ['name', 'major'])).toThrow(/文件“s.xlsx”的工作表“发证名册”缺少必需的列：“专业名称”/);
  });
});

describe('how rows and cells are written', () => {
  it('reads the Open XML SDK\'s x: prefixes, which once gave zero rows', () => {
    const rows = readSheet('o.xlsx', file('openxml-sdk-prefixed.xlsx')).rows;
    expect(rows).toHaveLength(4);
    expect(rows[1]!.slice(0, 4)).toEqual([1, '张洁露', '女', '51012119710725350X']);
  });

  it('counts a row written without r as the next row, an empty one too', () => {
    const rows = worksheetFromPieces(['<worksheet><sheetData><row><c><v>1</v></c></row><row/><row><c><v>3</v></c></row><row r="7"><c><v>7</v></c></row><row><c r="C8"><v>8</v></c></row></sheetData></worksheet>']);
    expect(rows.map((r) => r.length === 0 ? null : r.filter((c) => c !== null)[0])).toEqual([1, null, 3, null, null, null, 7, 8]);
  });

  it('refuses a formula saved without its result in a column the roster needs, naming the cell', () => {
    const zipped = zipSync({
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
      'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData><row r="1">' + ['序号', '证书编号', '姓名', '身份证号码', '资格名称'].map((t) => `<c t="inlineStr"><is><t>${t}</t></is></c>`).join('')
        + '</row><row r="2"><c><v>1</v></c><c t="inlineStr"><is><t>51202501000101</t></is></c><c t="str"><f>"王"&amp;"芳"</f></c><c t="inlineStr"><is><t>510121196707144626</t></is></c><c t="inlineStr"><is><t>高级工程师</t></is></c></row></sheetData></worksheet>'),
    });
    expect(() => parseRoster('f.xlsx', zipped)).toThrow(/C2 单元格是没有保存计算结果的公式/);
  });
});

describe('.xls workbooks that are damaged', () => {
  it('says a worksheet without its end record is cut short, instead of importing the rows before the cut', () => {
    expect(() => parseRoster('t.xls', truncatedXls(40, 17))).toThrow(/工作表“Sheet1”不完整（文件可能被截断）/);
  });

  it('says a string cut in half at a CONTINUE boundary is damage, at once', () => {
    const started = performance.now();
    expect(() => readSheet('h.xls', xlsWithHalfCharacterAtBoundary())).toThrow(/字符串在记录边界处被截断/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('text files', () => {
  it.each(textCorpus().map((c) => [c.name, c] as const))('reads %s', (_name, c) => {
    const rows = readSheet(c.name, c.bytes).rows;
    expect(rows, c.about).toEqual(c.rows);
  });

  it('reads a GB18030 character outside GBK', () => {
    expect(readSheet('t.csv', file('csv-gb18030.csv')).rows[2]![1]).toBe('王𠀾');
    expect(readSheet('t.txt', file('text-gbk-tabs.txt')).rows[2]![1]).toBe('王𠀾');
  });

  it('refuses a byte that is not valid in the file\'s encoding, naming its line, instead of storing U+FFFD', () => {
    const gbk = file('csv-gb18030.csv');
    const broken = new Uint8Array(gbk);
    // The last line's name (line 5 of the file: a quoted field above holds a line break): a lead byte followed by a byte no GBK character has.
    const at = broken.lastIndexOf(0x0a, broken.length - 2) + 3;
    broken[at] = 0x81;
    broken[at + 1] = 0x7f;
    expect(() => readSheet('b.csv', broken)).toThrow(/第 5 行有按 GBK\/GB18030 编码无法识别的字节/);
    const utf8 = new TextEncoder().encode('序号,姓名\n1,王芳\n2,李\xff娜\n'.replace('\xff', ''));
    const bad = new Uint8Array([...utf8.subarray(0, utf8.length - 4), 0xff, ...utf8.subarray(utf8.length - 4)]);
    expect(() => readSheet('u.csv', bad)).toThrow(/第 3 行有按 UTF-8 编码无法识别的字节/);
    const utf16 = file('unicode-text.txt').slice(0, 40);
    expect(() => readSheet('w.txt', new Uint8Array([...utf16, 0x00, 0xd8, 0x41, 0x00]))).toThrow(/按 UTF-16LE 编码无法识别/);
  });
});
