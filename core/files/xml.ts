/**
 * A streaming XML scanner for the parts of an .xlsx file: text arrives in pieces, as it is
 * inflated, and the scanner calls back for each element and for the text a handler asks for.
 * Every character is looked at a bounded number of times whatever the input (no regular
 * expressions, no backtracking); markup left unfinished at the end of one piece is completed
 * from the next, up to MAX_MARKUP characters. Namespace prefixes are ignored: `<x:row>`, as the
 * Open XML SDK writes it, is a row. Documents with a DTD are refused (OOXML forbids them, and
 * that closes the door on entity expansion). Elements must nest properly.
 */

/** Longest start tag, end tag, comment or CDATA section taken in one piece. */
const MAX_MARKUP = 1 << 20;
/** Deeper than any SpreadsheetML part; a file nested deeper is hostile or broken. */
const MAX_DEPTH = 256;

export class XmlError extends Error {}

export interface XmlHandler {
  /**
   * `name` is the element's index in the scanner's known names, or -1. A handler that reads the
   * element's content itself (see XmlTag.buffer) returns the index just past the element's end tag;
   * -1 lets the scanner go on into the content.
   */
  open(name: number, tag: XmlTag, selfClosing: boolean): number;
  close(name: number): void;
  /** Raw text (entities not decoded) inside the current element, only while `scanner.capture` is on. */
  text(raw: string, cdata: boolean): void;
  /** After the whole document, well-formed, has been read. */
  end?(): void;
}

export interface XmlTag {
  /** Index of the attribute with this local name, or -1. With `prefixed`, only `p:name` counts. */
  find(local: string, prefixed?: boolean): number;
  value(index: number): string;
  /** First character code of the value, and its length: enough to tell `t="s"` from `t="str"` without a string. */
  valueCode(index: number): number;
  /** The column of an "AB12"-style reference (0-based), or -1 when it has no letters. */
  column(index: number): number;
  /** A non-negative integer attribute, or -1 when it is not one. */
  integer(index: number): number;
  /** The text being scanned and the index just past this start tag, for a handler that reads on. */
  readonly buffer: string;
  readonly end: number;
  /** The element's prefix with its colon ("x:"), or "". */
  readonly prefix: string;
}

export class XmlScanner implements XmlTag {
  /** Set by the handler while it wants the text of the element it is in. */
  capture = false;
  buffer = '';
  end = 0;
  private tagStart = 0;
  private colon = -1;
  private rest = '';
  /** While `rest` is an unfinished tag: the quote it ends inside (34, 39) or 0. */
  private restQuote = 0;
  private readonly names: readonly string[];
  private readonly stack = new Int32Array(MAX_DEPTH);
  private readonly unknownNames: string[] = [];
  private depth = 0;
  private attrs = new Int32Array(64);
  private attrCount = 0;
  private seenRoot = false;

  constructor(names: readonly string[], private readonly handler: XmlHandler) {
    this.names = names;
  }

  push(chunk: string): void {
    let start = 0;
    if (this.rest !== '') {
      start = this.bridge(chunk);
      if (start === -1) return;
    }
    this.scan(chunk, start);
  }

  /** Called after the last piece: anything left open means the part ended early. */
  finish(): void {
    if (this.rest !== '' || this.depth > 0 || !this.seenRoot) throw new XmlError('document ends early');
  }

  private scan(buf: string, from: number): void {
    const length = buf.length;
    let p = from;
    while (p < length) {
      const lt = buf.indexOf('<', p);
      if (lt === -1) {
        if (this.capture) this.handler.text(buf.slice(p), false);
        return;
      }
      if (lt > p && this.capture) this.handler.text(buf.slice(p, lt), false);
      const end = this.markup(buf, lt);
      if (end === -1) {
        this.keepRest(buf.slice(lt));
        return;
      }
      p = end;
    }
  }

  private keepRest(rest: string): void {
    if (rest.length > MAX_MARKUP) throw new XmlError('unterminated markup');
    this.rest = rest;
    // A tag's quote state at the cut, so that the next piece is searched for its end only once.
    let quote = 0;
    if (rest.charCodeAt(1) !== 33 && rest.charCodeAt(1) !== 63) {
      for (let i = 1; i < rest.length; i++) {
        const c = rest.charCodeAt(i);
        if (quote !== 0) { if (c === quote) quote = 0; } else if (c === 34 || c === 39) quote = c;
      }
    }
    this.restQuote = quote;
  }

