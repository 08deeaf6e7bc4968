import { recordsHash, signBatch, workstationIdOf, type BatchPayload } from '../../core/register/batch';
import { attachmentsDigestOf, recordCanonical, type AttachedRecord } from '../../core/register/records';
import { GENESIS_HASH, registerEntryHash, type HashedRegisterEntry, type RegisterEntry } from '../../core/register/entries';
import { generateEd25519KeyPair, type Ed25519KeyPair } from '../../core/register/signing';
import { officeTimestamp } from '../../core/time';

/**
 * A workstation of the load test: its own key and its own hash-chained register, a counter day
 * at a time, in the real batch format (core/register/batch.ts). It remembers only the head of its
 * chain and its last batch, so two hundred of them with a year each fit in memory.
 */
export class SimulatedWorkstation {
  readonly keys: Ed25519KeyPair = generateEd25519KeyPair();
  readonly id = workstationIdOf(this.keys.publicKey);
  seq = 0;
  lastHash = GENESIS_HASH;
  batchNo = 0;
  entries = 0;
  private certificateNo = 0;

  constructor(readonly index: number, readonly officeName: string, private readonly random: () => number) {}

  /** The key file hub-enroll takes. */
  keyFile(exportedAt: string): { workstationId: string; publicKey: Uint8Array; officeName: string; exportedAt: string } {
    return { workstationId: this.id, publicKey: this.keys.publicKey, officeName: this.officeName, exportedAt };
  }

  /** Closes a counter day of `count` entries into a signed batch. */
  closeDay(day: number, count: number): BatchPayload {
    const firstSeq = this.seq + 1;
    const prevHash = this.lastHash;
    const at = officeTimestamp(new Date(Date.UTC(2026, 0, 1, 1) + day * 86_400_000));
    const entries: HashedRegisterEntry[] = [];
    const records: AttachedRecord[] = [];
    for (let i = 0; i < count; i++) {
      const seq = this.seq + 1;
      const unit = `第${this.index}单位`;
      // About a third of the entries seal a certificate, bound into the entry as a ledger record.
      const attached: string[] = [];
      if (this.random() < 0.33) {
        const n = ++this.certificateNo;
        attached.push(recordCanonical({
          kind: 'certificate', certNo: `L${String(this.index).padStart(3, '0')}-${String(n).padStart(6, '0')}`, idNumber: `51${String(this.index).padStart(4, '0')}19900101${String(n % 10_000).padStart(4, '0')}`,
          name: `持证人${n}`, qualification: '中级会计师', approvalDoc: '川人社办发〔2025〕1号', unit, visitId: day, sealedAt: at, reissue: false, replacesCertNo: null,
        }));
      }
      const entry: RegisterEntry = {
        seq: ++this.seq, at, kind: '签章', correctsSeq: null, sealId: 'exam-steel', sealName: '职称考试证书专用章', sealKind: '钢印',
        documentKind: '证书', count: 1, unit, agentName: '经办人', agentPhone: '028-00000000', slipNo: '',
        purpose: `第 ${day} 天签章`, clerk: '窗口', clerkAccount: `clerk${this.index}`, approver: '', signMethod: '现场签字', remarks: '',
        visitId: day, attachmentsDigest: attachmentsDigestOf(attached), prevHash: this.lastHash,
      };
      const hashed = { ...entry, hash: registerEntryHash(entry) };
      this.lastHash = hashed.hash;
      entries.push(hashed);
      for (const canonical of attached) records.push({ entrySeq: seq, canonical });
    }
    this.entries += count;
    const batch = signBatch({
      workstationId: this.id, batchNo: ++this.batchNo, firstSeq, lastSeq: this.seq, entryCount: count,
      prevHash, lastHash: this.lastHash, recordsHash: recordsHash(records), createdAt: at,
    }, this.keys.privateKey);
    return { batch, entries, records };
  }
}

/** A small deterministic generator (xorshift32), so that a run can be repeated. */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return x / 4_294_967_296;
  };
}
