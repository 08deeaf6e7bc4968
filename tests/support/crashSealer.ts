/**
 * The process tests/register/crash.test.ts kills: it seals every open visit in the database, one after
 * another, and says "sealed <id>" only once sealVisit has returned (its transaction committed).
 * stdout to a pipe is synchronous on Linux, so what the parent read was confirmed before the kill.
 */
import { openServices } from '../../services/open';
import { sealVisit } from '../../services/visits/visits';
import { signInForTests } from './services';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: crashSealer.ts DB_PATH');
const services = openServices(dbPath, () => new Date('2026-11-24T09:30:00+08:00'));
signInForTests(services);
const open = services.ctx.db.prepare('SELECT id FROM visits WHERE sealed_at IS NULL ORDER BY id').pluck().all() as number[];
process.stdout.write(`ready ${open.length}\n`);
for (const visitId of open) {
  sealVisit(services.ctx, visitId);
  process.stdout.write(`sealed ${visitId}\n`);
}
services.close();
process.stdout.write('done\n');
