import { strToU8, zipSync, type Zippable } from 'fflate';

/**
 * Workbooks written each way ECMA-376 allows and the common writers use: Excel and WPS (shared
 * strings, styles with built-in and zh-CN date formats, spans, rich text with phonetic runs),
 * the Open XML SDK (an `x:` prefix on every element, `ns0:` relationships), Apache POI's SXSSF
 * (inline strings, formulas with and without a cached value), LibreOffice (`t="str"` formula
 * results, booleans, errors), hand-rolled generators (no `r` attributes, single quotes, CDATA,
 * comments, entities and `_xHHHH_` escapes), strict OOXML namespaces, the 1904 date system,
 * several and hidden sheets, stored (uncompressed) entries and a workbook at an unusual path.
 * Each case also says what a clerk sees in Excel, cell by cell, where that is not what an
 * independent reader can tell.
 */

export interface CorpusFile {
  name: string;
  bytes: Uint8Array;
  /** What the variation is, for a failing test's message. */
  about: string;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
const STRICT_MAIN = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const STRICT_REL = 'http://purl.oclc.org/ooxml/officeDocument/relationships';

export const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The roster every workbook carries, so that each variation is checked on the same people. */
export const PEOPLE = [
  ['序号', '姓名', '性别', '身份证号码', '工作单位', '资格名称', '批准时间', '证书编号'],
  [1, '张洁露', '女', '51012119710725350X', '中铁二院工程集团有限责任公司', '高级工程师', 45820, '51202501000101'],
  [2, '欧阳 明', '男', '510703197903024715', '四川省交通运输厅 & 附属', '正高级工程师', 45827.75, '51202501000102'],
  [3, '李<娜>', '女', '510121196707144626', '"成都"市人社局', '高级工程师', 45834.5, '51202501000103'],
] as const;

type Value = string | number | boolean | null;

interface SheetSpec { name: string; state?: 'hidden' | 'veryHidden'; xml: string }

interface BookOptions {
  prefix?: string;
  strict?: boolean;
  date1904?: boolean;
  relPrefix?: string;
  /** Path of the workbook part, found through _rels/.rels. */
  workbookPath?: string;
  absoluteTargets?: boolean;
  stored?: boolean;
  styles?: string;
  sharedStrings?: string[];
  /** Raw <si> items instead of plain ones. */
  sharedXml?: string;
}

const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

/** [Content_Types].xml with an override per part, as every writer puts it (SheetJS finds parts by it, Excel insists on it). */
function contentTypes(wbPath: string, wbDir: string, sheets: number, shared: boolean): string {
  const o = (part: string, type: string) => `<Override PartName="/${part}" ContentType="${type}"/>`;
  return '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    + o(wbPath, `${CT}.sheet.main+xml`) + o(`${wbDir}styles.xml`, `${CT}.styles+xml`)
    + (shared ? o(`${wbDir}sharedStrings.xml`, `${CT}.sharedStrings+xml`) : '')
    + Array.from({ length: sheets }, (_, i) => o(`${wbDir}worksheets/sheet${i + 1}.xml`, `${CT}.worksheet+xml`)).join('')
    + '</Types>';
}

function book(sheets: SheetSpec[], o: BookOptions = {}): Uint8Array {
  const p = o.prefix ? `${o.prefix}:` : '';
  const ns = o.prefix ? `xmlns:${o.prefix}="${o.strict ? STRICT_MAIN : MAIN}"` : `xmlns="${o.strict ? STRICT_MAIN : MAIN}"`;
  const rel = o.strict ? STRICT_REL : REL;
  const rp = o.relPrefix ?? 'r';
  const wbPath = o.workbookPath ?? 'xl/workbook.xml';
  const wbDir = wbPath.slice(0, wbPath.lastIndexOf('/') + 1);
  const target = (path: string) => (o.absoluteTargets ? `/${wbDir}${path}` : path);
  const sheetEntries = sheets.map((s, i) => `<${p}sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} ${rp}:id="rId${i + 1}"/>`).join('');
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}workbook ${ns} xmlns:${rp}="${rel}">`
    + (o.date1904 ? `<${p}workbookPr date1904="1"/>` : `<${p}workbookPr/>`)
    + `<${p}sheets>${sheetEntries}</${p}sheets></${p}workbook>`;
  const relType = (kind: string) => `${rel}/${kind}`;
  const rels = sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${relType('worksheet')}" Target="${target(`worksheets/sheet${i + 1}.xml`)}"/>`);
  rels.push(`<Relationship Id="rIdS" Type="${relType('styles')}" Target="${target('styles.xml')}"/>`);
  if (o.sharedStrings || o.sharedXml) rels.push(`<Relationship Id="rIdT" Type="${relType('sharedStrings')}" Target="${target('sharedStrings.xml')}"/>`);
  const files: Zippable = {
    '[Content_Types].xml': strToU8(contentTypes(wbPath, wbDir, sheets.length, Boolean(o.sharedStrings || o.sharedXml !== undefined))),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${relType('officeDocument')}" Target="${wbPath}"/></Relationships>`),
    [wbPath]: strToU8(workbook),
    [`${wbDir}_rels/${wbPath.slice(wbDir.length)}.rels`]: strToU8(o.relPrefix === 'ns0'
      ? `<?xml version="1.0" encoding="UTF-8"?><ns0:Relationships xmlns:ns0="${PKG}">${rels.map((r) => r.replace('<Relationship', '<ns0:Relationship')).join('')}</ns0:Relationships>`
      : `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}">${rels.join('')}</Relationships>`),
    [`${wbDir}styles.xml`]: strToU8(o.styles ?? styles(p, ns)),
  };
  sheets.forEach((s, i) => { files[`${wbDir}worksheets/sheet${i + 1}.xml`] = strToU8(s.xml); });
  if (o.sharedXml !== undefined || o.sharedStrings) {
    const items = o.sharedXml ?? o.sharedStrings!.map((t) => `<${p}si><${p}t${/^\s|\s$/.test(t) ? ' xml:space="preserve"' : ''}>${esc(t)}</${p}t></${p}si>`).join('');
    files[`${wbDir}sharedStrings.xml`] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}sst ${ns}>${items}</${p}sst>`);
  }
  return zipSync(files, { level: o.stored ? 0 : 6, mtime: new Date('2025-01-01T00:00:00Z') });
}

/** cellXfs: 0 General, 1 built-in 14 (date), 2 custom yyyy/m/d, 3 text "@", 4 zh-CN 31 (yyyy年m月d日), 5 date-time, 6 "0" (whole number), 7 G/通用格式 (WPS's General). */
function styles(p: string, ns: string): string {
  const xf = (id: number) => `<${p}xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}styleSheet ${ns}>`
    + `<${p}numFmts count="3"><${p}numFmt numFmtId="176" formatCode="yyyy/m/d;@"/><${p}numFmt numFmtId="177" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/><${p}numFmt numFmtId="178" formatCode="G/通用格式"/></${p}numFmts>`
    + `<${p}fonts count="1"><${p}font><${p}sz val="11"/><${p}name val="宋体"/></${p}font></${p}fonts>`
    + `<${p}fills count="1"><${p}fill><${p}patternFill patternType="none"/></${p}fill></${p}fills><${p}borders count="1"><${p}border/></${p}borders>`
    + `<${p}cellStyleXfs count="1"><${p}xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></${p}cellStyleXfs>`
    + `<${p}cellXfs count="8">${[0, 14, 176, 49, 31, 177, 1, 178].map(xf).join('')}</${p}cellXfs></${p}styleSheet>`;
}

const col = (c: number) => {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

interface CellStyle { inline?: boolean; shared?: string[]; dateStyle?: number; refs?: boolean; prefix?: string; spans?: boolean }

/** A worksheet of plain values, written the way `style` says. */
function sheetXml(rows: readonly (readonly Value[])[], s: CellStyle = {}, extra = ''): string {
  const p = s.prefix ? `${s.prefix}:` : '';
  const ns = s.prefix ? `xmlns:${s.prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  const refs = s.refs ?? true;
  let out = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}worksheet ${ns}><${p}dimension ref="A1:H${rows.length}"/><${p}sheetData>`;
  rows.forEach((row, r) => {
    out += `<${p}row${refs ? ` r="${r + 1}"` : ''}${s.spans ? ` spans="1:${row.length}"` : ''}>`;
    row.forEach((v, c) => {
      const ref = refs ? ` r="${col(c)}${r + 1}"` : '';
      if (v === null) out += `<${p}c${ref}/>`;
      else if (typeof v === 'boolean') out += `<${p}c${ref} t="b"><${p}v>${v ? 1 : 0}</${p}v></${p}c>`;
      else if (typeof v === 'number') out += `<${p}c${ref}${c === 6 && r > 0 && s.dateStyle !== undefined ? ` s="${s.dateStyle}"` : ''}><${p}v>${v}</${p}v></${p}c>`;
      else if (s.shared) {
        let index = s.shared.indexOf(v);
        if (index === -1) index = s.shared.push(v) - 1;
        out += `<${p}c${ref} t="s"><${p}v>${index}</${p}v></${p}c>`;
      } else out += `<${p}c${ref} t="inlineStr"><${p}is><${p}t>${esc(v)}</${p}t></${p}is></${p}c>`;
    });
    out += `</${p}row>`;
  });
  return `${out}</${p}sheetData>${extra}</${p}worksheet>`;
}

export function xlsxCorpus(): CorpusFile[] {
  const files: CorpusFile[] = [];
  const add = (name: string, about: string, bytes: Uint8Array) => files.push({ name, about, bytes });

  // Excel and WPS: shared strings, built-in date format 14 and a custom one, spans, a merged title.
  {
    const shared: string[] = [];
    const title = [['2025年度高级工程师评审通过人员名单', null, null, null, null, null, null, null]] as Value[][];
    const rows = [...title, ...PEOPLE.map((r) => [...r])];
    const xml = sheetXml(rows, { shared, dateStyle: 1, spans: true }, `<mergeCells count="1"><mergeCell ref="A1:H1"/></mergeCells>`);
    add('excel-shared-strings.xlsx', 'Excel: shared strings, date format 14, spans, a merged title row', book([{ name: '名单', xml }], { sharedStrings: shared }));
  }
  // Dates: custom, zh-CN built-in 31, date-time after noon floored, text-format cell holding a number, the 1904 system.
  for (const [style, label] of [[2, 'custom yyyy/m/d'], [4, 'zh-CN built-in 31'], [5, 'date-time'], [3, 'text format @'], [6, 'format 0'], [7, 'G/通用格式']] as const) {
    add(`dates-style-${style}.xlsx`, `a date column in ${label}`, book([{ name: 'Sheet1', xml: sheetXml(PEOPLE.map((r) => [...r]), { dateStyle: style }) }]));
  }
  add('dates-1904.xlsx', 'the 1904 date system (Excel for Mac)', book([{ name: 'Sheet1', xml: sheetXml(PEOPLE.map((r, i) => (i === 0 ? [...r] : r.map((v, c) => (c === 6 ? (v as number) - 1462 : v)))), { dateStyle: 1 }) }], { date1904: true }));
  // The Open XML SDK: every element prefixed, relationships prefixed too.
  {
    const shared: string[] = [];
    const xml = sheetXml(PEOPLE.map((r) => [...r]), { prefix: 'x', shared, dateStyle: 1 });
    add('openxml-sdk-prefixed.xlsx', 'the Open XML SDK: x: prefixes on workbook, sheet, shared strings and styles; ns0: relationships; d3p1 for r:id',
      book([{ name: 'Sheet1', xml }], { prefix: 'x', sharedStrings: shared, relPrefix: 'ns0' }));
    add('openxml-sdk-relid-prefix.xlsx', 'the relationships namespace under another prefix (d3p1:id)',
      book([{ name: 'Sheet1', xml: sheetXml(PEOPLE.map((r) => [...r])) }], { relPrefix: 'd3p1' }));
  }
  // Apache POI SXSSF: inline strings with xml:space, numbers with t="n", formulas with and without cached values.
  {
    let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}"><sheetData>`;
    PEOPLE.forEach((row, r) => {
      xml += `<row r="${r + 1}">`;
      row.forEach((v, c) => {
        const ref = `${col(c)}${r + 1}`;
        xml += typeof v === 'number'
          ? (c === 0 && r > 0 ? `<c r="${ref}" t="n"><f>ROW()-1</f><v>${v}</v></c>` : `<c r="${ref}" t="n" s="1"><v>${v}</v></c>`)
          : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`;
      });
      xml += `<c r="I${r + 1}" t="str"><f>A${r + 1}&amp;"号"</f><v>${r === 0 ? '备注' : `${r}号`}</v></c></row>`;
    });
    xml += '</sheetData></worksheet>';
    add('poi-sxssf-inline.xlsx', 'Apache POI SXSSF: inline strings with xml:space, t="n", formulas with cached values', book([{ name: 'Sheet0', xml }]));
  }
  // LibreOffice: booleans, errors, formula strings, whitespace between elements.
  {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}">\n  <sheetData>\n`
      + `    <row r="1" customFormat="false" ht="12.8" hidden="false">\n      <c r="A1" s="0" t="s"><v>0</v></c>\n      <c r="B1" s="0" t="b"><v>1</v></c>\n      <c r="C1" s="0" t="e"><f>1/0</f><v>#DIV/0!</v></c>\n      <c r="D1" s="0" t="str"><f>"甲"&amp;"乙"</f><v>甲乙</v></c>\n      <c r="E1" s="0" t="n"><v>-0.5</v></c>\n      <c r="F1" s="0" t="n"><v>5.10121196707144E+17</v></c>\n    </row>\n`
      + '  </sheetData>\n</worksheet>';
    add('libreoffice-types.xlsx', 'LibreOffice: booleans, errors, formula strings, E notation, indentation', book([{ name: 'Sheet1', xml }], { sharedStrings: ['文本'] }));
  }
  // Rich text and phonetic runs in shared strings, a string with surrounding spaces, an empty item, escapes.
  {
    const sharedXml = '<si><t>序号</t></si><si><r><rPr><b/></rPr><t>欧阳</t></r><r><t xml:space="preserve"> 明</t></r><rPh sb="0" eb="2"><t>オウヨウ</t></rPh><phoneticPr fontId="1"/></si>'
      + '<si><t xml:space="preserve">  前后有空格  </t></si><si><t/></si><si><t>换行_x000D_\n第二行</t></si><si><t>_x005F_x0041_ 与 &#x4E00;&#19968; &amp;amp;</t></si>';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}"><sheetData><row r="1">${[0, 1, 2, 3, 4, 5].map((i) => `<c r="${col(i)}1" t="s"><v>${i}</v></c>`).join('')}</row></sheetData></worksheet>`;
    add('shared-rich-phonetic.xlsx', 'rich text runs, phonetic runs (rPh), preserved spaces, an empty item, _x000D_ and _x005F_ escapes, character references', book([{ name: 'Sheet1', xml }], { sharedXml }));
  }
  // Hand-rolled generators: no r attributes at all, single quotes, CDATA, comments, processing instructions, an empty row.
  {
    const xml = `<?xml version='1.0' encoding='UTF-8'?>\n<!-- written by a script -->\n<worksheet xmlns='${MAIN}'><sheetData>`
      + `<row><c t='inlineStr'><is><t>序号</t></is></c><c t='inlineStr'><is><t><![CDATA[姓<名>&]]></t></is></c><c/><c t='inlineStr'><is><t>身份证号码</t></is></c></row>`
      + `<row><c><v>1</v></c><c t='inlineStr'><is><t>王芳</t></is></c><c t='inlineStr'><is><t xml:space = 'preserve' >女</t></is></c><c t='inlineStr'><is><t>510121196707144626</t></is></c></row>`
      + `<?pi skipped?><row><c/><c t='inlineStr'><is><t>第三行</t></is></c></row><row><c/><c/><c/><c><v>  42  </v></c></row>`
      + '</sheetData></worksheet>';
    add('generator-no-refs.xlsx', 'no r attributes on rows or cells, single-quoted attributes, CDATA, comments, a processing instruction', book([{ name: 'Sheet1', xml }]));
    const sparse = `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}"><sheetData>`
      + '<row r="2"><c t="inlineStr"><is><t>序号</t></is></c><c t="inlineStr"><is><t>姓名</t></is></c></row>'
      + '<row r="5"><c><v>1</v></c><c t="inlineStr"><is><t>王芳</t></is></c></row><row r="9" spans="1:2"/><row r="12"><c r="C12" t="inlineStr"><is><t>远处</t></is></c></row>'
      + '</sheetData></worksheet>';
    add('generator-sparse-rows.xlsx', 'sparse rows numbered by r, cells without r', book([{ name: 'Sheet1', xml: sparse }]));
  }
  // Several sheets: instructions first, a hidden copy, the roster on a later sheet; a chart-like empty sheet.
  {
    const notes = sheetXml([['填写说明'], ['请勿修改表头']]);
    const roster = sheetXml(PEOPLE.map((r) => [...r]), { dateStyle: 1 });
    add('several-sheets.xlsx', 'an instructions sheet first, a hidden old copy, the roster on the third sheet',
      book([{ name: '说明', xml: notes }, { name: '旧名单', state: 'hidden', xml: roster }, { name: '发证名册', xml: roster }]));
    add('hidden-first-sheet.xlsx', 'the first sheet very hidden', book([{ name: 'hidden', state: 'veryHidden', xml: notes }, { name: '名单', xml: roster }]));
  }
  add('strict-ooxml.xlsx', 'ISO 29500 strict namespaces and relationship types', book([{ name: 'Sheet1', xml: sheetXml(PEOPLE.map((r) => [...r])).replace(MAIN, STRICT_MAIN) }], { strict: true }));
  add('stored-entries.xlsx', 'zip entries stored without compression', book([{ name: 'Sheet1', xml: sheetXml(PEOPLE.map((r) => [...r])) }], { stored: true }));
  add('workbook-elsewhere.xlsx', 'the workbook at a non-standard path, found through _rels/.rels', book([{ name: 'Sheet1', xml: sheetXml(PEOPLE.map((r) => [...r])) }], { workbookPath: 'book/main.xml' }));
  add('absolute-targets.xlsx', 'absolute relationship targets (/xl/worksheets/sheet1.xml)', book([{ name: 'Sheet1', xml: sheetXml(PEOPLE.map((r) => [...r])) }], { absoluteTargets: true }));
  // An ID number stored as a number (Excel shows 5.10121E+17 or, formatted "0", 510121196707144000).
  add('id-as-number.xlsx', 'an ID number cell stored as a number, in General and in "0" format',
    book([{ name: 'Sheet1', xml: sheetXml([['序号', '姓名', '身份证号码'], [1, '张三', 510121196707144600]]).replace('<c r="C2">', '<c r="C2" s="6">') }]));
  return files;
}
