import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { verifyEd25519 } from '../../core/register/signing';
import { WITNESS_FORMAT, witnessCanonical, type RegisterTip, type RegisterWitness } from '../../core/register/tip';
import { registerWitnessPathFor } from '../paths';
import type { WorkstationIdentity } from './workstationKey';

export type WitnessState =
  | { kind: 'ok'; witness: RegisterWitness }
  | { kind: 'absent'; path: string }
  | { kind: 'invalid'; path: string; message: string };

const WitnessFileSchema = z.strictObject({
  format: z.literal(WITNESS_FORMAT),
  workstationId: z.string(),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  lastBatchNo: z.number().int().min(0),
  hubBatchNo: z.number().int().min(0),
  writtenAt: z.string(),
  signature: z.string(),
});

/** The witness beside the database at `dbPath`, checked against the workstation's key. */
export function readWitness(dbPath: string, workstation: Pick<WorkstationIdentity, 'id' | 'publicKey'>): WitnessState {
  const path = registerWitnessPathFor(dbPath);
  if (!existsSync(path)) return { kind: 'absent', path };
  let file: z.infer<typeof WitnessFileSchema>;
  try {
    file = WitnessFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return { kind: 'invalid', path, message: '工作站的登记见证文件已损坏或被改写。' };
  }
  const { format: _format, signature, ...witness } = file;
  if (witness.workstationId !== workstation.id || !verifyEd25519(workstation.publicKey, witnessCanonical(witness), Buffer.from(signature, 'base64'))) {
    return { kind: 'invalid', path, message: '工作站的登记见证文件的签名无效：它不是本工作站写下的，或被改动过。' };
  }
  return { kind: 'ok', witness };
}

/**
 * Writes the witness for the register as it now stands (after a commit: a witness may lag the
 * register after a crash, never lead it). What the hub holds only grows (`hubBatchNo`), except
 * when an administrator restores an older backup ('restored'): then the hub is what remembers.
 * Written to a temporary file and renamed, so a crash leaves the old witness or the new one.
 */
export function writeWitness(dbPath: string, workstation: WorkstationIdentity, tip: RegisterTip, writtenAt: string, hubBatchNo?: number | 'restored'): void {
  const previous = readWitness(dbPath, workstation);
  const known = hubBatchNo === 'restored' ? 0 : previous.kind === 'ok' ? previous.witness.hubBatchNo : 0;
  const witness: RegisterWitness = {
    workstationId: workstation.id, seq: tip.seq, hash: tip.hash, lastBatchNo: tip.lastBatchNo,
    hubBatchNo: hubBatchNo === 'restored' ? 0 : Math.max(known, hubBatchNo ?? 0), writtenAt,
  };
  const signature = Buffer.from(workstation.sign(witnessCanonical(witness))).toString('base64');
  const path = registerWitnessPathFor(dbPath);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ format: WITNESS_FORMAT, ...witness, signature }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}
