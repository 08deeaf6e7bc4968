import type { PrintVerification } from '../../core/contract/print';
import { UserError } from '../../core/errors';
import { entriesDigestOf, parseProof, PRINT_FORM_TITLE, seqRangesLabel, sheetDigestOf, verifyProofSignature, type SignedPrintProof } from '../../core/print/proof';
import { compareSheetText, sheetCanonical, TRAINING_MARK, type PrintedSheet } from '../../core/print/sheet';
import { wallClockMinutes } from '../../core/time';
import type { ServiceContext } from '../context';
import { registerEntriesBetween } from '../register/entries';
import { loadSettings } from '../settings/settings';
import { knownKey } from './keys';
import { readPdf } from './pdfRead';
import { buildSheet } from './print';
import { decodePngQr } from './qr';
import { storedCanonicals } from './sources';

/** A paper to check: the text a scanner typed, a PDF, or a scanned picture of the page. */
export type PaperInput = { kind: 'text'; text: string } | { kind: 'pdf'; bytes: Uint8Array; fileName: string } | { kind: 'png'; bytes: Uint8Array; fileName: string };

/** Without a workstation database (an auditor's CLI with none), only keys passed in are known. */
export interface VerifierContext {
  ctx: ServiceContext | null;
}

const refused = (sentence: string, details: string[] = [], proof: SignedPrintProof | null = null): PrintVerification => ({
  verified: false, sentence, details, form: proof ? PRINT_FORM_TITLE[proof.form] : null, workstationId: proof?.workstationId ?? null, entries: [],
});

const scopeWords = (proof: SignedPrintProof) => ('visitId' in proof.scope ? `第 ${proof.scope.visitId} 号办证` : proof.scope.date);

function parsedSheet(json: string | null): PrintedSheet | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as PrintedSheet;
  } catch {
    return null;
  }
}

/**
 * Checks a paper: its QR's signature against the key of the workstation it names (this one, or
 * one the province published), its entries against this register, and — for a PDF — every piece
 * of its printed text against what the QR proves. Answers with one sentence; anything that does
 * not match is refused with a sentence saying what.
 */
export async function verifyPaper(ctx: ServiceContext | null, input: PaperInput): Promise<PrintVerification> {
  let proofText: string;
  let pageText: string | null = null;
  let embeddedSheet: PrintedSheet | null = null;
  try {
    if (input.kind === 'text') proofText = input.text;
    else if (input.kind === 'png') proofText = await decodePngQr(input.bytes, input.fileName);
    else {
      const reading = await readPdf(input.bytes, input.fileName);
      if (reading.qrText === null) return refused(`在“${input.fileName}”中找不到签章窗口打印件的二维码：请确认这是签章窗口打印的文件；纸质件可重新扫描（至少 150 dpi），或用二维码扫描枪读入二维码的文字再核验。`);
      proofText = reading.qrText;
      pageText = reading.text;
      embeddedSheet = parsedSheet(reading.sheetJson);
    }
  } catch (error) {
    if (error instanceof UserError) return refused(error.message);
    throw error;
  }
  let proof: SignedPrintProof;
  try {
    proof = parseProof(proofText);
  } catch (error) {
    if (error instanceof UserError) return refused(error.message);
    throw error;
  }
  const title = `${PRINT_FORM_TITLE[proof.form]}（${scopeWords(proof)}）`;
  const officeName = ctx ? loadSettings(ctx.db).officeName : '';
  const key = ctx ? knownKey(ctx, proof.workstationId, officeName) : null;
  if (!key) {
    return refused(`无法核验：本机不认识打印这张${title}的工作站 ${proof.workstationId}。`, ['其他工作站的公钥由省级中心发布，连接中心同步后即可核验；也可在打印它的工作站上核验。'], proof);
  }
  if (key.revokedAt !== null) return refused(`不予认可：打印这张${title}的工作站 ${proof.workstationId}（${key.officeName}）的密钥已于 ${wallClockMinutes(key.revokedAt)} 被省级中心吊销。`, [], proof);
  if (!verifyProofSignature(proof, key.publicKey)) {
    return refused(`不予认可：二维码的签名与工作站 ${proof.workstationId} 的公钥不符，二维码的内容被改动过，或不是该工作站打印的。`, [], proof);
  }
  const details = [`二维码由工作站 ${proof.workstationId}（${key.officeName}）签名，签名有效；它证明的是${seqRangesLabel(proof.seqs)}。`];

  let rebuilt: PrintedSheet | null = null;
  let entries: PrintVerification['entries'] = [];
  if (ctx && key.source === 'self') {
    const stored = storedCanonicals(ctx.db, proof.seqs);
    const missing = proof.seqs.filter((seq) => !stored.some((row) => row.seq === seq));
    if (missing.length > 0) return refused(`不予认可：本登记簿中没有这张${title}所示的${seqRangesLabel(missing)}。`, details, proof);
    if (entriesDigestOf(stored.map((row) => row.canonical)) !== proof.entriesDigest) {
      return refused(`不予认可：本登记簿中的${seqRangesLabel(proof.seqs)}与打印这张${title}时不同，登记簿在打印之后被改动过。`, [...details, '请审核人运行“校验登记簿”查明改动之处。'], proof);
    }
    details.push(`这些登记在本登记簿中，与打印时一字不差。`);
    entries = registerEntriesBetween(ctx.db, proof.seqs[0] ?? 1, proof.seqs[proof.seqs.length - 1] ?? 0)
      .filter((e) => proof.seqs.includes(e.seq))
      .map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, seal: e.kind === '签字' ? '' : `${e.sealName}（${e.sealKind}）`, documentKind: e.documentKind, count: e.count, unit: e.unit, clerk: e.clerk }));
    const built = buildSheet(ctx, proof.form, proof.scope, proof.workstationId, proof.seqs);
    if (sheetDigestOf(sheetCanonical(built.sheet)) === proof.sheetDigest) rebuilt = built.sheet;
    else details.push('注意：按本登记簿和办证记录现在的内容重新生成的这张表与打印时不同（打印后办证记录或单位设置有变化）。');
  }

  const sheet = embeddedSheet && sheetDigestOf(sheetCanonical(embeddedSheet)) === proof.sheetDigest ? embeddedSheet : rebuilt;
  if (pageText !== null) {
    if (!sheet) return refused(`不予认可：PDF 中记载的页面内容与二维码不符，无法确认这份 PDF 所印的就是二维码证明的${title}。`, details, proof);
    const mismatch = compareSheetText(sheet, pageText);
    if (mismatch) return refused(`不予认可：${mismatch}`, details, proof);
    details.push('PDF 上印的每一项文字都与二维码证明的内容一致。');
  } else if (!rebuilt) {
    details.push(ctx && key.source === 'self' ? '请对照纸面核对上面列出的内容。' : '本机没有该工作站的登记簿：签名证明这张纸由它打印，纸面内容请对照打印它的工作站或省级中心的记录。');
  }
  if (sheet?.training) details.push(`这是用培训数据打印的练习用纸（每页印有“${TRAINING_MARK}”），不是正式记录。`);
  const clerks = [...new Set(entries.map((e) => e.clerk).filter(Boolean))];
  return {
    verified: true,
    sentence: `核验通过：这张${title}由工作站 ${proof.workstationId}（${key.officeName}）打印，${seqRangesLabel(proof.seqs)}${clerks.length > 0 ? `，由${clerks.join('、')}签章` : ''}。`,
    details,
    form: PRINT_FORM_TITLE[proof.form],
    workstationId: proof.workstationId,
    entries,
  };
}
