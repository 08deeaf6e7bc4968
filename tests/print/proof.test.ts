// The proof's times and the office's hour must not depend on the machine's zone.
process.env.TZ = 'UTC';

import { createHash, createPublicKey, verify } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHEET_INFO_KEY, sheetDocument } from '../../core/print/layout';
import { sheetCanonical, type PrintedSheet } from '../../core/print/sheet';
import { renderPdf } from '../../services/print/pdf';
import { buildSheet, printForm } from '../../services/print/print';
import { qrPngDataUrl } from '../../services/print/qr';
import { verifyPaper } from '../../services/print/verify';
import { editEntry, openAsAttacker } from '../../scripts/tamper/attacker';
import { scanOfLastPage } from './pdfTools';
import { sealedOffice } from './office';

type Office = Awaited<ReturnType<typeof sealedOffice>>;

/** A forger's PDF: the sheet as they typeset it, under a QR (and the info a verifier reads) taken from a genuine print. */
async function forgedPdf(shown: PrintedSheet, genuine: { sheet: PrintedSheet; proofText: string }): Promise<Buffer> {
  const doc = sheetDocument({ sheet: shown, qrPng: await qrPngDataUrl(genuine.proofText), images: {}, printedAt: '2026-11-24 10:20', createdAt: new Date('2026-11-24T10:20:00+08:00') });
  (doc.info as Record<string, unknown>)[SHEET_INFO_KEY] = sheetCanonical(genuine.sheet);
  return renderPdf(doc);
}

