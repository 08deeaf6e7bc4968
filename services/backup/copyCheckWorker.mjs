// Unbundled runs (the CLI, the loopback host, tests) start the TypeScript worker through tsx;
// the Electron build bundles copyCheckWorker.ts to copyCheckWorker.cjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./copyCheckWorker.ts');
