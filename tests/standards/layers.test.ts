import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/services';

/**
 * The layers of ../shared/ARCHITECTURE.md are lint rules (eslint.config.js). Each case below
 * writes a file that breaks one of them into the tree, as a careless change would, and expects
 * `npm test`'s linter to refuse it with the rule and its reason.
 */
const SCRATCH = '__lint_scratch';
const written: string[] = [];

function scratch(relativePath: string, text: string): string {
  const path = join(REPO_DIR, relativePath);
  writeFileSync(path, text);
  written.push(path);
  return path;
}

afterAll(() => {
  for (const path of written) rmSync(path, { force: true });
});

async function findings(files: string[]): Promise<{ file: string; rule: string | null; message: string }[]> {
  // The layer rules need no type information; leaving the type-checked rules out spares building
  // the whole program for a few scratch files.
  const eslint = new ESLint({ cwd: REPO_DIR, overrideConfig: tseslint.configs.disableTypeChecked });
  const results = await eslint.lintFiles(files);
  return results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath.slice(REPO_DIR.length), rule: m.ruleId, message: m.message })));
}

describe('the layers, enforced by the linter', () => {
  it('refuses each kind of wrong import with the rule that forbids it and why', async () => {
    const files = [
      scratch(`core/verify/${SCRATCH}_domain.ts`, "import { readFileSync } from 'node:fs';\nimport { openServices } from '../../services/open';\nexport const leak = [readFileSync, openServices];\n"),
      scratch(`renderer/src/${SCRATCH}_renderer.ts`, "import { openDatabase } from '../../db/database';\nexport const leak = openDatabase;\n"),
      scratch(`server/${SCRATCH}_host.ts`, "import { sealVisit } from '../services/visits/visits';\nexport const leak = sealVisit;\n"),
      scratch(`hub/${SCRATCH}_hub.ts`, "import { closeDay } from '../services/register/batches';\nexport const leak = closeDay;\n"),
      scratch(`services/${SCRATCH}_services.ts`, "import { freshServices } from '../tests/support/services';\nexport const leak = freshServices;\n"),
      scratch(`core/verify/${SCRATCH}_cycleA.ts`, `import { b } from './${SCRATCH}_cycleB';\nexport const a = (): number => b() + 1;\n`),
      scratch(`core/verify/${SCRATCH}_cycleB.ts`, `import { a } from './${SCRATCH}_cycleA';\nexport const b = (): number => a() - 1;\n`),
    ];
    const found = await findings(files);
    const said = (file: string, rule: string, text: RegExp) => expect(found).toContainEqual({ file: expect.stringContaining(file), rule, message: expect.stringMatching(text) });

    said('_domain.ts', 'no-restricted-imports', /core\/ is the pure domain: no file system/);
    said('_domain.ts', 'boundaries/dependencies', /core\/ is the pure domain.*may not import services code: services\/open\.ts/);
    said('_renderer.ts', 'boundaries/dependencies', /renderer talks to the backend only through the contract.*db\/database\.ts/);
    said('_host.ts', 'boundaries/dependencies', /A host only opens the services, validates and dispatches.*services\/visits\/visits\.ts/);
    said('_hub.ts', 'boundaries/dependencies', /never the workstation services.*services\/register\/batches\.ts/);
    said('_services.ts', 'boundaries/dependencies', /never a host, the renderer, the hub or a test helper.*tests\/support\/services\.ts/);
    said('_cycleA.ts', 'import-x/no-cycle', /cycle/i);
  }, 120_000);
});
