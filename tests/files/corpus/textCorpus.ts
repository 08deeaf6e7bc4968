import type { CorpusFile } from './xlsxCorpus';

/**
 * Text tables as Excel and WPS save them on Chinese Windows, with what each must read as:
 * "CSV UTF-8" (BOM), CSV (GBK, no BOM), "文本文件(制表符分隔)" (GBK, tabs), "Unicode 文本"
 * (UTF-16LE with BOM, tabs), UTF-16BE, UTF-8 without BOM, GB18030 four-byte characters outside
 * GBK, quoted fields with separators, quotes and line breaks, and each line ending.
 */
export interface TextCase extends CorpusFile { rows: (string | null)[][] }

const ROWS: (string | null)[][] = [
  ['序号', '姓名', '身份证号码', '备注'],
  ['1', '王芳', '510121196707144626', '含,逗号'],
  ['2', '𠀾𡈽', '510703197903024715', '两行\n备注'],
  ['3', '欧阳"明"', '51012119710725350X', null],
];

function gb18030(text: string): Uint8Array {
  // TextEncoder only writes UTF-8: encode by looking every character up in the decoder's table.
  const out: number[] = [];
  const decoder = new TextDecoder('gb18030');
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) { out.push(code); continue; }
    out.push(...gbBytes(ch, decoder));
  }
  return new Uint8Array(out);
}

const gbCache = new Map<string, number[]>();

/** The GB18030 bytes of one character, found by searching the two- and four-byte code space. */
function gbBytes(ch: string, decoder: TextDecoder): number[] {
  const known = gbCache.get(ch);
  if (known) return known;
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      if (decoder.decode(new Uint8Array([a, b])) === ch) { gbCache.set(ch, [a, b]); return [a, b]; }
    }
  }
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x30; b <= 0x39; b++) for (let c = 0x81; c <= 0xfe; c++) for (let d = 0x30; d <= 0x39; d++) {
    if (decoder.decode(new Uint8Array([a, b, c, d])) === ch) { gbCache.set(ch, [a, b, c, d]); return [a, b, c, d]; }
  }
  throw new Error(`no GB18030 bytes for ${ch}`);
}

function table(rows: (string | null)[][], separator: string, eol: string): string {
  const field = (v: string | null) => (v === null ? '' : /[",\n\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(field).join(separator)).join(eol) + eol;
}

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2] = bigEndian ? c >> 8 : c & 0xff;
    out[3 + i * 2] = bigEndian ? c & 0xff : c >> 8;
  }
  return out;
}

export function textCorpus(): TextCase[] {
  const utf8 = (t: string) => new TextEncoder().encode(t);
  const withBom = (b: Uint8Array) => new Uint8Array([0xef, 0xbb, 0xbf, ...b]);
  // GBK cannot hold 𠀾𡈽 (CJK extension B); GB18030 can, in four bytes each.
  const gbkRows = ROWS.map((r) => r.map((v) => (v === '𠀾𡈽' ? '王𠀾' : v)));
  return [
    { name: 'csv-utf8-bom.csv', about: 'Excel "CSV UTF-8": BOM, CRLF', bytes: withBom(utf8(table(ROWS, ',', '\r\n'))), rows: ROWS },
    { name: 'csv-utf8.csv', about: 'UTF-8 without BOM, LF', bytes: utf8(table(ROWS, ',', '\n')), rows: ROWS },
    { name: 'csv-gb18030.csv', about: 'Excel CSV on Chinese Windows: GB18030 (a four-byte character outside GBK), CRLF', bytes: gb18030(table(gbkRows, ',', '\r\n')), rows: gbkRows },
    { name: 'text-gbk-tabs.txt', about: '"文本文件(制表符分隔)": GBK, tabs, CRLF', bytes: gb18030(table(gbkRows, '\t', '\r\n')), rows: gbkRows },
    { name: 'unicode-text.txt', about: '"Unicode 文本": UTF-16LE with BOM, tabs, CRLF', bytes: utf16(table(ROWS, '\t', '\r\n'), false), rows: ROWS },
    { name: 'utf16be.csv', about: 'UTF-16BE with BOM, commas', bytes: utf16(table(ROWS, ',', '\r\n'), true), rows: ROWS },
    { name: 'csv-cr.csv', about: 'old Mac line ends (CR only)', bytes: utf8(table(ROWS.slice(0, 2), ',', '\r')), rows: ROWS.slice(0, 2) },
    { name: 'csv-sep.csv', about: 'a "sep=;" first line, as Excel honours it', bytes: utf8(`sep=;\n${table(ROWS, ';', '\n')}`), rows: ROWS },
  ];
}
