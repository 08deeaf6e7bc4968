import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { workstationIdOf } from '../register/batch';
import { signEd25519, verifyEd25519 } from '../register/signing';
import { PRINT_FORMS, type PrintForm, type PrintScope } from './forms';

/**
 * The proof a printed form carries in its QR code, so that a paper can be checked offline: which
 * workstation printed it, which form of what, which register entries it shows, a digest of those
 * entries' canonical bytes as the register stores them, a digest of everything the form prints,
 * and the workstation's Ed25519 signature over all of that.
 *
 * Modelled on C2SP's signed-note (a text body, then a signature by a named key), made to survive a
 * 2D scanner that types what it reads into whatever field has the focus: one line of printable
 * ASCII, no newline (a scanner types it as Enter), nothing an input method would compose. The key
 * is named by the workstation id, which is itself the hash of the public key (workstationIdOf), so
 * a key learned from anywhere can be checked against the name before it is used.
 *
 *   SC-PRINT/1 WS-0123456789AB register-sheet visit=12 seq=12-14 entries=… sheet=… sig=…
 */
export const PROOF_FORMAT = 'SC-PRINT/1';

/** The signed bytes carry a purpose of their own, so a print signature can never pass for an entry's, a tip's or a batch's. */
const SIGNING_PURPOSE = 'seal-counter-print/1\n';

export { PRINT_FORMS, PRINT_FORM_TITLE, type PrintForm, type PrintScope } from './forms';

export interface PrintProof {
  workstationId: string;
  form: PrintForm;
  scope: PrintScope;
  /** The register entries the form shows, ascending; none for a form printed before anything was sealed. */
  seqs: number[];
  /** SHA-256 (base64url) of those entries' canonical bytes: entriesDigestOf. */
  entriesDigest: string;
  /** SHA-256 (base64url) of everything the form prints: sheetDigestOf. */
  sheetDigest: string;
}

export interface SignedPrintProof extends PrintProof {
  signature: string;
  /** The proof as printed in the QR code. */
  text: string;
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * The digest of entries as stored: each entry's canonical bytes followed by a newline, in sequence
 * order. Canonical JSON never holds a raw newline, so the joined text cannot be read two ways.
 */
export function entriesDigestOf(canonicals: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const canonical of canonicals) hash.update(canonical).update('\n');
  return hash.digest('base64url');
}

export function sheetDigestOf(sheetCanonical: string): string {
  return createHash('sha256').update(sheetCanonical, 'utf8').digest('base64url');
}

/** 12-14,20 for 12, 13, 14, 20; `none` for no entries. */
export function seqRangesText(seqs: readonly number[]): string {
  if (seqs.length === 0) return 'none';
  const parts: string[] = [];
  let first = seqs[0]!;
  let last = first;
  for (const seq of seqs.slice(1)) {
    if (seq === last + 1) {
      last = seq;
      continue;
    }
    parts.push(first === last ? `${first}` : `${first}-${last}`);
    first = last = seq;
  }
  parts.push(first === last ? `${first}` : `${first}-${last}`);
  return parts.join(',');
}

/** The same numbers as a clerk reads them: 第 12–14、20 号. */
export function seqRangesLabel(seqs: readonly number[]): string {
  return seqs.length === 0 ? '无登记' : `第 ${seqRangesText(seqs).replace(/-/g, '–').replace(/,/g, '、')} 号登记`;
}

/** A form covers at most one day's register; more than this in a QR is not one of ours. */
const MAX_SEQS = 1_000_000;

function parseSeqRanges(text: string): number[] | null {
  if (text === 'none') return [];
  const seqs: number[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d{1,9})(?:-(\d{1,9}))?$/.exec(part);
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first < 1 || last < first || (seqs.length > 0 && first <= seqs[seqs.length - 1]!) || seqs.length + (last - first) > MAX_SEQS) return null;
    for (let seq = first; seq <= last; seq++) seqs.push(seq);
  }
  return seqs;
}

function scopeText(scope: PrintScope): string {
  return 'visitId' in scope ? `visit=${scope.visitId}` : `date=${scope.date}`;
}

