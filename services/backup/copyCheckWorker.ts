import { parentPort, workerData } from 'node:worker_threads';
import { CheckFailed, checkCandidate, type CopyCheckReply, type CopyCheckRequest } from './copyCheck';

// One check, then the thread ends: a backup is made at most once an hour.
const { path, workstation } = workerData as CopyCheckRequest;
let reply: CopyCheckReply;
try {
  reply = { ok: true, report: checkCandidate(path, { workstation }) };
} catch (error) {
  const code = (error as { code?: unknown }).code;
  reply = error instanceof CheckFailed
    ? { ok: false, failed: error.message }
    : { ok: false, message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : null };
}
parentPort!.postMessage(reply);
