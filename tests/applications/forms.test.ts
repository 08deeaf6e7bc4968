import * as XLSX from '@e965/xlsx';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseCell } from '../../core/exports/forms';
import { REPO_DIR, tempDir } from '../support/services';
import { applicationsCounter, damagedCertificate, LIANG, lostCertificate, SONG, XIANG, ZHAO } from './support';

/**
 * The summary forms the applications are sent up with (DOMAIN.md §11), read back with an
 * independent reader (SheetJS) and compared cell by cell; the printed form through pdftotext.
 */
const read = (base64: string) => XLSX.read(Buffer.from(base64, 'base64'), { cellNF: true });
const rows = (sheet: XLSX.WorkSheet) => XLSX.utils.sheet_to_json<(string | number | null)[]>(sheet, { header: 1, raw: true, defval: null });

const NOTICE = '遗失，已于2026年8月1日在《四川日报》（CN51-0001）刊登遗失声明';
const HOSTILE_UNIT = '=HYPERLINK("http://evil.example","点击")';

describe('the summary forms of the replacements waiting for the May window', () => {
  const counter = applicationsCounter(new Date('2027-04-20T09:00:00+08:00'));
  const { call } = counter;
  const shots = join(REPO_DIR, 'test-results', 'applications');

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await counter.prepare();
    await counter.seal([{ certNo: 'C0001', person: XIANG }, { certNo: 'C0002', person: SONG }, { certNo: '-C0003', person: ZHAO }]);
    await call('replacements.add', lostCertificate(XIANG, 'C0001', '2026-08-01'));
    await call('replacements.add', { ...damagedCertificate(SONG, 'C0002'), damage: { reason: '填错', correction: '批准时间应为2025-11-20' } });
    await call('replacements.add', damagedCertificate({ ...ZHAO, workUnit: HOSTILE_UNIT }, '-C0003'));
    // A vocational (执业) certificate sealed on paper before the app: an exam certificate, it goes up in the window too.
    await call('replacements.add', {
      ...lostCertificate(LIANG, 'Z2018000123', '2026-09-09'),
      original: { certNo: 'Z2018000123', certificateType: '职（执）业资格证书', qualification: '二级建造师', major: '建筑工程', level: '二级', approvedOn: '2018-10-15', approvalDoc: '川人社办发〔2018〕200号' },
      approval: { reason: '已核对2018年纸质登记表' },
    });
    counter.setNow(new Date('2027-05-10T10:00:00+08:00'));
  });
  afterAll(() => counter.services.close());

  it('lists what waits for the next window: 2027年5月, by the 31st', async () => {
    const list = await call('replacements.list', {});
    expect(list.nextWindow).toEqual({ key: '2027-05', deadline: '2027-05-31', label: '2027年5月报送（5月31日前）' });
    expect(list.waiting).toBe(4);
    expect(list.items.map((a) => [a.appNo, a.status])).toEqual([['补换2027-0004', '待报送'], ['补换2027-0003', '待报送'], ['补换2027-0002', '待报送'], ['补换2027-0001', '待报送']]);
  });

  it('exports Sichuan 2015 附件5 as .xlsx: every cell as expected, numbers as text cells, formula-like text neutralised', async () => {
    const exported = await call('replacements.export', { form: '四川2015附件5' });
    expect(exported).toMatchObject({ fileName: '附件5-更换、补发专业、职（执）业资格证书人员情况登记表-2027年5月.xlsx', rowCount: 4, window: { key: '2027-05' } });
    const book = read(exported.dataBase64);
    expect(book.SheetNames).toEqual(['附件5']);
    const sheet = book.Sheets['附件5']!;
    expect(rows(sheet)).toEqual([
      ['附件5', null, null, null, null, null, null, null, null, null, null, null, null],
      ['更换、补发专业、职（执）业资格证书人员情况登记表', null, null, null, null, null, null, null, null, null, null, null, null],
      ['报送单位（盖章）：四川省人力资源和社会保障厅　　填报人：　　　　　联系电话：　　　　　　报送日期：2027年5月10日', null, null, null, null, null, null, null, null, null, null, null, null],
      ['报送批次：2027年5月报送（5月31日前）', null, null, null, null, null, null, null, null, null, null, null, null],
      ['序号', '姓名', '性别', '身份证号码', '证书名称', '专业', '级别', '证书编号', '取得时间', '工作单位', '更换或补发', '更换、补发原因', '备注'],
      [1, '向莉芳', '女', '510107199206205820', '中级会计师', '会计', '中级', 'C0001', '2025-11-20', '四川省建筑设计研究院有限公司', '补发', NOTICE, '补换2027-0001'],
      [2, '宋璐丽', '女', '511902198206083788', '中级会计师', '会计', '中级', 'C0002', '2025-11-20', '四川省建筑设计研究院有限公司', '更换', '填错：批准时间应为2025-11-20', '补换2027-0002'],
      [3, '赵雨浩', '男', '510106198803021033', '中级会计师', '会计', '中级', "'-C0003", '2025-11-20', `'${HOSTILE_UNIT}`, '更换', '损坏', '补换2027-0003'],
      [4, '梁浩明', '男', '510108199201083779', '二级建造师', '建筑工程', '二级', 'Z2018000123', '2018-10-15', '四川省建筑设计研究院有限公司', '补发', '遗失，已于2026年9月9日在《四川日报》（CN51-0001）刊登遗失声明', '补换2027-0004'],
      ['共 4 人。附：证书补办人（更换人）提交的全部材料。', null, null, null, null, null, null, null, null, null, null, null, null],
      ['说明：每年5月、11月集中两次报送省职改办；证书编号、身份证号码请勿改为数值格式。', null, null, null, null, null, null, null, null, null, null, null, null],
    ]);
    for (const address of ['D6', 'D9', 'H6', 'H9']) expect(sheet[address]).toMatchObject({ t: 's', z: '@' });
    expect(sheet.A6).toMatchObject({ t: 'n', v: 1 });
    expect(sheet['!merges']?.map((m) => XLSX.utils.encode_range(m))).toEqual(expect.arrayContaining(['A2:M2', 'A3:M3', 'A4:M4', 'A10:M10']));
  });

  it('prints the same form as an A4 landscape PDF', async () => {
    const printed = await call('replacements.print', { form: '四川2015附件5' });
    const pdfPath = join(tempDir(), printed.fileName);
    writeFileSync(pdfPath, Buffer.from(printed.pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const expected of ['附件5', '更换、补发专业、职（执）业资格证书人员情况登记表', '报送批次：2027年5月报送（5月31日前）', '510107199206205820', '补换2027-0004', '二级建造师']) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/第\s*1\s*页\s*\/\s*共\s*1\s*页/);
    expect(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.89 x 595\.28/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdfPath, join(shots, 'sichuan-form')], { stdio: 'ignore' });
  });

  it('exports Anhui 2013 附件3 and 附件4: the professional and the vocational certificates apart', async () => {
    const exported = await call('replacements.export', { form: '安徽2013附件3附件4' });
    const book = read(exported.dataBase64);
    expect(book.SheetNames).toEqual(['附件3', '附件4']);
    const professional = rows(book.Sheets['附件3']!);
    expect(professional[1]![0]).toBe('补（换）发专业技术资格证书情况汇总表');
    expect(professional[3]).toEqual(['序号', '姓名', '性别', '身份证号码', '工作单位', '资格名称', '专业', '级别', '取得资格时间', '原证书编号', '补发或换发', '补（换）发原因', '备注']);
    expect(professional.slice(4, 7).map((r) => [r[0], r[1], r[9], r[10]])).toEqual([[1, '向莉芳', 'C0001', '补发'], [2, '宋璐丽', 'C0002', '换发'], [3, '赵雨浩', "'-C0003", '换发']]);
    const vocational = rows(book.Sheets['附件4']!);
    expect(vocational[1]![0]).toBe('补（换）发职业（执业）资格证书情况汇总表');
    expect(vocational[3]![5]).toBe('职业（执业）资格名称');
    expect(vocational[4]).toEqual([1, '梁浩明', '男', '510108199201083779', '四川省建筑设计研究院有限公司', '二级建造师', '建筑工程', '二级', '2018-10-15', 'Z2018000123', '补发', '遗失，已于2026年9月9日在《四川日报》（CN51-0001）刊登遗失声明', '补换2027-0004']);
  });

  it('fills Chongqing 2018 附件2 for one person, cell for cell as the notice prints it', async () => {
    const exported = await call('replacements.export', { form: '重庆2018附件2', appNos: ['补换2027-0001'] });
    const book = read(exported.dataBase64);
    expect(book.SheetNames).toEqual(['附件2-1-向莉芳']);
    const signed = '年　　月　　日';
    const form = rows(book.Sheets[book.SheetNames[0]!]!);
    expect(form).toEqual([
      ['附件2', null, null, null, null, null],
      ['职称证书补办（换发）申请表', null, null, null, null, null],
      ['姓　名', '向莉芳', '性别', '女', '出生年月', '1992年6月'],
      ['身份证号码', '510107199206205820', null, '联系电话', '13800000001', null],
      ['补办（换发）理由', '■补办　□换发', null, '遗失登报报纸名称及时间', '《四川日报》 2026年8月1日', null],
      ['原证书编号', 'C0001', null, '新证书编号', '', null],
      ['专业名称', '会计', null, '资格名称', '中级会计师', null],
      ['批准时间', '2025-11-20', null, '批准文号', '川人社办发〔2025〕96号', null],
      ['申请人签字', signed, null, null, null, null],
      ['工作单位意见', signed, null, null, null, null],
      ['区县人才机构或区县主管部门意见', signed, null, null, null, null],
      ['区县职改办或市级主管部门意见', signed, null, null, null, null],
      ['资格核准部门意见', signed, null, null, null, null],
    ]);
    const printed = await call('replacements.print', { form: '重庆2018附件2', appNos: ['补换2027-0001', '补换2027-0002'] });
    const pdfPath = join(tempDir(), printed.fileName);
    writeFileSync(pdfPath, Buffer.from(printed.pdfBase64, 'base64'));
    expect(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' })).toMatch(/Pages:\s+2/);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('区县人才机构或区县主管部门意见');
    expect(text).toMatch(/■补办\s+□换发/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-singlefile', pdfPath, join(shots, 'chongqing-form')], { stdio: 'ignore' });
  });

  it('records the send-up: the applications leave the waiting list, and an empty window says so', async () => {
    const waiting = (await call('replacements.list', { status: '待报送' })).items.map((a) => a.appNo);
    const sent = await call('replacements.markSent', { appNos: waiting, form: '四川2015附件5' });
    expect(sent.window.key).toBe('2027-05');
    expect(sent.items.map((a) => [a.status, a.sent?.windowKey])).toEqual(waiting.map(() => ['已报送', '2027-05']));
    await expect(call('replacements.export', { form: '四川2015附件5' })).rejects.toThrow('没有等待报送的补办（换发）申请（下一批：2027年5月报送（5月31日前））。');
    await expect(call('replacements.markSent', { appNos: [waiting[0]!], form: '四川2015附件5' })).rejects.toThrow(/的状态是“已报送”，不在待报送之列。未做任何登记。/);
  });
});

describe('formula-like text in an export', () => {
  it('gets a leading apostrophe for = + - @, tab, carriage return and NUL, and nothing else', () => {
    for (const text of ['=1+1', '+86', '-5', '@SUM(A1)', '\tx', '\rx', '\0x']) expect(neutraliseCell(text)).toBe(`'${text}`);
    for (const text of ['510107199206205820', '川人社办发〔2025〕96号', ' =1', '']) expect(neutraliseCell(text)).toBe(text);
  });
});
