import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSample } from '../../core/supervision/spotcheck';
import { dispatch } from '../../services/dispatch';
import { sha256Hex } from '../../core/register/entries';
import { verifyLiveRegister } from '../../services/register/chain';
import { appendRegisterEntries, registerEntryAt } from '../../services/register/entries';
import { writeToRegister } from '../../services/register/integrity';
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

/**
 * 抽查 of whole visits: the draw samples sealed visits (the visits whose certificates the ledger
 * holds for the period), the supervisor sees everything the clerk saw of each, and records one
 * finding per visit; the 抽查记录 lists visits.
 */
describe('spot checks of whole sealed visits', () => {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  const CHENGDU = '成都市人力资源和社会保障局';
  const CLERK = { username: 'clerk2', displayName: '王窗口', role: 'clerk' as const };
  let chengduVisit = 0;
  /** The visit ids the ledger names for 2026-11-24, ascending: the population of a visit draw. */
  let ledgerVisits: number[] = [];

  beforeAll(async () => {
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    for (const first of [0, 40]) await sealVisit(services, first, 40);
    // Sealed by another clerk: a warning acknowledged, a row refused, documents ticked.
    signInForTests(services, CLERK);
    const roster = [
      '序号,证书编号,姓名,性别,身份证号码,工作单位,资格名称',
      '1,W0001,刘雪梅,女,511102199502131562,成都市第一人民医院,中级会计师',
      '2,W0002,李四,男,11010519491231002X,某单位,中级会计师',
    ].join('\n');
    const visit = await call('visits.create', { unit: CHENGDU, agentName: '周敏', agentPhone: '13900000000', certificateType: '专业技术资格证书', slipNo: '' });
    chengduVisit = visit.id;
    const { rows } = await call('visits.importRoster', { visitId: visit.id, fileName: 'w.csv', dataBase64: Buffer.from(roster).toString('base64') });
    await call('visits.acknowledge', { visitId: visit.id, lines: rows.filter((r) => r.verdict === 'warning').map((r) => r.line), reason: '已核对调动证明' });
    await call('visits.setDocuments', { visitId: visit.id, documents: ['任职资格文件复印件', '登记表'] });
    await call('visits.seal', { visitId: visit.id });
    signInForTests(services);
    await sealVisit(services, 80, 10);
    ledgerVisits = services.ctx.db.prepare('SELECT DISTINCT visit_id FROM certificates ORDER BY visit_id').pluck().all() as number[];
  });
  afterAll(() => services.close());

  it('draws visits from the ledger, reproducibly from the seed, and records the draw as a register entry of its own', async () => {
    const seed = '5eed5eed5eed5eed';
    const first = await call('spotcheck.draw', { sampling: 'visits', from: '2026-11-24', to: '2026-11-24', size: 2, seed });
    expect(ledgerVisits).toHaveLength(4);
    expect(first.draw).toMatchObject({ sampling: 'visits', seed, populationSize: 4, sampleSize: 2, earlierDraws: [] });
    // The sample is the seed's draw over the ledger's visits in visit order: anyone can recompute it.
    const expected = drawSample(4, 2, seed).map((i) => ledgerVisits[i]!);
    expect(first.visits.map((v) => v.visitId)).toEqual(expected);
    expect(first.items).toEqual([]);

    const entry = registerEntryAt(services.ctx.db, first.draw.seq)!;
    expect(entry).toMatchObject({ kind: '抽查抽样', count: 2, clerk: TEST_ADMIN.displayName, visitId: 0, purpose: '抽查办证 2026-11-24 至 2026-11-24' });
    expect(entry.remarks).toBe(`随机种子 ${seed}；共 4 次办证，抽取 2 次`);
    const record = JSON.parse(services.ctx.db.prepare("SELECT record FROM entry_records WHERE entry_seq = ? AND kind = 'spotcheck-draw'").pluck().get(first.draw.seq) as string) as Record<string, unknown>;
    expect(record).toMatchObject({ sampling: 'visits', seed, sampleIds: expected, populationSize: 4, populationDigest: sha256Hex(ledgerVisits.join(',')) });

    const again = await call('spotcheck.draw', { sampling: 'visits', from: '2026-11-24', to: '2026-11-24', size: 2, seed });
    expect(again.visits.map((v) => v.visitId)).toEqual(expected);
    expect(again.draw.earlierDraws).toEqual([first.draw.seq]);
    expect(registerEntryAt(services.ctx.db, again.draw.seq)!.remarks).toContain(`同一范围此前已抽样 1 次（第 ${first.draw.seq} 号）`);
    // A draw of certificates over the same range is not a redraw of the visits, nor the other way round.
    const certificates = await call('spotcheck.draw', { from: '2026-11-24', to: '2026-11-24', size: 2, seed });
    expect(certificates.draw).toMatchObject({ sampling: 'certificates', earlierDraws: [], populationSize: 91 });
    expect(certificates.visits).toEqual([]);
    expect((await call('spotcheck.list', {})).map((d) => [d.seq, d.sampling])).toEqual([[certificates.draw.seq, 'certificates'], [again.draw.seq, 'visits'], [first.draw.seq, 'visits']]);
    expect(verifyLiveRegister(services.ctx).intact).toBe(true);
  });

  it('filters the visits by unit, clerk and certificate type, and says so when none fit', async () => {
    const byUnit = await call('spotcheck.draw', { sampling: 'visits', from: '2026-11-01', to: '2026-11-30', percent: 100, unit: CHENGDU });
    expect(byUnit.visits).toEqual([expect.objectContaining({
      visitId: chengduVisit, unit: CHENGDU, agentName: '周敏', clerk: CLERK.displayName, certificateType: '专业技术资格证书', certificateCount: 1, rowCount: 2, refusedCount: 1, result: null,
    })]);
    const byClerk = await call('spotcheck.draw', { sampling: 'visits', from: '2026-11-24', to: '2026-11-24', percent: 100, clerk: TEST_ADMIN.displayName });
    expect(byClerk.visits.map((v) => v.visitId).sort((a, b) => a - b)).toEqual(ledgerVisits.filter((id) => id !== chengduVisit));
    expect(byClerk.visits.map((v) => v.certificateCount).sort((a, b) => a - b)).toEqual([10, 40, 40]);
    const byType = await call('spotcheck.draw', { sampling: 'visits', from: '2026-11-24', to: '2026-11-24', percent: 50, certificateType: '专业技术资格证书' });
    expect(byType.draw).toMatchObject({ populationSize: 4, sampleSize: 2 });
    await expect(call('spotcheck.draw', { sampling: 'visits', from: '2026-11-24', to: '2026-11-24', size: 1, certificateType: '工人技术等级资格证书' }))
      .rejects.toThrow('2026-11-24 至 2026-11-24 没有符合条件的已签章办证，无法抽样。');
  });

  it('shows everything the clerk saw of a sampled visit, and records 合格 or a problem for the visit in the register', async () => {
    const { draw } = await call('spotcheck.draw', { sampling: 'visits', from: '2026-11-24', to: '2026-11-24', size: 1, unit: CHENGDU });
    const seen = await call('spotcheck.visit', { drawSeq: draw.seq, visitId: chengduVisit });
    expect(seen.detail.visit).toMatchObject({ id: chengduVisit, unit: CHENGDU, agentName: '周敏', agentPhone: '13900000000', status: 'sealed', documentsSeen: ['任职资格文件复印件', '登记表'], dayAcknowledgement: null, rosterFile: 'w.csv' });
    const [warned, refused] = seen.detail.rows;
    expect(warned).toMatchObject({ rowNo: 1, certNo: 'W0001', name: '刘雪梅', workUnit: '成都市第一人民医院', sealable: true, acknowledgement: '已核对调动证明' });
    expect(warned!.findings.map((f) => f.code)).toEqual(['UNIT_MISMATCH']);
    expect(refused).toMatchObject({ rowNo: 2, certNo: 'W0002', sealable: false, acknowledgement: null });
    expect(refused!.findings.map((f) => f.code)).toContain('NOT_APPROVED');
    // Who sealed and when: the register's own entries for the visit.
    expect(seen.entries.length).toBeGreaterThan(0);
    expect(seen.entries.every((e) => e.kind === '签章' && e.clerk === CLERK.displayName && e.visitId === chengduVisit && e.at === seen.item.sealedAt)).toBe(true);
    expect(seen.entries.map((e) => e.count)).toContain(1);
    await expect(call('spotcheck.visit', { drawSeq: draw.seq, visitId: ledgerVisits[0]! })).rejects.toThrow(`第 ${ledgerVisits[0]} 号办证不在第 ${draw.seq} 号抽样中。`);

    const sheetBefore = (await call('print.form', { form: 'register-sheet', scope: { visitId: chengduVisit } })).entryCount;
    const before = services.ctx.db.prepare('SELECT count(*) FROM register_entries').pluck().get() as number;
    await expect(call('spotcheck.record', { drawSeq: draw.seq, certificateId: 1, verdict: '合格', note: '' })).rejects.toThrow(`第 ${draw.seq} 号是按办证抽样，请指明所查的办证。`);
    await expect(call('spotcheck.record', { drawSeq: draw.seq, visitId: chengduVisit, certificateId: 1, verdict: '合格', note: '' })).rejects.toThrow('请指明所查的证书或办证（二选一）');
    await expect(call('spotcheck.record', { drawSeq: draw.seq, visitId: ledgerVisits[0]!, verdict: '合格', note: '' })).rejects.toThrow(`第 ${ledgerVisits[0]} 号办证不在第 ${draw.seq} 号抽样中。`);
    const recorded = await call('spotcheck.record', { drawSeq: draw.seq, visitId: chengduVisit, verdict: '有问题', note: '第 2 行退回未告知单位' });
    expect(recorded.visits[0]!.result).toMatchObject({ verdict: '有问题', note: '第 2 行退回未告知单位', by: TEST_ADMIN.displayName, seq: before + 1 });
    expect(recorded.draw).toMatchObject({ checked: 1, problems: 1 });
    expect(registerEntryAt(services.ctx.db, before + 1)).toMatchObject({
      kind: '抽查结果', count: 1, visitId: 0, unit: CHENGDU, purpose: `第 ${draw.seq} 号抽查：第 ${chengduVisit} 号办证`, remarks: '有问题：第 2 行退回未告知单位',
    });
    const result = JSON.parse(services.ctx.db.prepare("SELECT record FROM entry_records WHERE entry_seq = ?").pluck().get(before + 1) as string) as Record<string, unknown>;
    expect(result).toEqual({ kind: 'spotcheck-result', drawSeq: draw.seq, visitId: chengduVisit, verdict: '有问题', note: '第 2 行退回未告知单位' });
    // The finding is not seal usage: the visit's own register sheet is as it was.
    expect((await call('print.form', { form: 'register-sheet', scope: { visitId: chengduVisit } })).entryCount).toBe(sheetBefore);

    const papers = await call('spotcheck.papers', { seq: draw.seq });
    const pdf = join(tempDir(), 'spot-visits.pdf');
    writeFileSync(pdf, Buffer.from(papers.pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('抽样对象：');
    expect(text).toContain('已签章的办证（每次办证整体检查）');
    expect(text).toContain('抽取 1 次办证，已检查 1 次，其中有问题 1 次');
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('办证号用章单位经办人窗口经办人签章时间证书张数结论说明');
    // One line per visit: 办证号, the unit (wrapped), 经办人, 窗口经办人, the time, 证书张数, 结论, 说明.
    expect(text).toMatch(new RegExp(`^\\s*${chengduVisit}\\s+成都市人力资源和社会\\S*\\s+周敏\\s+${CLERK.displayName}\\s+2026-11-24\\s+1\\s+有问题\\s+第 2 行退回未告知`, 'm'));
    const rows = XLSX.utils.sheet_to_json<(string | number)[]>(XLSX.read(Buffer.from(papers.xlsxBase64, 'base64')).Sheets['抽查记录']!, { header: 1, defval: '' });
    expect(rows.at(-2)).toEqual(['办证号', '用章单位', '经办人', '证书类型', '签章凭条', '签章时间', '窗口经办人', '证书张数', '名册行数', '未签章行数', '结论', '说明', '检查人', '检查时间']);
    expect(rows.at(-1)!.slice(0, 12)).toEqual([chengduVisit, CHENGDU, '周敏', '专业技术资格证书', '', expect.stringMatching(/^2026-11-24 \d\d:\d\d$/), CLERK.displayName, 1, 2, 1, '有问题', '第 2 行退回未告知单位']);

    // Recorded again, the latest finding stands; the earlier one stays in the register.
    const passed = await call('spotcheck.record', { drawSeq: draw.seq, visitId: chengduVisit, verdict: '合格', note: '已电话告知单位' });
    expect(passed.draw).toMatchObject({ checked: 1, problems: 0 });
    expect(registerEntryAt(services.ctx.db, before + 1)!.remarks).toBe('有问题：第 2 行退回未告知单位');
    expect(verifyLiveRegister(services.ctx).intact).toBe(true);
  });

  it('keeps a draw written before visits could be sampled (no sampling field) as a certificate draw: it verifies, shows, takes findings and prints', async () => {
    // Exactly what the earlier code wrote: the same record, without `sampling`.
    const population = services.ctx.db.prepare("SELECT c.id FROM certificates c WHERE c.unit = ? ORDER BY c.id").pluck().all(CHENGDU) as number[];
    const old = {
      kind: 'spotcheck-draw', seed: 'feedfacefeedface', from: '2026-11-24', to: '2026-11-24', unit: CHENGDU, clerk: '', certificateType: '', size: 1, percent: null,
      populationSize: population.length, populationDigest: sha256Hex(population.join(',')), sampleIds: population, earlierDraws: [],
    } as const;
    const [entry] = writeToRegister(services.ctx, '抽查', () => appendRegisterEntries(services.ctx, [{
      at: services.ctx.clock.timestamp(), kind: '抽查抽样', correctsSeq: null, sealId: '', sealName: '', sealKind: '', documentKind: '', count: 1, unit: CHENGDU,
      agentName: '', agentPhone: '', slipNo: '', purpose: '抽查 2026-11-24 至 2026-11-24', clerk: TEST_ADMIN.displayName, clerkAccount: TEST_ADMIN.username,
      approver: '', signMethod: '', remarks: '随机种子 feedfacefeedface；共 1 张，抽取 1 张', visitId: 0, records: [{ ...old, sampleIds: [...old.sampleIds], earlierDraws: [] }],
    }]));
    const seq = entry!.seq;
    const stored = services.ctx.db.prepare("SELECT record FROM entry_records WHERE entry_seq = ?").pluck().get(seq) as string;
    expect(stored).not.toContain('sampling');

    const shown = await call('spotcheck.get', { seq });
    expect(shown.draw).toMatchObject({ sampling: 'certificates', seed: 'feedfacefeedface', sampleSize: 1 });
    expect(shown.items.map((i) => i.certNo)).toEqual(['W0001']);
    expect(shown.visits).toEqual([]);
    await expect(call('spotcheck.visit', { drawSeq: seq, visitId: chengduVisit })).rejects.toThrow(`第 ${seq} 号是按证书抽样，没有抽取办证。`);
    await expect(call('spotcheck.record', { drawSeq: seq, visitId: chengduVisit, verdict: '合格', note: '' })).rejects.toThrow(`第 ${seq} 号是按证书抽样，请指明所查的证书。`);
    const recorded = await call('spotcheck.record', { drawSeq: seq, certificateId: population[0]!, verdict: '合格', note: '' });
    expect(recorded.items[0]!.result).toMatchObject({ verdict: '合格' });
    // A new certificate draw over the old one's range names it as an earlier draw.
    const redraw = await call('spotcheck.draw', { from: '2026-11-24', to: '2026-11-24', size: 1, unit: CHENGDU });
    expect(redraw.draw.earlierDraws).toContain(seq);

    const papers = await call('spotcheck.papers', { seq });
    const pdf = join(tempDir(), 'spot-old.pdf');
    writeFileSync(pdf, Buffer.from(papers.pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('已签章的证书');
    expect(text.replace(/\s+/g, '')).toContain('W0001刘雪梅');
    expect(services.ctx.db.prepare("SELECT record FROM entry_records WHERE entry_seq = ?").pluck().get(seq)).toBe(stored);
    expect(verifyLiveRegister(services.ctx).intact).toBe(true);
  });
});
