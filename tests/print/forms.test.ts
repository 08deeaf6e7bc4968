// The office's hour must be printed whatever the machine's zone: these tests run the process on UTC.
process.env.TZ = 'UTC';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { printForm } from '../../services/print/print';
import { closeDay } from '../../services/register/batches';
import { verifyLiveRegister } from '../../services/register/chain';
import { editRecord, openAsAttacker, recordsOf } from '../../scripts/tamper/attacker';
import { imageCount, pdfColumn, pdfFonts, pdfPageCount, pdfText } from './pdfTools';
import { sealedOffice } from './office';

type Office = Awaited<ReturnType<typeof sealedOffice>>;

/** A signature as a pad gives it: black strokes on a transparent 320×100 canvas. */
export function signaturePng(): string {
  const png = new PNG({ width: 320, height: 100 });
  for (let x = 20; x < 300; x++) {
    const y = Math.round(50 + 30 * Math.sin(x / 25));
    for (let dy = -2; dy <= 2; dy++) {
      const i = ((y + dy) * 320 + x) * 4;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png).toString('base64');
}

describe('the papers the counter prints', () => {
  let office: Office;
  const print = (...args: Parameters<typeof printForm> extends [unknown, ...infer R] ? R : never) => printForm(office.services.ctx, ...args);
  beforeAll(async () => { office = await sealedOffice(); }, 120_000);
  afterAll(() => office.services.close());

  it('runs on a machine set to UTC, where 10:15 in Chengdu is 02:15', () => {
    expect(new Date('2026-11-24T10:15:00+08:00').getHours()).toBe(2);
  });

  it('印章使用登记表 of a visit: the office, 备注 with the documents seen and the confirmed warnings, the totals line, the office\'s hour, the font embedded', async () => {
    const sheet = await print('register-sheet', { visitId: office.errorsVisitId });
    const text = pdfText(sheet.pdf);
    expect(text).toContain('四川省人力资源和社会保障厅');
    expect(text).toContain('印章使用登记表');
    expect(text).toContain('第 3 号办证：成都市人力资源和社会保障局');
    // The column, top to bottom: the entry's office time, then the totals line.
    expect(pdfColumn(sheet.pdf, '日期时间').join('')).toMatch(/^2026-11-2410:15合计/);
    expect(text).not.toContain('02:15');
    expect(pdfColumn(sheet.pdf, '备注').join('')).toContain('已查验：外语合格证复印件；序号31、42的警告经确认，理由：人员已调动，有调令');
    expect(pdfText(sheet.pdf, true)).toMatch(/合计.*证书\s+24\s/);
    // How many entries a total sums is a remark, not a unit.
    expect(pdfText(sheet.pdf, true)).toMatch(/共\s*1\s*条登记/);
    expect(pdfColumn(sheet.pdf, '备注').join('')).toMatch(/1条登记$/);
    expect(pdfColumn(sheet.pdf, '用章单位').join('')).not.toContain('次');
    expect(text.replace(/\s+/g, '')).toContain('第1页/共1页');
    expect(text).toContain('打印时间：2026-11-24 10:15');
    const fonts = pdfFonts(sheet.pdf);
    expect(fonts).toMatch(/\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(fonts).not.toMatch(/Helvetica|Times|Courier/);
  });

  it('印章使用登记表 of the day: the day\'s two entries, not the Thursday before, totalled per seal and document kind', async () => {
    const sheet = await print('register-sheet', { date: '2026-11-24' });
    expect(sheet.entryCount).toBe(2);
    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    expect(text).toContain('2026年11月24日');
    expect(text).toContain('四川华西集团有限公司');
    expect(text).not.toContain('2026-11-19');
    // 40 + 24 certificates under the one senior seal, in two entries.
    expect(pdfColumn(sheet.pdf, '日期时间').join('')).toMatch(/^2026-11-2409:302026-11-2410:15合计/);
    expect(pdfText(sheet.pdf, true)).toMatch(/合计.*证书\s+64\s/);
    expect(pdfText(sheet.pdf, true)).toMatch(/共\s*2\s*条登记/);
  });

  it('核验后的发证名册: every roster row with its verdict, the replacement as 补发 voiding its original, the counts and the signed-for lines', async () => {
    const sheet = await print('roster', { visitId: office.errorsVisitId });
    expect(sheet.rowCount).toBe(45);
    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    expect(text).toContain('补发，原证书编号51202501000017作废');
    expect(text).toContain('共45行：已签章24本（其中补发1本），退回21本。');
    expect(text).toContain('警告经确认：人员已调动，有调令');
    expect(text).toContain('不存在');
    expect(text).toContain('窗口经办人：王芳');
    expect(text).toContain('经办人签字：');
    expect(text.match(/退回/g)!.length).toBeGreaterThanOrEqual(21);
  });

  it('a sheet of several pages carries the office, the title and "page x of y" on every page, the QR on the last', async () => {
    const sheet = await print('roster', { visitId: office.errorsVisitId });
    const pages = pdfPageCount(sheet.pdf);
    expect(pages).toBeGreaterThan(1);
    for (let page = 1; page <= pages; page++) {
      const text = pdfText(sheet.pdf, false, page).replace(/\s+/g, '');
      expect(text.startsWith('四川省人力资源和社会保障厅核验后的发证名册')).toBe(true);
      expect(text).toContain(`第${page}页/共${pages}页`);
      expect(text.includes('核验本页')).toBe(page === pages);
    }
  });

  it('退回清单: the refused rows only, each with what to fix, for the unit\'s staff', async () => {
    const sheet = await print('returns', { visitId: office.errorsVisitId });
    expect(sheet.rowCount).toBe(21);
    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    expect(text).toContain('退回清单');
    expect(text).toContain('如何改正');
    expect(text).toContain('把身份证号码一列设为“文本”格式后重新输入完整号码');
    expect(text).toContain('共退回21本');
    expect(text).not.toContain('王娜蕾');
    // A row refused for several reasons reads as one sentence, its clauses parted by ；.
    expect(text).toMatch(/[^。]；/);
    expect(text).not.toMatch(/。；/);
  });

  it('回执: unit, agent, slip, counts per seal and document kind, the certificate-number ranges, time and clerk', async () => {
    const sheet = await print('receipt', { visitId: office.cleanVisitId });
    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    expect(text).toContain('签章回执');
    expect(text).toContain('用章单位：四川华西集团有限公司');
    expect(text).toContain('签章凭条：QZ2026-0006（凭条所列40本）');
    const layout = pdfText(sheet.pdf, true);
    expect(layout).toMatch(/高级职务资格证书专用章（钢印）\s+证书\s+40/);
    expect(layout).toMatch(/1\s+51202500000101\s+51202500000140\s+40/);
    expect(text).toContain('签章时间：2026-11-2409:30');
    expect(text).toContain('窗口经办人：王芳');
    expect(text).toMatch(/共签章40本（其中补发0本）/);
  });

  it('当日汇总: per seal, per unit, per clerk, the batches closed and the first and last register numbers', async () => {
    office.services.setNow(new Date('2026-11-24T17:30:00+08:00'));
    closeDay(office.services.ctx);
    const summary = await print('day-summary', { date: '2026-11-24' });
    const text = pdfText(summary.pdf).replace(/\s+/g, '');
    expect(text).toContain('当日汇总');
    expect(text).toContain('办证次数：2');
    expect(text).toContain('签章证书：64本');
    expect(text).toContain('退回：21本');
    expect(text).toContain('补发：1本');
    expect(text).toContain('登记序号：第2号至第3号');
    const layout = pdfText(summary.pdf, true);
    expect(layout).toMatch(/高级职务资格证书专用章（钢印）\s+证书\s+2\s+64/);
    expect(layout).toMatch(/成都市人力资源和社会保障局\s+1\s+24\s+21\s+1/);
    expect(layout).toMatch(/四川华西集团有限公司\s+1\s+40\s+0\s+0/);
    expect(layout).toMatch(/王芳\s+2\s+64\s+21\s+1/);
    expect(layout).toMatch(/第\s*1\s*批\s+第\s*1–3\s*号\s+3\s+2026-11-24 17:30/);
  });

  it('the agent signs on screen: a 签字 entry binds the drawing, the sheet shows it, and a drawing changed behind the app is found', async () => {
    const { entry } = await office.call('print.sign', { visitId: office.cleanVisitId, pngBase64: signaturePng() });
    expect(entry).toMatchObject({ kind: '签字', signMethod: '屏幕手写签字', visitId: office.cleanVisitId, remarks: '经办人李明在屏幕上签字，确认第 2 号登记' });
    await expect(office.call('print.sign', { visitId: office.cleanVisitId, pngBase64: signaturePng() })).rejects.toThrow('已在屏幕上签过字');
    await expect(office.call('print.sign', { visitId: office.errorsVisitId, pngBase64: PNG.sync.write(new PNG({ width: 50, height: 20 })).toString('base64') })).rejects.toThrow('签名板上没有签字');
    const sheet = await print('register-sheet', { visitId: office.cleanVisitId });
    const text = pdfText(sheet.pdf).replace(/\s+/g, '');
    expect(text).toContain('李明屏幕手写签字');
    // The QR and the signature drawn in two rows (the sealing and the 签字 entry).
    expect(imageCount(sheet.pdf)).toBeGreaterThanOrEqual(2);
    expect(verifyLiveRegister(office.services.ctx)).toMatchObject({ intact: true });

    const attacker = openAsAttacker(office.services.dbPath);
    const [record] = recordsOf(attacker, entry.seq);
    editRecord(attacker, record!.id, { pngBase64: signaturePng().replace(/A/g, 'B') });
    attacker.close();
    const report = verifyLiveRegister(office.services.ctx);
    expect(report).toMatchObject({ intact: false, firstBreak: { seq: entry.seq, problem: 'ledger' } });
  });
});
