import { parentPort } from 'node:worker_threads';
import { parseApprovedList } from '../../core/lists/approvedList';
import { parseRoster } from '../../core/verify/roster';
import { ImportError } from '../../core/files/sheet';
import { packRows } from './packRows';
import type { ParseRequest, ParseReply } from './untrustedFiles';

// Parses one untrusted file after another (the pool keeps this worker warm) and reports back
// each time; the parent bounds each parse's time and this worker's memory.
parentPort!.on('message', ({ id, request }: { id: number; request: ParseRequest }) => {
  let reply: ParseReply;
  try {
    const value = request.kind === 'approvedList'
      ? parseApprovedList(request.fileName, request.bytes, request.today, request.overrides)
      : parseRoster(request.fileName, request.bytes);
    const { rows, ...rest } = value;
    reply = { ok: true, value: rest, rows: packRows(rows) };
  } catch (error) {
    reply = error instanceof ImportError
      ? { ok: false, importError: error.message }
      : { ok: false, internal: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage({ id, reply }, reply.ok ? [reply.rows.kinds.buffer as ArrayBuffer, reply.rows.values.buffer as ArrayBuffer] : []);
});
