#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so the same sources serve the app, the CLI and the tests
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
