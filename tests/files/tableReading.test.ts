import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApprovedList } from '../../core/lists/approvedList';
import { parseCsv } from '../../core/files/csv';
import { decodeText } from '../../core/files/encoding';
import { parseRoster } from '../../core/verify/roster';
import { readSheet } from '../../core/files/readSheet';
import { ImportError } from '../../core/files/sheet';
import { normalizeDate, normalizeName, normalizeText } from '../../core/verify/text';
import { fixtureBytes, REPO_DIR } from '../support/services';

const TODAY = '2026-11-22';

describe('text normalisation', () => {
  it('folds full-width characters, trims, and removes spaces inside names', () => {
    expect(normalizeText('　ＡＢＣ１２３　')).toBe('ABC123');
    expect(normalizeName(' 欧阳 明 ')).toBe('欧阳明');
  });

  it('reads the date notations offices use', () => {
    for (const written of ['2025-06-12', '2025/6/12', '2025.06.12', '2025年6月12日', '20250612']) expect(normalizeDate(written)).toBe('2025-06-12');
    expect(normalizeDate(45820)).toBe('2025-06-12');
    expect(normalizeDate('2025-02-30')).toBeNull();
  });
});

describe('CSV files', () => {
  it('keeps quoted commas, quotes and line breaks inside a field', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n"f\ng",,\r\n')).toEqual([['a', 'b,c', 'd"e'], ['f\ng', null, null]]);
  });

  it('detects GBK without being told, and UTF-8 with or without a BOM', () => {
    const gbk = fixtureBytes('approved/exam-economist-2025.gbk.csv');
    expect(decodeText('e.csv', gbk)).toMatchObject({ encoding: 'GB18030', text: expect.stringContaining('身份证号码') });
    expect(decodeText('a.csv', fixtureBytes('approved/exam-intermediate-accountant-2025.csv')).text.startsWith('序号')).toBe(true);
    expect(decodeText('w.csv', fixtureBytes('rosters/worker-grade.csv'))).toMatchObject({ encoding: 'UTF-8', text: expect.stringMatching(/^序号/) });
  });
});

describe('approved lists', () => {
  it('finds the header below title rows and takes the 批准文号 from the title row', () => {
    const list = parseApprovedList('senior-engineers-2025.xlsx', fixtureBytes('approved/senior-engineers-2025.xlsx'), TODAY);
    expect(list).toMatchObject({ approvalDoc: '川职改〔2025〕12号', title: '2025年度四川省高级工程师评审通过人员名单', certificateType: '高级专业技术职务资格证书', headerLine: 3, rejected: [] });
    expect(list.rows).toHaveLength(300);
    expect(list.rows[0]).toMatchObject({ line: 4, name: '赵梅琴', idNumber: '510703197903024724', approvedOn: '2025-07-10', approvalDoc: '川职改〔2025〕12号' });
  });

  it('takes the 批准文号 from its column and infers the certificate type from the grades', () => {
    expect(parseApprovedList('w.xlsx', fixtureBytes('approved/worker-grade-2025.xlsx'), TODAY)).toMatchObject({ approvalDoc: '川人社职鉴〔2025〕8号', certificateType: '工人技术等级资格证书' });
    expect(parseApprovedList('e.csv', fixtureBytes('approved/exam-economist-2025.gbk.csv'), TODAY)).toMatchObject({ approvalDoc: '川人社办发〔2025〕112号', certificateType: '专业技术资格证书' });
  });

  it('lists each unusable row with its line number and reason', () => {
    const csv = '序号,姓名,性别,身份证号码,资格名称,批准文号\n1,张三,男,510121196707144636,高级工程师,川职改〔2025〕12号\n2,李四,男,5.10104E+17,高级工程师,川职改〔2025〕12号\n3,,女,510703197903024724,高级工程师,川职改〔2025〕12号\n';
    const list = parseApprovedList('bad.csv', new TextEncoder().encode(csv), TODAY);
    expect(list.rejected).toEqual([{ line: 3, reason: expect.stringContaining('文本') }, { line: 4, reason: '姓名为空' }]);
  });
});

describe('files that cannot be read', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('names a missing required column', () => {
    expect(() => parseRoster('r.csv', bytes('序号,姓名,性别,资格名称,证书编号\n1,张三,男,高级工程师,51202501000201\n'))).toThrow(/缺少必需的列：“身份证号码”/);
  });

  it('says so when there is no header or no data', () => {
    expect(() => parseRoster('r.csv', bytes('a,b,c\n1,2,3\n'))).toThrow(ImportError);
    expect(() => parseRoster('r.csv', bytes('序号,证书编号,姓名,身份证号码,资格名称\n'))).toThrow(/没有数据行/);
    expect(() => readSheet('r.csv', new Uint8Array())).toThrow(/空的/);
  });

  it('refuses a broken .xlsx and an unknown format with a Chinese sentence', () => {
    expect(() => readSheet('r.xlsx', bytes('not a zip'))).toThrow(/不是有效的 \.xlsx 文件/);
    expect(() => readSheet('r.pdf', bytes('%PDF'))).toThrow(/无法识别/);
  });

  it('does not let a "__proto__" header touch any object', () => {
    const roster = parseRoster('r.csv', bytes('__proto__,序号,证书编号,姓名,身份证号码,资格名称\nx,1,51202501000201,张三,510121196707144636,高级工程师\n'));
    expect(roster.rows).toHaveLength(1);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('Excel 97–2003 workbooks (.xls)', () => {
  const local = (name: string) => readFileSync(join(REPO_DIR, 'tests', 'fixtures', name));

  it('read cell for cell as the same workbook saved as .xlsx, merged title rows included', () => {
    expect(readSheet('senior-clean.xls', local('senior-clean.xls')).rows).toEqual(readSheet('senior-clean.xlsx', fixtureBytes('rosters/senior-clean.xlsx')).rows);
    expect(readSheet('worker-grade-2025.xls', local('worker-grade-2025.xls')).rows).toEqual(readSheet('worker-grade-2025.xlsx', fixtureBytes('approved/worker-grade-2025.xlsx')).rows);
  });

  it('refuses a file that is not a workbook with a Chinese sentence', () => {
    expect(() => readSheet('r.xls', new TextEncoder().encode('<html>an HTML page saved as .xls</html>'))).toThrow(/实际是网页（HTML）而不是 Excel 工作簿/);
    expect(() => readSheet('r.xls', new TextEncoder().encode('PDF? no: just some bytes that are no workbook at all'))).toThrow(/不是有效的 \.xls 文件/);
  });
});
