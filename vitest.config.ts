import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // better-sqlite3 is a native module: separate processes keep each test file's handles apart.
    pool: 'forks',
    // Two at a time even on CI's two cores (vitest's own default there would be one): most files
    // spend their time waiting on processes of their own — the command line, PostgreSQL, hub nodes,
    // a crashing sealer — so a second file keeps the other core busy.
    maxWorkers: 2,
    testTimeout: 30_000,
    // The counter keeps China's local time; tests read times as a clerk in Sichuan would.
    env: { TZ: 'Asia/Shanghai' },
  },
});