  /**
   * Completes the markup left over from the last piece with the start of this one; returns where
   * scanning goes on in `chunk`, or -1 when the markup is still not finished.
   */
  private bridge(chunk: string): number {
    const rest = this.rest;
    const kind = rest.length >= 9 ? rest : rest + chunk.slice(0, 9);
    let stop = -1;
    if (kind.charCodeAt(1) === 33 || kind.charCodeAt(1) === 63) {
      const terminator = kind.startsWith('<!--') ? '-->' : kind.startsWith('<![CDATA[') ? ']]>' : kind.startsWith('<?') ? '?>' : null;
      if (terminator === null) {
        if (kind.length < 9) { this.keepRest(rest + chunk); return -1; }
        throw new XmlError('DTD or unknown declaration');
      }
      // The terminator may straddle the cut.
      const seam = rest.slice(-(terminator.length - 1)) + chunk.slice(0, terminator.length - 1);
      const inSeam = seam.indexOf(terminator);
      const at = inSeam !== -1 ? inSeam - (terminator.length - 1) : chunk.indexOf(terminator);
      if (at !== -1 || inSeam !== -1) stop = at + terminator.length;
    } else {
      let quote = this.restQuote;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (quote !== 0) { if (c === quote) quote = 0; } else if (c === 34 || c === 39) quote = c;
        else if (c === 62) { stop = i + 1; break; }
      }
    }
    if (stop === -1) {
      this.keepRest(rest + chunk);
      return -1;
    }
    this.rest = '';
    const joined = rest + chunk.slice(0, stop);
    const end = this.markup(joined, 0);
    if (end === -1) throw new XmlError('unterminated markup');
    // A handler reading on past its tag (open() returning a position) can only do so within `joined`.
    return stop - (joined.length - end);
  }

  /** Handles the markup starting at `lt`; returns the index after it, or -1 if it is not all here yet. */
  private markup(buf: string, lt: number): number {
    const c1 = buf.charCodeAt(lt + 1);
    if (c1 !== c1) return -1; // NaN: at the end of the piece
    if (c1 === 47 /* / */) return this.endTag(buf, lt);
    if (c1 === 63 /* ? */) {
      const end = buf.indexOf('?>', lt + 2);
      return end === -1 ? -1 : end + 2;
    }
    if (c1 === 33 /* ! */) {
      if (buf.length - lt < 9) return -1;
      if (buf.startsWith('<!--', lt)) {
        const end = buf.indexOf('-->', lt + 4);
        return end === -1 ? -1 : end + 3;
      }
      if (buf.startsWith('<![CDATA[', lt)) {
        const end = buf.indexOf(']]>', lt + 9);
        if (end === -1) return -1;
        if (this.capture) this.handler.text(buf.slice(lt + 9, end), true);
        return end + 3;
      }
      throw new XmlError('DTD or unknown declaration');
    }
    return this.startTag(buf, lt);
  }

  /** The local name's index among the known names, or -1. */
  private nameId(buf: string, start: number, end: number): number {
    let local = start;
    for (let i = start; i < end; i++) if (buf.charCodeAt(i) === 58 /* : */) local = i + 1;
    const length = end - local;
    const names = this.names;
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      if (name.length !== length) continue;
      let j = 0;
      while (j < length && name.charCodeAt(j) === buf.charCodeAt(local + j)) j++;
      if (j === length) return k;
    }
    return -1;
  }

  private startTag(buf: string, lt: number): number {
    const length = buf.length;
    let i = lt + 1;
    let colon = -1;
    let c = 0;
    while (i < length) {
      c = buf.charCodeAt(i);
      if (c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13) break;
      if (c === 58) colon = i;
      i++;
    }
    if (i >= length) return -1;
    const nameEnd = i;
    if (nameEnd === lt + 1) throw new XmlError('empty element name');
    let count = 0;
    let selfClosing = false;
    let attrs = this.attrs;
    for (;;) {
      while (i < length && ((c = buf.charCodeAt(i)) === 32 || c === 9 || c === 10 || c === 13)) i++;
      if (i >= length) return -1;
      if (c === 62) { i++; break; }
      if (c === 47) {
        if (i + 1 >= length) return -1;
        if (buf.charCodeAt(i + 1) !== 62) throw new XmlError('stray slash in tag');
        selfClosing = true;
        i += 2;
        break;
      }
      const attrStart = i;
      while (i < length) {
        c = buf.charCodeAt(i);
        if (c === 61 || c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13) break;
        i++;
      }
      const attrEnd = i;
      while (i < length && ((c = buf.charCodeAt(i)) === 32 || c === 9 || c === 10 || c === 13)) i++;
      if (i >= length) return -1;
      if (c !== 61 || attrEnd === attrStart) throw new XmlError('attribute without value');
      i++;
      while (i < length && ((c = buf.charCodeAt(i)) === 32 || c === 9 || c === 10 || c === 13)) i++;
      if (i >= length) return -1;
      if (c !== 34 && c !== 39) throw new XmlError('unquoted attribute');
      // Values are short (cell references, types, style numbers): a loop beats a call to indexOf.
      let valueEnd = i + 1;
      while (valueEnd < length && buf.charCodeAt(valueEnd) !== c) valueEnd++;
      if (valueEnd >= length) return -1;
      if ((count + 1) * 4 > attrs.length) {
        if (attrs.length >= 4096) throw new XmlError('too many attributes');
        const bigger = new Int32Array(attrs.length * 2);
        bigger.set(attrs);
        this.attrs = attrs = bigger;
      }
      const a = count++ * 4;
      attrs[a] = attrStart;
      attrs[a + 1] = attrEnd;
      attrs[a + 2] = i + 1;
      attrs[a + 3] = valueEnd;
      i = valueEnd + 1;
    }
    this.attrCount = count;
    const id = this.nameId(buf, colon === -1 ? lt + 1 : colon + 1, nameEnd);
    if (this.depth === 0) {
      if (this.seenRoot) throw new XmlError('content after the root element');
      this.seenRoot = true;
    }
    this.buffer = buf;
    this.end = i;
    this.tagStart = lt;
    this.colon = colon;
    if (selfClosing) {
      this.handler.open(id, this, true);
      this.handler.close(id);
      return i;
    }
    const consumed = this.handler.open(id, this, false);
    if (consumed !== -1) return consumed;
    if (this.depth >= MAX_DEPTH) throw new XmlError('nested too deeply');
    this.stack[this.depth++] = id;
    if (id === -1) this.unknownNames.push(buf.slice(lt + 1, nameEnd));
    return i;
  }

  private endTag(buf: string, lt: number): number {
    const gt = buf.indexOf('>', lt + 2);
    if (gt === -1) return -1;
    let nameEnd = gt;
    while (nameEnd > lt + 2) {
      const c = buf.charCodeAt(nameEnd - 1);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      nameEnd--;
    }
    const id = this.nameId(buf, lt + 2, nameEnd);
    if (this.depth === 0 || this.stack[this.depth - 1] !== id) throw new XmlError('mismatched end tag');
    this.depth--;
    if (id === -1 && this.unknownNames.pop() !== buf.slice(lt + 2, nameEnd)) throw new XmlError('mismatched end tag');
    this.handler.close(id);
    return gt + 1;
  }

  // XmlTag, valid during open():

  get prefix(): string {
    return this.colon === -1 ? '' : this.buffer.slice(this.tagStart + 1, this.colon + 1);
  }

  find(local: string, prefixed = false): number {
    const buf = this.buffer;
    const attrs = this.attrs;
    for (let k = 0; k < this.attrCount; k++) {
      const start = attrs[k * 4]!;
      const end = attrs[k * 4 + 1]!;
      const from = end - local.length;
      if (from < start) continue;
      if (from > start ? buf.charCodeAt(from - 1) !== 58 : prefixed) continue;
      let j = 0;
      while (j < local.length && buf.charCodeAt(from + j) === local.charCodeAt(j)) j++;
      if (j === local.length) return k;
    }
    return -1;
  }

  value(index: number): string {
    const raw = this.buffer.slice(this.attrs[index * 4 + 2], this.attrs[index * 4 + 3]);
    return raw.indexOf('&') === -1 ? raw : decodeEntities(raw);
  }

  valueCode(index: number): number {
    const start = this.attrs[index * 4 + 2]!;
    const length = this.attrs[index * 4 + 3]! - start;
    return length === 0 ? 0 : this.buffer.charCodeAt(start) + length * 65536;
  }

  column(index: number): number {
    const buf = this.buffer;
    const end = this.attrs[index * 4 + 3]!;
    let column = 0;
    for (let i = this.attrs[index * 4 + 2]!; i < end; i++) {
      const c = buf.charCodeAt(i);
      if (c < 65 || c > 90) break;
      column = column * 26 + (c - 64);
      if (column > 1 << 24) break;
    }
    return column - 1;
  }

  integer(index: number): number {
    const buf = this.buffer;
    const start = this.attrs[index * 4 + 2]!;
    const end = this.attrs[index * 4 + 3]!;
    if (end === start || end - start > 15) return -1;
    let n = 0;
    for (let i = start; i < end; i++) {
      const c = buf.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return -1;
      n = n * 10 + c;
    }
    return n;
  }
}

