import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import type { Request, Response } from '../../core/contract';
import { UserError } from '../../core/errors';
import { seqRangesLabel } from '../../core/print/proof';
import { SCREEN_SIGNATURE_CAPTION } from '../../core/print/registerSheet';
import { recordsOfKind } from '../../core/register/records';
import type { ServiceContext } from '../context';
import { appendRegisterEntries, entryView, recordsBetween, registerEntriesOf } from '../register/entries';
import { writeToRegister } from '../register/integrity';

/** Large enough for a signature pad at twice the screen's resolution, small enough for a ledger record. */
const MAX_SIGNATURE_BYTES = 80_000;
const MAX_SIDE = 2400;

/** A drawing that is a real PNG of sensible size with ink on it; an empty pad is no signature. */
function checkedSignature(pngBase64: string): Buffer {
  const bytes = Buffer.from(pngBase64, 'base64');
  if (bytes.length > MAX_SIGNATURE_BYTES) throw new UserError(`签名图片过大（${Math.round(bytes.length / 1024)} KB），请清除后重新签字。`);
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch {
    throw new UserError('签名图片无法识别，请清除后重新签字。');
  }
  if (png.width > MAX_SIDE || png.height > MAX_SIDE) throw new UserError('签名图片尺寸异常，请清除后重新签字。');
  let ink = 0;
  for (let i = 3; i < png.data.length; i += 4) if (png.data[i]! > 128 && png.data[i - 1]! < 160) ink++;
  if (ink < 30) throw new UserError('签名板上没有签字，请经办人签字后再确认。');
  // Re-encoded: what is kept is exactly the pixels that were checked, with nothing else riding along.
  return PNG.sync.write(png);
}

/**
 * The agent signs on screen for what the visit sealed: a 签字 entry that names those entries and
 * brings the drawing as its record, so the image is in the register's hashed content. Signing on
 * paper stays the default; this is for a pen tablet, a touch screen or a mouse.
 */
export function signOnScreen(ctx: ServiceContext, request: Request<'print.sign'>): Response<'print.sign'> {
  const png = checkedSignature(request.pngBase64);
  const clerk = ctx.session.requireAccount();
  return writeToRegister(ctx, '签字', () => {
    const entries = registerEntriesOf(ctx.db, { visitId: request.visitId });
    const sealing = entries.filter((e) => e.kind === '签章');
    if (sealing.length === 0) throw new UserError(`第 ${request.visitId} 号办证还没有签章登记，经办人无从签字。`);
    const signed = recordsOfKind(recordsBetween(ctx.db, entries[0]!.seq, entries[entries.length - 1]!.seq), 'agent-signature').filter((s) => s.visitId === request.visitId);
    if (signed.length > 0) throw new UserError(`第 ${request.visitId} 号办证的经办人已在屏幕上签过字（第 ${signed[0]!.entrySeq} 号登记），不能重复签字。`);
    const first = sealing[0]!;
    const signs = sealing.map((e) => e.seq);
    const at = ctx.clock.timestamp();
    const [entry] = appendRegisterEntries(ctx, [{
      at,
      kind: '签字',
      correctsSeq: null,
      sealId: '',
      sealName: '',
      sealKind: '',
      documentKind: '',
      count: 0,
      unit: first.unit,
      agentName: first.agentName,
      agentPhone: first.agentPhone,
      slipNo: first.slipNo,
      purpose: `经办人签字确认第 ${request.visitId} 号办证的签章`,
      clerk: clerk.displayName,
      clerkAccount: clerk.username,
      approver: '',
      signMethod: SCREEN_SIGNATURE_CAPTION,
      remarks: `经办人${first.agentName}在屏幕上签字，确认${seqRangesLabel(signs)}`,
      visitId: request.visitId,
      records: [{ kind: 'agent-signature', visitId: request.visitId, signs, agentName: first.agentName, signedAt: at, pngBase64: png.toString('base64'), pngSha256: createHash('sha256').update(png).digest('hex') }],
    }]);
    return { entry: entryView(entry!) };
  });
}
