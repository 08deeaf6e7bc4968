import type { Cell } from './sheet';

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Gives null, without
 * reading further, once the text has more than `maxRows` rows.
 */
export function parseCsv(text: string, maxRows = Number.POSITIVE_INFINITY): Cell[][] | null {
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
      while (stop < length && text[stop] !== ',' && text[stop] !== '\n' && text[stop] !== '\r') stop++;
      value = parts + text.slice(end, stop);
      i = stop;
    } else {
      let stop = i;
      while (stop < length) {
        const c = text.charCodeAt(stop);
        if (c === 44 || c === 10 || c === 13) break;
        stop++;
      }
      value = text.slice(i, stop);
      i = stop;
    }
    row.push(value === '' ? null : value);
    const c = text.charCodeAt(i);
    if (c === 44) {
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
