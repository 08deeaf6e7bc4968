import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { normalizeText, rebuildNormalized } from '../../core/verify/text';
import { openXlsx, worksheetFromPieces } from '../../core/files/xlsx';

/**
 * The table readers skip work for the usual case (text that is already normal, plainly written
 * cells). These pin the shortcuts to the general paths they stand in for.
 */
describe('normalizeText', () => {
  it('gives the full normalisation for text that is already normal and for text that is not', () => {
    const samples = ['', ' ', '  ', '王芳', '王 芳', '王  芳', ' 王芳', '王芳 ', '\t王芳', '王\u3000芳', '\u3000', 'ＡＢＣ１２３', '川职改〔2025〕99号',
      'a\u00a0b', 'a\nb', 'a\r\nb', '\ufeffx', 'x\u2028y', '😀 a', '\ud800', 'Ａ Ｂ', '～', '\uff5f', 'a b c', '5101 0119'];
    for (const text of samples) expect(normalizeText(text)).toBe(rebuildNormalized(text));
  });

  it('agrees with the full normalisation on random text from an awkward alphabet', () => {
    const alphabet = ['a', '1', ' ', ' ', '\t', '\n', '\u3000', '\u00a0', 'Ａ', '１', '王', '〔', '\ufeff', '\u2003', '\uff5e', '\uff5f', 'X'];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 5000; n++) {
      let text = '';
      for (let i = Math.floor(next() * 8); i > 0; i--) text += alphabet[Math.floor(next() * alphabet.length)]!;
      expect(normalizeText(text)).toBe(rebuildNormalized(text));
    }
  });
});

function workbook(sheetData: string, sharedStrings?: string): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet><sheetData>${sheetData}</sheetData></worksheet>`),
  };
  if (sharedStrings) files['xl/sharedStrings.xml'] = strToU8(`<sst>${sharedStrings}</sst>`);
  return zipSync(files);
}

const SHARED = '<si><t>共享</t></si><si><r><t>富</t></r><r><t>文本</t></r><rPh><t>ふ</t></rPh></si><si><t xml:space="preserve"> 空 格 </t></si><si/>';
const CELLS = [
  '<c r="A1" t="inlineStr"><is><t>a&amp;b&#x4E00;_x0041_</t></is></c>',
  '<c r="B1" s="2" t="s"><v>0</v></c>',
  '<c r="C1" t="s" s="2"><v>1</v></c>',
  '<c t="s" r="D1"><v>2</v></c>',
  '<c r="E1" s="1"><v>42</v></c>',
  '<c  r="F1" t="inlineStr"><is><t xml:space="preserve">前 后 </t></is></c>',
  '<c r="G1" t="s"><v>3</v></c>',
  '<c r="H1" t="inlineStr"><is><r><t>分</t></r><r><t>段</t></r></is></c>',
  '<c t="inlineStr"><is><t>无引用</t></is></c>',
  '<c r="K1" t="str"><v>公式</v></c>',
  '<c r="L1" s="3"/>',
  '<c r="M1" t="b"><v>1</v></c>',
  '<c r="N1" t="inlineStr"><is><t><![CDATA[<&>]]></t></is></c>',
];
const EXPECTED = ['a&b一A', '共享', '富文本', ' 空 格 ', 42, '前 后 ', null, '分段', '无引用', null, '公式', null, 'TRUE', '<&>'];

describe('openXlsx cells written plainly and otherwise', () => {
  it('reads the same values whichever way a cell and its text are written', () => {
    const sheet = openXlsx('t.xlsx', workbook(`<row r="1">${CELLS.join('')}</row>`, SHARED)).read(0);
    expect(sheet.rows[0]).toEqual(EXPECTED);
  });

  it('reads a cell the same through the one-go path and through the element-by-element path', () => {
    // A comment after the start tag is legal XML and sends each cell down the general path.
    const general = CELLS.map((c) => c.replace(/^(<c[^>]*[^/])>/, '$1><!-- -->'));
    expect(general.join('')).not.toBe(CELLS.join(''));
    const shared = ['共享', '富文本', ' 空 格 ', ''];
    expect(worksheetFromPieces([`<worksheet><sheetData><row r="1">${general.join('')}</row></sheetData></worksheet>`], shared)).toEqual([EXPECTED]);
    expect(worksheetFromPieces([`<worksheet><sheetData><row r="1">${CELLS.join('')}</row></sheetData></worksheet>`], shared)).toEqual([EXPECTED]);
  });

  it('reads the same rows wherever the inflater happens to cut the text', () => {
    const xml = `<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1">${CELLS.join('').replace(/<(\/?)(c|is|t|v|r)\b/g, '<$1x:$2')}</x:row><!-- a
      comment --><x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>第三行</x:t></x:is></x:c></x:row></x:sheetData><x:mergeCells><x:mergeCell ref="B3:C3"/></x:mergeCells></x:worksheet>`;
    const shared = ['共享', '富文本', ' 空 格 ', ''];
    const whole = worksheetFromPieces([xml], shared);
    expect(whole[0]).toEqual(EXPECTED);
    expect(whole[2]).toEqual([null, '第三行', '第三行']);
    for (let cut = 1; cut < xml.length; cut++) expect(worksheetFromPieces([xml.slice(0, cut), xml.slice(cut)], shared)).toEqual(whole);
    for (const size of [1, 2, 3, 7, 64]) {
      const pieces: string[] = [];
      for (let at = 0; at < xml.length; at += size) pieces.push(xml.slice(at, at + size));
      expect(worksheetFromPieces(pieces, shared)).toEqual(whole);
    }
  });
});
