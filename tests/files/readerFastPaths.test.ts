import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { normalizeText, rebuildNormalized } from '../../core/verify/text';
import { readXlsx } from '../../core/files/xlsx';

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
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet><sheetData>${sheetData}</sheetData></worksheet>`),
  };
  if (sharedStrings) files['xl/sharedStrings.xml'] = strToU8(`<sst>${sharedStrings}</sst>`);
  return zipSync(files);
}

describe('readXlsx cells written plainly and otherwise', () => {
  it('reads the same values whichever way a cell and its text are written', () => {
    const shared = '<si><t>共享</t></si><si><r><t>富</t></r><r><t>文本</t></r><rPh><t>ふ</t></rPh></si><si><t xml:space="preserve"> 空 格 </t></si><si/>';
    const row = [
      '<c r="A1" t="inlineStr"><is><t>a&amp;b&#x4E00;_x0041_</t></is></c>',
      '<c r="B1" s="2" t="s"><v>0</v></c>',
      '<c r="C1" t="s" s="2"><v>1</v></c>',
      '<c t="s" r="D1"><v>2</v></c>',
      '<c r="E1" s="1"><v>42</v></c>',
      '<c  r="F1" t="inlineStr"><is><t xml:space="preserve">前 后 </t></is></c>',
      '<c r="G1" t="inlineStr" t="s"><v>0</v></c>',
      '<c r="H1" t="inlineStr"><is><r><t>分</t></r><r><t>段</t></r></is></c>',
      '<c t="inlineStr"><is><t>无引用</t></is></c>',
      '<c r="K1" t="str"><v>公式</v></c>',
      '<c r="L1" s="3"/>',
      '<c r="M1" t="b"><v>1</v></c>',
    ].join('');
    const sheet = readXlsx('t.xlsx', workbook(`<row r="1">${row}</row>`, shared));
    expect(sheet.rows[0]).toEqual(['a&b一A', '共享', '富文本', ' 空 格 ', 42, '前 后 ', '共享', '分段', '无引用', null, '公式', null, 'TRUE']);
  });
});
