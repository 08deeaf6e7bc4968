import { parentPort } from 'node:worker_threads';
import { parseApprovedList } from '../../core/lists/approvedList';
import { parseRoster } from '../../core/verify/roster';
import { ImportError } from '../../core/files/sheet';
import type { ParseRequest, ParseReply } from './untrustedFiles';

// Runs one parse of an untrusted file and reports back; the parent bounds its time and memory.
parentPort!.once('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    const value = request.kind === 'approvedList'
      ? parseApprovedList(request.fileName, request.bytes, request.today, request.overrides)
      : parseRoster(request.fileName, request.bytes);
    reply = { ok: true, value };
  } catch (error) {
    reply = error instanceof ImportError
      ? { ok: false, importError: error.message }
      : { ok: false, internal: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(reply);
});
