import type { Cell } from './sheet';

/**
 * RFC 4180 text tables as Excel writes them: comma- or tab-separated, quoted fields holding
 * separators, quotes ("") and line breaks. Gives null, without reading further, once the text has
 * more than `maxRows` rows.
 */
export function parseCsv(text: string, maxRows = Number.POSITIVE_INFINITY, separator = ','): Cell[][] | null {
  const sep = separator.charCodeAt(0);
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let i = 0;
  const length = text.length;
  while (i < length) {
    let value: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let end = i + 1;
      let parts = '';
      for (;;) {
        const quote = text.indexOf('"', end);
        if (quote === -1) {
          parts += text.slice(end);
          end = length;
          break;
        }
        parts += text.slice(end, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          parts += '"';
          end = quote + 2;
        } else {
          end = quote + 1;
          break;
        }
      }
      // Anything between the closing quote and the next separator is kept, as Excel does.
      let stop = end;
      while (stop < length) {
        const c = text.charCodeAt(stop);
        if (c === sep || c === 10 || c === 13) break;
        stop++;
      }
      value = parts + text.slice(end, stop);
      i = stop;
    } else {
      let stop = i;
      while (stop < length) {
        const c = text.charCodeAt(stop);
        if (c === sep || c === 10 || c === 13) break;
        stop++;
      }
      value = text.slice(i, stop);
      i = stop;
    }
    row.push(value === '' ? null : value);
    const c = text.charCodeAt(i);
    if (c === sep) {
      i++;
      if (i === length) row.push(null);
    } else {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i += 2;
      else if (i < length) i++;
      rows.push(row);
      if (rows.length > maxRows) return null;
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/**
 * Excel's "文本文件(制表符分隔)" and "Unicode 文本" use tabs, CSV uses commas; a first line
 * "sep=;" (which Excel honours and hides) names the separator outright. Otherwise the separator is
 * whichever of tab and comma occurs more often outside quotes in the first lines.
 */
export function detectSeparator(text: string): { separator: string; skipFirstLine: boolean } {
  const directive = /^sep=(.)\r?\n/.exec(text.slice(0, 8));
  if (directive) return { separator: directive[1]!, skipFirstLine: true };
  let tabs = 0;
  let commas = 0;
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && i < 65536 && lines < 30; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 9) tabs++;
    else if (c === 44) commas++;
    else if (c === 10) lines++;
  }
  return { separator: tabs > commas ? '\t' : ',', skipFirstLine: false };
}
