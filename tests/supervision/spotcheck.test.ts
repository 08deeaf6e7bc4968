import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSample } from '../../core/supervision/spotcheck';
import { dispatch } from '../../services/dispatch';
import { verifyLiveRegister } from '../../services/register/chain';
import { registerEntryAt } from '../../services/register/entries';
import { sealVisit } from '../support/backup';
import { clientOf, freshServices, signInForTests, tempDir, TEST_ADMIN, upload } from '../support/services';

/**
 * 抽查: a reproducible random draw of sealed certificates, recorded in the register with its seed
 * and parameters; each sampled certificate shows what the clerk saw; the supervisor's finding is a
 * register entry too; the 抽查记录 prints and exports.
 */
describe('the draw itself', () => {
  it('is the same sample for the same seed, different for another, without repeats', () => {
    const a = drawSample(1000, 50, '0123456789abcdef');
    expect(drawSample(1000, 50, '0123456789abcdef')).toEqual(a);
    expect(new Set(a).size).toBe(50);
    expect(a.every((i) => Number.isInteger(i) && i >= 0 && i < 1000)).toBe(true);
    expect(drawSample(1000, 50, 'fedcba9876543210')).not.toEqual(a);
    // The whole population when the sample is as large: a permutation of it.
    expect([...drawSample(20, 20, 'aa55aa55')].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
  });
});

describe('spot checks through the contract', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  let warnedCertNo = '';

  beforeAll(async () => {
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    for (const first of [0, 40, 80]) await sealVisit(services, first, 40);
    // One visit with a warning the clerk acknowledged, and a refused row.
    const roster = [
      '序号,证书编号,姓名,性别,身份证号码,工作单位,资格名称',
      '1,W0001,刘雪梅,女,511102199502131562,成都市第一人民医院,中级会计师',
      '2,W0002,李四,男,11010519491231002X,某单位,中级会计师',
    ].join('\n');
    const visit = await call('visits.create', { unit: '成都市人力资源和社会保障局', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    const { rows } = await call('visits.importRoster', { visitId: visit.id, fileName: 'w.csv', dataBase64: Buffer.from(roster).toString('base64') });
    await call('visits.acknowledge', { visitId: visit.id, lines: rows.filter((r) => r.verdict === 'warning').map((r) => r.line), reason: '已核对调动证明' });
    await call('visits.seal', { visitId: visit.id });
    warnedCertNo = 'W0001';
  });
  afterAll(() => services.close());

  it('records the seed and the parameters as a register entry of its own, and draws the same sample from the same seed', async () => {
    const first = await call('spotcheck.draw', { from: '2026-11-24', to: '2026-11-24', size: 10, seed: 'c0ffee00c0ffee00' });
    expect(first.draw).toMatchObject({ seed: 'c0ffee00c0ffee00', populationSize: 121, sampleSize: 10, earlierDraws: [], supervisor: TEST_ADMIN.displayName });
    const entry = registerEntryAt(services.ctx.db, first.draw.seq)!;
    expect(entry).toMatchObject({ kind: '抽查抽样', count: 10, clerk: TEST_ADMIN.displayName });
    expect(entry.remarks).toContain('随机种子 c0ffee00c0ffee00；共 121 张，抽取 10 张');
    const record = JSON.parse(services.ctx.db.prepare("SELECT record FROM entry_records WHERE entry_seq = ? AND kind = 'spotcheck-draw'").pluck().get(first.draw.seq) as string) as { sampleIds: number[]; seed: string; from: string };
    expect(record).toMatchObject({ seed: 'c0ffee00c0ffee00', from: '2026-11-24' });
    expect(record.sampleIds).toEqual(first.items.map((i) => i.certificateId));
    expect(verifyLiveRegister(services.ctx).intact).toBe(true);

    const again = await call('spotcheck.draw', { from: '2026-11-24', to: '2026-11-24', size: 10, seed: 'c0ffee00c0ffee00' });
    expect(again.items.map((i) => i.certNo)).toEqual(first.items.map((i) => i.certNo));
    // ...and the redraw is there for everyone to see.
    expect(again.draw.earlierDraws).toEqual([first.draw.seq]);
    expect(registerEntryAt(services.ctx.db, again.draw.seq)!.remarks).toContain(`同一范围此前已抽样 1 次（第 ${first.draw.seq} 号）`);
    const listed = await call('spotcheck.list', {});
    expect(listed.map((d) => d.seq)).toEqual([again.draw.seq, first.draw.seq]);
  });

  it('draws by percentage and by unit; a seed of its own when none is given', async () => {
    const byUnit = await call('spotcheck.draw', { from: '2026-11-01', to: '2026-11-30', percent: 100, unit: '成都市人力资源和社会保障局' });
    expect(byUnit.draw.populationSize).toBe(1);
    expect(byUnit.items.map((i) => i.certNo)).toEqual([warnedCertNo]);
    expect(byUnit.draw.seed).toMatch(/^[0-9a-f]{32}$/);
    const tenPercent = await call('spotcheck.draw', { from: '2026-11-24', to: '2026-11-24', percent: 10 });
    expect(tenPercent.draw.sampleSize).toBe(13);
    await expect(call('spotcheck.draw', { from: '2026-10-01', to: '2026-10-31', size: 5 })).rejects.toThrow('2026-10-01 至 2026-10-31 没有符合条件的已签章证书，无法抽样。');
  });

  it('shows what the clerk saw for each sampled certificate, and records 合格 or a problem in the register', async () => {
    const { draw, items } = await call('spotcheck.draw', { from: '2026-11-24', to: '2026-11-24', size: 1, unit: '成都市人力资源和社会保障局' });
    const item = items[0]!;
    expect(item).toMatchObject({ certNo: 'W0001', name: '刘雪梅', clerk: TEST_ADMIN.displayName, acknowledgement: '已核对调动证明', rosterRow: { rowNo: 1, workUnit: '成都市第一人民医院' } });
    expect(item.findings.map((f) => f.code)).toEqual(['UNIT_MISMATCH']);
    await expect(call('spotcheck.record', { drawSeq: draw.seq, certificateId: item.certificateId, verdict: '有问题', note: '' })).rejects.toThrow('记录问题时请写明问题所在');
    const before = services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get() as number;
    const recorded = await call('spotcheck.record', { drawSeq: draw.seq, certificateId: item.certificateId, verdict: '有问题', note: '调动证明未留复印件' });
    expect(recorded.items[0]!.result).toMatchObject({ verdict: '有问题', note: '调动证明未留复印件', by: TEST_ADMIN.displayName, seq: before + 1 });
    expect(recorded.draw).toMatchObject({ checked: 1, problems: 1 });
    expect(registerEntryAt(services.ctx.db, before + 1)).toMatchObject({ kind: '抽查结果', remarks: '有问题：调动证明未留复印件', unit: '成都市人力资源和社会保障局' });
    await expect(call('spotcheck.record', { drawSeq: draw.seq, certificateId: 1, verdict: '合格', note: '' })).rejects.toThrow(`该证书不在第 ${draw.seq} 号抽样中。`);

    const papers = await call('spotcheck.papers', { seq: draw.seq });
    const pdf = join(tempDir(), 'spot.pdf');
    writeFileSync(pdf, Buffer.from(papers.pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('抽查记录');
    expect(text).toContain(`随机种子：${draw.seed}`);
    expect(text.replace(/\s+/g, '')).toContain('W0001刘雪梅');
    expect(text).toContain('调动证明未留复印件');
    const rows = XLSX.utils.sheet_to_json<string[]>(XLSX.read(Buffer.from(papers.xlsxBase64, 'base64')).Sheets['抽查记录']!, { header: 1, defval: '' });
    expect(rows.at(-1)!.slice(0, 2)).toEqual(['W0001', '刘雪梅']);
    expect(rows.at(-1)![7]).toBe('有问题');
    expect(verifyLiveRegister(services.ctx).intact).toBe(true);
    // A spot check's entries are not seal usage: 更正 does not apply to them.
    await expect(call('register.correct', { seq: draw.seq, reason: '改一下范围', changes: { unit: '别的单位' } })).rejects.toThrow(`第 ${draw.seq} 号是抽查登记（抽查抽样），不能更正`);
  });

  it('is for supervisors and administrators only', async () => {
    signInForTests(services, { username: 'clerk1', displayName: '张窗口', role: 'clerk' });
    await expect(call('spotcheck.draw', { from: '2026-11-24', to: '2026-11-24', size: 1 })).rejects.toThrow('此操作需要审核人权限，当前账户是窗口经办人。');
    await expect(call('stats.get', { from: '2026-11-24', to: '2026-11-24' })).rejects.toThrow('此操作需要审核人权限');
    signInForTests(services, { username: 'super1', displayName: '赵审核', role: 'supervisor' });
    expect((await call('spotcheck.list', {})).length).toBeGreaterThan(0);
    signInForTests(services);
  });

  it('keeps spot-check entries off the counter\'s papers: the day\'s register sheet and a sampled visit\'s', async () => {
    const day = await call('print.form', { form: 'register-sheet', scope: { date: '2026-11-24' } });
    const sealings = services.ctx.db.prepare("SELECT count(*) FROM register_entries WHERE kind IN ('签章', '更正', '签字')").pluck().get() as number;
    expect(sealings).toBeLessThan(services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get() as number);
    expect(day.entryCount).toBe(sealings);
    // The 抽查结果 of W0001 names that visit; its sheet still lists only the sealing's three entries.
    const visitId = services.ctx.db.prepare("SELECT visit_id FROM certificates WHERE cert_no = 'W0001'").pluck().get() as number;
    expect((await call('print.form', { form: 'register-sheet', scope: { visitId } })).entryCount).toBe(3);
  });
});