describe('the QR on a printed form proves it offline', () => {
  let office: Office;
  beforeAll(async () => { office = await sealedOffice(); }, 120_000);
  afterAll(() => office.services.close());

  it('carries the workstation, the entries, a digest of their stored bytes and an Ed25519 signature anyone can check with the published key', async () => {
    const { ctx } = office.services;
    const printed = await printForm(ctx, 'register-sheet', { visitId: office.errorsVisitId });
    const fields = new Map(printed.proof.text.split(' ').filter((token) => token.includes('=')).map((token) => [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)] as const));
    expect(printed.proof.text.startsWith(`SC-PRINT/1 ${ctx.workstation.id} register-sheet visit=${office.errorsVisitId} seq=3 `)).toBe(true);

    // The digest is recomputed here from the register's own column, not through the app's code.
    const db = new Database(office.services.dbPath, { readonly: true });
    const { canonical } = db.prepare('SELECT canonical FROM register_entries WHERE seq = 3').get() as { canonical: Buffer };
    db.close();
    expect(fields.get('entries')).toBe(createHash('sha256').update(canonical).update('\n').digest('base64url'));

    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(ctx.workstation.publicKey).toString('base64url') }, format: 'jwk' });
    const body = printed.proof.text.slice(0, printed.proof.text.lastIndexOf(' sig='));
    const signature = Buffer.from(fields.get('sig')!, 'base64url');
    expect(verify(null, Buffer.from(`seal-counter-print/1\n${body}`), key, signature)).toBe(true);
    expect(verify(null, Buffer.from(`seal-counter-print/1\n${body.replace('seq=3', 'seq=2')}`), key, signature)).toBe(false);
  });

  it('a scan of the page (pdftoppm at 150 dpi) is decoded and verified: which entries, unchanged, who sealed them', { timeout: 120_000 }, async () => {
    const printed = await printForm(office.services.ctx, 'roster', { visitId: office.errorsVisitId });
    const result = await verifyPaper(office.services.ctx, { kind: 'png', bytes: scanOfLastPage(printed.pdf), fileName: 'scan.png' });
    expect(result.verified).toBe(true);
    expect(result.sentence).toBe(`核验通过：这张核验后的发证名册（第 ${office.errorsVisitId} 号办证）由工作站 ${office.services.ctx.workstation.id}（四川省人力资源和社会保障厅）打印，第 3 号登记，由王芳签章。`);
    expect(result.details).toContain('这些登记在本登记簿中，与打印时一字不差。');
    expect(result.entries).toEqual([expect.objectContaining({ seq: 3, at: '2026-11-24T10:15:00+08:00', count: 24, unit: '成都市人力资源和社会保障局', clerk: '王芳' })]);
  });

  it('a PDF is checked word for word against what its QR proves', async () => {
    const printed = await printForm(office.services.ctx, 'day-summary', { date: '2026-11-24' });
    const result = await verifyPaper(office.services.ctx, { kind: 'pdf', bytes: printed.pdf, fileName: printed.fileName });
    expect(result).toMatchObject({ verified: true, form: '当日汇总' });
    expect(result.details).toContain('PDF 上印的每一项文字都与二维码证明的内容一致。');
  });

  it('a sheet whose printed count was changed is refused, saying which row and column', async () => {
    const { ctx } = office.services;
    const scope = { visitId: office.errorsVisitId };
    const printed = await printForm(ctx, 'register-sheet', scope);
    const { sheet } = buildSheet(ctx, 'register-sheet', scope, ctx.workstation.id);
    const altered = structuredClone(sheet);
    const table = altered.parts.find((p) => p.kind === 'table')!;
    if (table.kind !== 'table') throw new Error('the register sheet has a table');
    const countColumn = table.columns.findIndex((c) => c.title === '数量');
    expect(table.rows[0]!.cells[countColumn]).toBe('24');
    table.rows[0]!.cells[countColumn] = '42';

    const result = await verifyPaper(ctx, { kind: 'pdf', bytes: await forgedPdf(altered, { sheet, proofText: printed.proof.text }), fileName: '改过的登记表.pdf' });
    expect(result.verified).toBe(false);
    expect(result.sentence).toBe('不予认可：本页的第 3 号登记与二维码所证明的不符：“数量”一栏应为“24”，本页上是“42成都市人力资”。');
  });

  it('a QR copied onto another sheet is refused', async () => {
    const { ctx } = office.services;
    const errorsReceipt = await printForm(ctx, 'receipt', { visitId: office.errorsVisitId });
    const { sheet: cleanReceipt } = buildSheet(ctx, 'receipt', { visitId: office.cleanVisitId }, ctx.workstation.id);
    const { sheet: errorsSheet } = buildSheet(ctx, 'receipt', { visitId: office.errorsVisitId }, ctx.workstation.id);
    const result = await verifyPaper(ctx, { kind: 'pdf', bytes: await forgedPdf(cleanReceipt, { sheet: errorsSheet, proofText: errorsReceipt.proof.text }), fileName: '回执.pdf' });
    expect(result.verified).toBe(false);
    expect(result.sentence).toContain('二维码来自另一张纸');
  });

  it('a QR whose text was edited fails its signature, and a scanner\'s garbage is named as such', async () => {
    const printed = await printForm(office.services.ctx, 'receipt', { visitId: office.cleanVisitId });
    const edited = await office.call('print.verify', { text: printed.proof.text.replace(`visit=${office.cleanVisitId}`, `visit=${office.errorsVisitId}`) });
    expect(edited).toMatchObject({ verified: false, entries: [] });
    expect(edited.sentence).toContain('二维码的签名与工作站');
    const garbage = await office.call('print.verify', { text: 'http://example.com/x' });
    expect(garbage.sentence).toBe('这不是签章窗口打印件上的二维码：内容不以“SC-PRINT/1”开头。');
  });

  it('an entry changed in the register after printing makes the paper\'s proof fail (last: it breaks the register)', async () => {
    const printed = await printForm(office.services.ctx, 'register-sheet', { visitId: office.errorsVisitId });
    expect(await office.call('print.verify', { text: printed.proof.text })).toMatchObject({ verified: true });
    const attacker = openAsAttacker(office.services.dbPath);
    editEntry(attacker, 3, { count: 25 }, true);
    attacker.close();
    const result = await office.call('print.verify', { text: printed.proof.text });
    expect(result.verified).toBe(false);
    expect(result.sentence).toBe('不予认可：本登记簿中的第 3 号登记与打印这张印章使用登记表（第 3 号办证）时不同，登记簿在打印之后被改动过。');
  });
});
