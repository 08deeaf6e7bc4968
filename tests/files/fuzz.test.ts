import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/dispatch';
import { ParsePool } from '../../services/files/untrustedFiles';
import { clientOf, fixtureBytes, freshServices, REPO_DIR } from '../support/services';
import { textCorpus } from './corpus/textCorpus';
import { xlsCorpus } from './corpus/xlsCorpus';
import { xlsxCorpus } from './corpus/xlsxCorpus';

/**
 * Mutated files (bytes flipped, cut short, runs inserted or dropped, zip entries swapped, sizes
 * and lengths that lie) go through the same bounded parse workers as the clerk's files, with the
 * limits tightened to 5 s and 256 MB: every mutant either reads or gets one Chinese sentence —
 * never an internal error, an English stack, a hang or a broken limit — and a sample imported
 * through the service records nothing.
 */
const MUTANTS_PER_FORMAT = 1000;
const TIME_LIMIT_MS = 5_000;
const HEAP_LIMIT_MB = 256;

/** A fixed-seed generator, so that a failing mutant can be made again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (bytes: Uint8Array, next: () => number) => Uint8Array;
const pick = (next: () => number, n: number) => Math.floor(next() * n);

const flip: Mutation = (bytes, next) => {
  const out = new Uint8Array(bytes);
  for (let k = 1 + pick(next, 8); k > 0; k--) out[pick(next, out.length)] = pick(next, 256);
  return out;
};
const truncate: Mutation = (bytes, next) => bytes.slice(0, pick(next, bytes.length));
const splice: Mutation = (bytes, next) => {
  const at = pick(next, bytes.length);
  const cut = pick(next, 64);
  const insert = Array.from({ length: pick(next, 64) }, () => pick(next, 256));
  return new Uint8Array([...bytes.subarray(0, at), ...insert, ...bytes.subarray(at + cut)]);
};

/** Offsets of a little-endian 32-bit signature. */
function signatures(bytes: Uint8Array, signature: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at++) if (view.getUint32(at, true) === signature) found.push(at);
  return found;
}

/** Central-directory and local sizes, offsets and name lengths that lie. */
const zipLies: Mutation = (bytes, next) => {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  const entries = [...signatures(out, 0x02014b50).map((at) => [at, [20, 24, 28, 42]] as const), ...signatures(out, 0x04034b50).map((at) => [at, [18, 22, 26]] as const)];
  if (entries.length === 0) return flip(bytes, next);
  const [at, fields] = entries[pick(next, entries.length)]!;
  const field = fields[pick(next, fields.length)]!;
  const values = [0, 1, 0xffff, 0xffffffff, view.getUint32(at + field, true) * 2, Math.floor(view.getUint32(at + field, true) / 2)];
  if (field === 26 || field === 28) view.setUint16(at + field, values[pick(next, 4)]! & 0xffff, true);
  else view.setUint32(at + field, values[pick(next, values.length)]! >>> 0, true);
  return out;
};

/** Two entries' names swapped in the central directory: a sheet read as shared strings, styles as a sheet. */
const zipSwap: Mutation = (bytes, next) => {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  const entries = signatures(out, 0x02014b50).map((at) => ({ at, name: at + 46, length: view.getUint16(at + 28, true) }));
  if (entries.length < 2) return flip(bytes, next);
  const a = entries[pick(next, entries.length)]!;
  const b = entries[pick(next, entries.length)]!;
  const nameA = out.slice(a.name, a.name + a.length);
  const nameB = out.slice(b.name, b.name + b.length);
  if (nameA.length !== nameB.length) {
    // Same-length names only can be swapped in place; otherwise point one entry at the other's data.
    view.setUint32(a.at + 42, view.getUint32(b.at + 42, true), true);
    return out;
  }
  out.set(nameB, a.name);
  out.set(nameA, b.name);
  return out;
};

/** BIFF record lengths and compound-file header fields that lie. */
const biffLies: Mutation = (bytes, next) => {
  if (bytes.length < 520) return flip(bytes, next);
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  if (next() < 0.3) {
    const field = [30, 44, 48, 60, 64, 68, 76, 80][pick(next, 8)]!;
    view.setUint32(field, [0, 1, 7, 0xfffffffe, 0xffffffff, pick(next, 64)][pick(next, 6)]!, true);
    return out;
  }
  // A record header somewhere in the workbook stream: its length grows, shrinks or vanishes.
  const at = 512 + pick(next, Math.max(1, out.length - 516));
  view.setUint16(at + 2, [0, 1, 0xffff, view.getUint16(at + 2, true) + 1, pick(next, 8224)][pick(next, 5)]!, true);
  return out;
};

