import { parentPort } from 'node:worker_threads';
import { CheckFailed, checkCandidate, type CopyCheckReply, type CopyCheckRequest } from './copyCheck';

// Checks one copy after another, as the backups come (one at a time), and answers each.
parentPort!.on('message', ({ path, workstation }: CopyCheckRequest) => {
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
});