function named(name: string): string | undefined {
  switch (name) {
    case 'amp': return '&';
    case 'lt': return '<';
    case 'gt': return '>';
    case 'quot': return '"';
    case 'apos': return "'";
    default: return undefined;
  }
}

/** A code point XML 1.0 allows in a document. */
function allowed(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Resolves the five named entities and character references; anything else is an XmlError. */
export function decodeEntities(raw: string): string {
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > 40) throw new XmlError('bad entity');
    out += raw.slice(from, amp);
    if (raw.charCodeAt(amp + 1) === 35 /* # */) {
      const hex = raw.charCodeAt(amp + 2) === 120 /* x */;
      let cp = 0;
      let digits = 0;
      for (let k = amp + (hex ? 3 : 2); k < semi; k++, digits++) {
        const d = hexDigit(raw.charCodeAt(k));
        if (d === -1 || (!hex && d > 9)) { cp = -1; break; }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10ffff) { cp = -1; break; }
      }
      if (digits === 0 || cp === -1 || !allowed(cp)) throw new XmlError('bad character reference');
      out += String.fromCodePoint(cp);
    } else {
      const char = named(raw.slice(amp + 1, semi));
      if (char === undefined) throw new XmlError('unknown entity');
      out += char;
    }
    from = semi + 1;
  }
  return out + raw.slice(from);
}

export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