/** What the proof says, without its signature: the signed text. */
export function proofBody(proof: PrintProof): string {
  return [PROOF_FORMAT, proof.workstationId, proof.form, scopeText(proof.scope), `seq=${seqRangesText(proof.seqs)}`, `entries=${proof.entriesDigest}`, `sheet=${proof.sheetDigest}`].join(' ');
}

function signedMessage(body: string): Buffer {
  return Buffer.from(SIGNING_PURPOSE + body, 'utf8');
}

export function signProof(proof: PrintProof, sign: (message: Uint8Array) => Uint8Array): SignedPrintProof {
  const body = proofBody(proof);
  const signature = base64url(sign(signedMessage(body)));
  return { ...proof, signature, text: `${body} sig=${signature}` };
}

/** For tests and tools that hold a raw key. */
export function signProofWithSeed(proof: PrintProof, seed: Uint8Array): SignedPrintProof {
  return signProof(proof, (message) => signEd25519(seed, message));
}

const DIGEST = /^[A-Za-z0-9_-]{43}$/;

/**
 * Reads a proof as a scanner typed it or as it was decoded from a picture. Anything that is not
 * one is refused with a sentence saying what is wrong with it; whether it is genuine is
 * verifyProofSignature's question.
 */
export function parseProof(input: string): SignedPrintProof {
  // A scanner may add Enter or Tab, and an input method may widen the spaces.
  const text = input.replace(/[\u3000\t\r\n]+/g, ' ').trim();
  const start = text.indexOf(PROOF_FORMAT);
  if (start === -1) throw new UserError('这不是签章窗口打印件上的二维码：内容不以“SC-PRINT/1”开头。');
  const tokens = text.slice(start).split(/ +/);
  if (tokens.length !== 8) throw new UserError(`二维码内容不完整或多出了内容：应有 8 段，读到 ${tokens.length} 段。请重新扫描。`);
  const [, workstationId, form, scope, seq, entries, sheet, sig] = tokens as [string, string, string, string, string, string, string, string];
  if (!/^WS-[0-9A-F]{12}$/.test(workstationId)) throw new UserError(`二维码中的工作站编号“${workstationId}”格式不对。`);
  if (!(PRINT_FORMS as readonly string[]).includes(form)) throw new UserError(`二维码中的表单“${form}”不是签章窗口打印的表单。`);
  const visit = /^visit=(\d{1,9})$/.exec(scope);
  const date = /^date=(\d{4}-\d{2}-\d{2})$/.exec(scope);
  if (!visit && !date) throw new UserError(`二维码中的范围“${scope}”格式不对（应为 visit=办证号 或 date=日期）。`);
  const seqs = seq.startsWith('seq=') ? parseSeqRanges(seq.slice(4)) : null;
  if (seqs === null) throw new UserError(`二维码中的登记序号“${seq}”格式不对。`);
  if (!entries.startsWith('entries=') || !DIGEST.test(entries.slice(8))) throw new UserError('二维码中的登记摘要（entries）格式不对。');
  if (!sheet.startsWith('sheet=') || !DIGEST.test(sheet.slice(6))) throw new UserError('二维码中的页面摘要（sheet）格式不对。');
  if (!sig.startsWith('sig=') || !/^[A-Za-z0-9_-]{86}$/.test(sig.slice(4))) throw new UserError('二维码中的签名（sig）格式不对，可能没有扫描完整。');
  return {
    workstationId,
    form: form as PrintForm,
    scope: visit ? { visitId: Number(visit[1]) } : { date: date![1]! },
    seqs,
    entriesDigest: entries.slice(8),
    sheetDigest: sheet.slice(6),
    signature: sig.slice(4),
    text: tokens.join(' '),
  };
}

/**
 * Whether `publicKey` is the key the proof names and signed exactly this proof. A key whose hash is
 * not the named workstation id is never used, wherever it was learned.
 */
export function verifyProofSignature(proof: SignedPrintProof, publicKey: Uint8Array): boolean {
  if (workstationIdOf(publicKey) !== proof.workstationId) return false;
  return verifyEd25519(publicKey, signedMessage(proofBody(proof)), new Uint8Array(Buffer.from(proof.signature, 'base64url')));
}
