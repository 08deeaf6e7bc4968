import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { parseApprovedList } from '../../core/lists/approvedList';
import { parseRoster } from '../../core/verify/roster';
import { ParsePool, type ParseRequest } from '../../services/files/untrustedFiles';
import { fixtureBytes } from '../support/services';

/**
 * The parse workers: kept warm from one file to the next, never more than two at once with the
 * rest waiting in the order they came, and a worker that breaks a limit replaced by a fresh one.
 */
const list = (fileName: string, bytes: Uint8Array): ParseRequest => ({ kind: 'approvedList', fileName, bytes, today: '2026-11-24', overrides: {} });
const senior = fixtureBytes('approved/senior-engineers-2025.xlsx');

/** A sheet that keeps the reader busy for a while: many rows with nothing the header search wants. */
function slowSheet(rows: number): Uint8Array {
  return zipSync({
    'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet><sheetData>${'<row><c t="inlineStr"><is><t>序号</t></is></c><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>身份证号码</t></is></c><c t="inlineStr"><is><t>资格名称</t></is></c></row>'.repeat(rows)}</sheetData></worksheet>`),
  }, { level: 1 });
}

describe('the parse workers', () => {
  const pools: ParsePool[] = [];
  const pool = (options?: ConstructorParameters<typeof ParsePool>[0]) => {
    const p = new ParsePool(options);
    pools.push(p);
    return p;
  };
  afterAll(async () => { await Promise.all(pools.map((p) => p.close())); });

  it('reads one file after another in the same warm worker, giving what the parse in this process gives', async () => {
    const p = pool();
    const here = parseApprovedList('s0.xlsx', senior, '2026-11-24');
    expect(await p.parse(list('s0.xlsx', senior))).toEqual(here);
    for (let i = 1; i < 4; i++) expect((await p.parse(list(`s${i}.xlsx`, senior))).rows).toHaveLength(300);
    const roster = fixtureBytes('rosters/senior-errors.xlsx');
    expect(await p.parse({ kind: 'roster', fileName: 'r.xlsx', bytes: roster })).toEqual(parseRoster('r.xlsx', roster));
    expect(p.started).toBe(1);
  });

  it('runs at most two files at once, the others waiting', async () => {
    const p = pool();
    const peak = { running: 0, waiting: 0 };
    const sample = () => {
      peak.running = Math.max(peak.running, p.load.running);
      peak.waiting = Math.max(peak.waiting, p.load.waiting);
    };
    const jobs = Array.from({ length: 8 }, (_, i) => p.parse(list(`f${i}.xlsx`, senior)).finally(sample));
    sample();
    await Promise.all(jobs);
    expect(peak).toEqual({ running: 2, waiting: 6 });
    expect(p.started).toBe(2);
  });

  it('takes waiting files in the order they came', async () => {
    const p = pool({ maxWorkers: 1 });
    const finished: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => p.parse(list(`f${i}.xlsx`, i % 2 ? senior : fixtureBytes('rosters/senior-clean.xlsx'))).then(() => finished.push(i), () => finished.push(i))));
    expect(finished).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('replaces a worker that ran out of time, and the next file is read by a fresh one', async () => {
    const p = pool({ timeLimitMs: 300 });
    await expect(p.parse(list('slow.xlsx', slowSheet(400_000)))).rejects.toThrow(/在 0.3 秒内未能读完/);
    // The fresh worker's start-up counts against the file's time: give the next file room for it.
    expect((await p.parse(list('next.xlsx', senior), 20_000)).rows).toHaveLength(300);
    expect(p.started).toBe(2);
  });

  it('replaces a worker that ran out of memory, and says so in Chinese', async () => {
    const p = pool({ heapLimitMb: 32, timeLimitMs: 20_000 });
    await expect(p.parse(list('huge.xlsx', slowSheet(180_000)))).rejects.toThrow(/读取时占用内存过多/);
    expect((await p.parse(list('next.xlsx', senior))).rows).toHaveLength(300);
    expect(p.started).toBe(2);
  }, 30_000);

  it('keeps 48 files brought at once to two workers', async () => {
    const p = pool();
    const results = await Promise.all(Array.from({ length: 48 }, (_, i) => p.parse(list(`m${i}.xlsx`, senior))));
    expect(results.every((r) => r.rows.length === 300)).toBe(true);
    expect(p.started).toBe(2);
  });
});
