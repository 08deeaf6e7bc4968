import { zipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { parseApprovedListFile } from '../../services/files/untrustedFiles';
import { clientOf, fixtureBytes, freshServices } from '../support/services';

/**
 * Files are untrusted. Each hostile one gets a clear Chinese error, the app keeps answering,
 * and nothing already recorded changes.
 */
const HEADER = '序号,姓名,性别,身份证号码,资格名称,批准文号\n';
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A minimal workbook whose sheet XML the caller writes. */
function workbook(sheetXml: string): Uint8Array {
  return zipSync({
    'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  });
}

/** A zip bomb as far as the reader can tell: the directory says the sheet inflates to 4 GB. */
function zipBomb(): Uint8Array {
  const bytes = workbook('<worksheet><sheetData/></worksheet>');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 46 <= bytes.length; at++) {
    if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, 0xfffffff0, true);
  }
  return bytes;
}

describe('hostile files', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  afterAll(() => services.close());

  const rows = (n: number) => `<worksheet><sheetData>${Array.from({ length: n }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('')}</sheetData></worksheet>`;
  const cases: [string, string, () => Uint8Array, RegExp][] = [
    ['a zip bomb', 'bomb.xlsx', zipBomb, /解压后超过 256 MB/],
    ['a __proto__ header that also names no known column', 'proto.csv', () => strToU8('__proto__,constructor,prototype\n1,2,3\n'), /找不到表头/],
    ['more than 200,000 rows of CSV', 'rows.csv', () => strToU8(HEADER + '1\n'.repeat(200_001)), /超过 200000 行/],
    ['a sheet that claims row 200,001', 'rows.xlsx', () => workbook('<worksheet><sheetData><row r="200001"><c r="A200001" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'), /超过 200000 行/],
    ['a row number past Excel\'s 1,048,576', 'far.xlsx', () => workbook('<worksheet><sheetData><row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData></worksheet>'), /已损坏.*行号无效/],
    ['a 50 MB CSV', 'big.csv', () => new Uint8Array(50 * 1024 * 1024).fill(0x41), /超过 32 MB/],
    ['a web page named .xlsx', 'fake.xlsx', () => strToU8('<html>not a workbook</html>'), /实际是网页（HTML）/],
    ['bytes that are no workbook at all', 'fake.xlsx', () => strToU8('just some bytes'), /不是有效的 \.xlsx 文件/],
    ['an invalid character reference', 'ref.xlsx', () => workbook('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&#x110000;</t></is></c></row></sheetData></worksheet>'), /已损坏/],
    ['an entity the file defines for itself', 'dtd.xlsx', () => workbook('<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'), /已损坏/],
    ['nesting ten thousand deep', 'deep.xlsx', () => workbook(`<worksheet>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</worksheet>`), /已损坏/],
    ['a cell at column 17 million', 'wide.xlsx', () => workbook('<worksheet><sheetData><row r="1"><c r="ZZZZZ1"><v>1</v></c></row></sheetData></worksheet>'), /已损坏.*无效的单元格位置/],
    ['a sheet that stops in the middle', 'cut.xlsx', () => workbook(rows(50).slice(0, 600)), /已损坏.*sheet1\.xml/],
  ];

  it.each(cases)('refuses %s with a clear message and records nothing', async (_label, fileName, makeBytes, message) => {
    await expect(call('lists.import', { fileName, dataBase64: base64(makeBytes()) })).rejects.toThrow(message);
    expect(await call('lists.list', {})).toEqual([]);
  });

  it('reads unclosed <row> and <c> tags in time linear in their length', async () => {
    const unclosed = (n: number) => workbook(`<worksheet><sheetData>${'<row><c>'.repeat(n)}`);
    const timed = async (n: number) => {
      const started = performance.now();
      await expect(parseApprovedListFile('open.xlsx', unclosed(n), '2026-11-24')).rejects.toThrow(/已损坏/);
      return performance.now() - started;
    };
    await timed(100);
    // 3 KB took the whole 30 s with the old regular expressions; 200 times that is still quick.
    expect(await timed(400)).toBeLessThan(1000);
    expect(await timed(80_000)).toBeLessThan(3000);
  });

  it('refuses a full-height sheet at the row limit, long before the end of the sheet', async () => {
    const full = zipSync({
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
      'xl/worksheets/sheet1.xml': strToU8(`<worksheet><sheetData>${'<row><c><v>1</v></c></row>'.repeat(1_048_576)}</sheetData></worksheet>`),
    }, { level: 1 });
    const started = performance.now();
    await expect(parseApprovedListFile('full.xlsx', full, '2026-11-24')).rejects.toThrow(/超过 200000 行/);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it('stops reading a file that takes too long, and says so', async () => {
    await expect(parseApprovedListFile('slow.xlsx', fixtureBytes('approved/senior-engineers-2025.xlsx'), '2026-11-24', {}, 1)).rejects.toThrow(/秒内未能读完/);
  });

  it('keeps answering other calls while a large file is being read', async () => {
    const big = strToU8(HEADER + Array.from({ length: 200_000 }, (_, i) => `${i},某甲,男,5101211967071446${String(i % 100).padStart(2, '0')},经济师,川人社办发〔2099〕9号`).join('\n'));
    const order: string[] = [];
    const importing = call('lists.preview', { fileName: 'big.csv', dataBase64: base64(big) }).then(() => order.push('import'), () => order.push('import'));
    await call('app.info', {}).then(() => order.push('info'));
    await importing;
    expect(order).toEqual(['info', 'import']);
  });
});
