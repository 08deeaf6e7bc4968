// The linter is part of `npm test`: type-checked TypeScript rules, React's hook rules, no import
// cycles, and the layers of ../shared/ARCHITECTURE.md as rules, so that a wrong import fails the
// run with the reason instead of relying on everybody's care. tests/standards/layers.test.ts
// shows each layer rule failing on a deliberate violation.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Where each layer lives. Order matters: a file is the first element whose pattern it matches. */
const ELEMENTS = [
  { type: 'contract', pattern: 'core/contract/**', partialMatch: false },
  { type: 'domain', pattern: 'core/**', partialMatch: false },
  { type: 'store', pattern: 'db/**', partialMatch: false },
  // Reading an untrusted file in a bounded worker serves the workstation and the hub alike.
  { type: 'file-reading', pattern: 'services/files/**', partialMatch: false },
  { type: 'services', pattern: 'services/**', partialMatch: false },
  { type: 'host', pattern: ['server/**', 'electron/**'], partialMatch: false },
  { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
  { type: 'hub', pattern: 'hub/**', partialMatch: false },
  { type: 'cli', pattern: ['cli/**', 'bin/**'], partialMatch: false },
  { type: 'test-support', pattern: 'tests/**', partialMatch: false },
  { type: 'scripts', pattern: 'scripts/**', partialMatch: false },
];

const HOST_MESSAGE = 'A host only opens the services, validates and dispatches (services/open.ts, dispatch.ts, startup.ts, paths.ts): the use cases live in services/.';

/**
 * Who may import whom. Each layer names what it may use; anything else is refused with the
 * layer's reason (external packages are the business of no-restricted-imports below).
 */
const LAYERS = [
  ['domain', ['domain'], 'core/ is the pure domain: it imports only core/ itself (no contract, store, services, hosts, hub or tests).'],
  ['contract', ['contract', 'domain'], 'The contract is built from the domain only.'],
  ['store', ['store', 'domain'], 'db/ opens and migrates the database; it knows the domain, not the services.'],
  ['services', ['services', 'file-reading', 'contract', 'domain', 'store'], 'Services use the domain, the contract and the store; never a host, the renderer, the hub or a test helper.'],
  ['file-reading', ['file-reading', 'domain'], 'The bounded file reader serves the workstation and the hub alike: it uses the domain’s readers only.'],
  ['host', ['host', 'services', 'domain'], HOST_MESSAGE],
  ['renderer', ['renderer', 'contract'], 'The renderer talks to the backend only through the contract (core/contract): it imports its own files and the contract, nothing else.'],
  ['hub', ['hub', 'domain', 'store', 'file-reading', 'cli'], 'The hub is its own server: it shares the domain (and the bounded file reader), never the workstation services.'],
  ['cli', ['cli', 'services', 'file-reading', 'domain', 'contract', 'hub', 'store'], 'The command line uses the services and the hub’s commands; never a host, the renderer or a test helper.'],
  ['scripts', ['scripts', 'services', 'file-reading', 'domain', 'contract', 'store', 'hub', 'host'], 'Scripts (bench, builds) may use product code, never a test helper.'],
  ['test-support', ['test-support', 'services', 'file-reading', 'domain', 'contract', 'store', 'hub', 'cli', 'host', 'scripts'], 'Tests reach the product through its services, hosts, hub, command line and scripts; the renderer is driven in a real browser by Playwright.'],
];
const LAYER_POLICIES = [
  ...LAYERS.map(([from, allowed, message]) => ({
    from: { element: { type: from } },
    disallow: { to: { element: { types: { noneOf: allowed } } } },
    message: `${message} (boundaries: a file of the {{ from.element.type }} layer may not import {{ to.element.type }} code: {{ to.file.path }})`,
  })),
  {
    from: { element: { type: 'host' } },
    disallow: { to: { element: { type: 'services' }, file: { categories: 'use-case' } } },
    message: `${HOST_MESSAGE} (boundaries: a host may not import {{ to.file.path }})`,
  },
];

const NODE_BUILTINS_BUT_CRYPTO = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'http', 'https', 'net', 'url', 'util', 'stream', 'zlib', 'module', 'process', 'events', 'readline', 'timers', 'dns', 'tls', 'cluster', 'v8', 'vm']
  .flatMap((name) => [name, `node:${name}`, `${name}/*`, `node:${name}/*`]);

export default tseslint.config(
  {
    ignores: [
      'dist/**', 'node_modules/**', 'bench-data/**', 'test-results/**', 'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', '*.config.ts', 'bin/*.mjs', 'scripts/*.mjs', 'services/files/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Chinese text is set with the ideographic space (U+3000) on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true }],
    },
  },
  // Plain JavaScript (build and start scripts) has no types to check against.
  { files: ['**/*.{js,mjs}'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Two of the React Compiler's readiness rules flag patterns this renderer uses on purpose and
      // that are correct without the compiler (which it does not use): loading data in an effect
      // (call, then setState), and keeping the latest handler in a ref for a window listener.
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': ELEMENTS,
      // What a host may call: open the services, start their background work, dispatch a call, find the data file.
      'boundaries/files': [
        { category: 'host-entry', pattern: 'services/{dispatch,open,paths,startup}.ts' },
        { category: 'use-case', pattern: ['services/*/**', 'services/{context,handlers}.ts'] },
      ],
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      // eslint-plugin-boundaries resolves imports through eslint-plugin-import's setting name.
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies: LAYER_POLICIES }],
      'import-x/no-duplicates': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringContaining …) are typed `any` by
      // design; everything else in the tests is typed like product code.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_BUILTINS_BUT_CRYPTO, message: 'core/ is the pure domain: no file system, network, processes or threads (only node:crypto, for hashing and signatures).' },
          { group: ['better-sqlite3', 'pg', 'electron', 'react', 'react-dom', 'antd'], message: 'core/ is the pure domain: no database, Electron or UI.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'better-sqlite3', 'electron', 'pdfmake', 'pdfmake/*'], message: 'The renderer runs sandboxed in a browser page: no Node, SQLite or Electron; the backend does that work behind the contract.' },
        ],
      }],
    },
  },
);
