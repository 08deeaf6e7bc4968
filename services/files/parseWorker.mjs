// Unbundled runs (the CLI, the loopback host, tests) start the TypeScript worker through tsx;
// the Electron build bundles parseWorker.ts to parseWorker.cjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./parseWorker.ts');