/** Text mutations that matter for decoding: bytes invalid in any encoding, a stray quote, a NUL. */
const textLies: Mutation = (bytes, next) => {
  const out = new Uint8Array(bytes);
  const at = pick(next, out.length);
  out[at] = [0xff, 0x80, 0x22, 0x00, 0x0d, 0xfe][pick(next, 6)]!;
  return out;
};

const FORMATS: { format: string; extension: string; seeds: Uint8Array[]; mutations: Mutation[] }[] = [
  {
    format: '.xlsx', extension: 'xlsx', mutations: [flip, truncate, splice, zipLies, zipSwap, zipLies],
    seeds: [fixtureBytes('rosters/senior-clean.xlsx'), fixtureBytes('approved/worker-grade-2025.xlsx'), ...xlsxCorpus().map((f) => f.bytes)],
  },
  {
    format: '.xls', extension: 'xls', mutations: [flip, truncate, splice, biffLies, biffLies],
    seeds: [readFileSync(join(REPO_DIR, 'tests', 'fixtures', 'senior-clean.xls')), ...xlsCorpus().map((f) => f.bytes)],
  },
  {
    format: 'CSV', extension: 'csv', mutations: [flip, truncate, splice, textLies],
    seeds: [fixtureBytes('rosters/worker-grade.csv'), fixtureBytes('approved/exam-economist-2025.gbk.csv').subarray(0, 8000), ...textCorpus().map((f) => f.bytes)],
  },
];

function mutants(format: (typeof FORMATS)[number], seed: number): { name: string; bytes: Uint8Array }[] {
  const next = random(seed);
  return Array.from({ length: MUTANTS_PER_FORMAT }, (_, i) => {
    const source = format.seeds[i % format.seeds.length]!;
    const mutation = format.mutations[pick(next, format.mutations.length)]!;
    let bytes = mutation(source, next);
    if (next() < 0.25) bytes = format.mutations[pick(next, format.mutations.length)]!(bytes, next);
    return { name: `mutant-${seed}-${i}.${format.extension}`, bytes: bytes.length === 0 ? new Uint8Array([0x20]) : bytes };
  });
}

const CHINESE = /[\u4e00-\u9fa5]/;
const NOT_THE_FILE = /秒内未能读完|占用内存过多|已损坏或格式异常，无法读取。请/;

describe('mutated files', () => {
  const pool = new ParsePool({ heapLimitMb: HEAP_LIMIT_MB, timeLimitMs: TIME_LIMIT_MS });
  afterAll(() => pool.close());

  it.each(FORMATS.map((f, i) => [f.format, f, 20251201 + i] as const))('%s: every mutant reads or gets one Chinese sentence, within 5 s and 256 MB', async (_format, format, seed) => {
    const outcomes = await Promise.all(mutants(format, seed).map(async ({ name, bytes }) => {
      const started = performance.now();
      try {
        await pool.parse(name.charCodeAt(7) % 2 === 0 ? { kind: 'roster', fileName: name, bytes } : { kind: 'approvedList', fileName: name, bytes, today: '2026-11-24', overrides: {} });
        return { name, ok: true, message: '', ms: performance.now() - started };
      } catch (error) {
        return { name, ok: false, message: (error as Error).message, ms: performance.now() - started, importError: (error as Error).name === 'ImportError' };
      }
    }));
    const wrong = outcomes.filter((o) => !o.ok && (!o.importError || !CHINESE.test(o.message) || /\bat \S+:\d+|Error:/.test(o.message) || NOT_THE_FILE.test(o.message)));
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(outcomes).toHaveLength(MUTANTS_PER_FORMAT);
    // Most mutants are refused; some still read (a flipped byte inside a name).
    expect(outcomes.filter((o) => !o.ok).length).toBeGreaterThan(MUTANTS_PER_FORMAT / 10);
  }, 120_000);

  it('records nothing for a mutant the service refuses', async () => {
    const services = freshServices();
    try {
      const call = clientOf((name, request) => dispatch(services, name, request));
      const recorded = () => services.ctx.db.prepare('SELECT (SELECT count(*) FROM approved_lists) + (SELECT count(*) FROM approved_people) + (SELECT count(*) FROM register_entries)').pluck().get();
      let refused = 0;
      for (const format of FORMATS) {
        for (const { name, bytes } of mutants(format, 7).slice(0, 40)) {
          const before = recorded();
          const accepted = await call('lists.import', { fileName: name, dataBase64: Buffer.from(bytes).toString('base64') }).then(() => true, (error: Error) => {
            expect(error.message).toMatch(CHINESE);
            return false;
          });
          if (!accepted) {
            refused++;
            expect(recorded(), name).toBe(before);
          }
        }
      }
      expect(refused).toBeGreaterThan(60);
    } finally {
      services.close();
    }
  }, 60_000);
});
