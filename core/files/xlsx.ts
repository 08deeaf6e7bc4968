import { unzipSync, type UnzipFileInfo } from 'fflate';
import { FILE_LIMITS, ImportError, type Cell, type Sheet } from './sheet';

/**
 * A small reader for the first visible worksheet of an .xlsx file: shared strings, inline
 * strings, numbers and merged cells. Written here rather than taken from a package because the
 * maintained readers are slow on 100,000 rows and none lets us bound the decompressed size.
 */

export function readXlsx(fileName: string, bytes: Uint8Array): Sheet {
  let files: Record<string, Uint8Array>;
  try {
    let total = 0;
    files = unzipSync(bytes, {
      filter: (file: UnzipFileInfo) => {
        const wanted = file.name === 'xl/workbook.xml' || file.name === 'xl/_rels/workbook.xml.rels' ||
          file.name === 'xl/sharedStrings.xml' || file.name.startsWith('xl/worksheets/sheet');
        if (wanted) total += file.originalSize;
        if (total > FILE_LIMITS.maxUnzippedBytes) {
          throw new ImportError(`文件“${fileName}”解压后超过 ${FILE_LIMITS.maxUnzippedBytes / 1024 / 1024} MB，疑似异常文件，已拒绝导入。`);
        }
        return wanted;
      },
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`文件“${fileName}”不是有效的 .xlsx 文件（可能已损坏，或扩展名与实际格式不符）。`);
  }
  const decoder = new TextDecoder('utf-8');
  const text = (path: string) => (files[path] ? decoder.decode(files[path]) : null);

  const workbook = text('xl/workbook.xml');
  if (workbook == null) throw new ImportError(`文件“${fileName}”缺少工作簿内容，不是有效的 .xlsx 文件。`);
  const { sheetName, sheetPath } = firstVisibleSheet(workbook, text('xl/_rels/workbook.xml.rels'));
  const sheetXml = text(sheetPath);
  if (sheetXml == null) throw new ImportError(`文件“${fileName}”中找不到工作表“${sheetName}”。`);
  const sharedStringsXml = text('xl/sharedStrings.xml') ?? '';
  // Decoded, the unzipped bytes (80 MB for a 100,000-row list) are garbage; let them go before the rows are built.
  files = {};

  const sharedStrings = parseSharedStrings(sharedStringsXml);
  const rows = parseSheetRows(fileName, sheetXml, sharedStrings);
  fillMergedCells(sheetXml, rows);
  return { name: sheetName, rows };
}

function firstVisibleSheet(workbook: string, rels: string | null): { sheetName: string; sheetPath: string } {
  const sheets = [...workbook.matchAll(/<sheet\b([^>]*)\/?>/g)].map((m) => attributes(m[1]!));
  const sheet = sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0];
  const name = decodeXml(sheet?.name ?? 'Sheet1');
  const relId = sheet?.['r:id'];
  if (rels && relId) {
    for (const m of rels.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
      const rel = attributes(m[1]!);
      if (rel.Id === relId && rel.Target) {
        const target = rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target}`;
        return { sheetName: name, sheetPath: target.replace(/\/\.\//g, '/') };
      }
    }
  }
  return { sheetName: name, sheetPath: 'xl/worksheets/sheet1.xml' };
}

function parseSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  const siPattern = /<si>([\s\S]*?)<\/si>|<si\/>/g;
  for (const m of xml.matchAll(siPattern)) strings.push(textRuns(m[1] ?? ''));
  return strings;
}

/**
 * A string item (or an inline string's <is>) that is one plain <t> run, as nearly all are: read
 * with one match instead of a search for runs. Its text holds no '<', so the general path below
 * would find exactly this run.
 */
const SINGLE_RUN = /^(?:<is>)?<t(?: xml:space="preserve")?>([^<]*)<\/t>(?:<\/is>)?$/;

/** Concatenates the <t> runs of a string item, skipping phonetic (<rPh>) runs. */
function textRuns(xml: string): string {
  const single = SINGLE_RUN.exec(xml);
  if (single) return decodeXml(single[1]!);
  const withoutPhonetic = xml.includes('<rPh') ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
  let out = '';
  for (const m of withoutPhonetic.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += m[1];
  return decodeXml(out);
}

function parseSheetRows(fileName: string, xml: string, sharedStrings: string[]): Cell[][] {
  const rows: Cell[][] = [];
  const rowPattern = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
  const cellPattern = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  let nextRow = 0;
  for (const rowMatch of xml.matchAll(rowPattern)) {
    const rowAttrs = attributes(rowMatch[1]!);
    const rowIndex = rowAttrs.r ? Number(rowAttrs.r) - 1 : nextRow;
    nextRow = rowIndex + 1;
    if (rowIndex >= FILE_LIMITS.maxRows) {
      throw new ImportError(`文件“${fileName}”超过 ${FILE_LIMITS.maxRows} 行，无法导入。`);
    }
    const body = rowMatch[2];
    if (!body) continue;
    const row: Cell[] = [];
    let nextColumn = 0;
    for (const cellMatch of body.matchAll(cellPattern)) {
      const { r, t } = cellAttributes(cellMatch[1]!);
      const column = r ? columnIndex(r) : nextColumn;
      nextColumn = column + 1;
      const value = cellValue(t, cellMatch[2] ?? '', sharedStrings);
      if (value !== null) {
        while (row.length < column) row.push(null);
        row[column] = value;
      }
    }
    while (rows.length < rowIndex) rows.push([]);
    rows[rowIndex] = row;
  }
  return rows;
}

function cellValue(type: string | undefined, body: string, sharedStrings: string[]): Cell {
  if (type === 'inlineStr') return textRuns(body) || null;
  const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (v === undefined) return null;
  switch (type) {
    case 's':
      return sharedStrings[Number(v)] ?? null;
    case 'str':
    case 'e':
      return decodeXml(v);
    case 'b':
      return v === '1' ? 'TRUE' : 'FALSE';
    default: {
      const n = Number(v);
      return Number.isFinite(n) ? n : decodeXml(v);
    }
  }
}

/** A merged range shows its value in every cell it covers, as the clerk sees it in Excel. */
function fillMergedCells(xml: string, rows: Cell[][]): void {
  for (const m of xml.matchAll(/<mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/g)) {
    const [c1, r1, c2, r2] = [columnIndex(m[1]!), Number(m[2]) - 1, columnIndex(m[3]!), Number(m[4]) - 1];
    const value = rows[r1]?.[c1] ?? null;
    if (value === null) continue;
    for (let r = r1; r <= r2 && r < rows.length; r++) {
      const row = rows[r]!;
      for (let c = c1; c <= c2; c++) {
        if (r === r1 && c === c1) continue;
        while (row.length < c) row.push(null);
        if (row[c] == null) row[c] = value;
      }
    }
  }
}

function columnIndex(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    index = index * 26 + (c - 64);
  }
  return index - 1;
}

/**
 * A cell's attributes as Excel, WPS and most writers put them: r, then s and t in either order.
 * Matching that shape in one go, instead of collecting every attribute into a record, was the
 * largest single cost of reading a 100,000-row sheet; anything else goes through attributes().
 */
const PLAIN_CELL_ATTRIBUTES = /^ r="([^"]*)"(?: s="[^"]*")?(?: t="([^"]*)")?(?: s="[^"]*")?$/;

function cellAttributes(source: string): { r: string | undefined; t: string | undefined } {
  const plain = PLAIN_CELL_ATTRIBUTES.exec(source);
  if (plain) return { r: plain[1], t: plain[2] };
  const attrs = attributes(source);
  return { r: attrs.r, t: attrs.t };
}

function attributes(source: string): Record<string, string> {
  const attrs = Object.create(null) as Record<string, string>;
  for (const m of source.matchAll(/([\w:]+)="([^"]*)"/g)) attrs[m[1]!] = m[2]!;
  return attrs;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(value: string): string {
  if (!value.includes('&') && !value.includes('_x')) return value;
  return value
    .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) =>
      entity.startsWith('#x') ? String.fromCodePoint(parseInt(entity.slice(2), 16))
        : entity.startsWith('#') ? String.fromCodePoint(Number(entity.slice(1)))
          : ENTITIES[entity]!)
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
