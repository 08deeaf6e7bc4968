import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // better-sqlite3 is a native module: separate processes keep each test file's handles apart.
    pool: 'forks',
    testTimeout: 30_000,
    // The counter keeps China's local time; tests read times as a clerk in Sichuan would.
    env: { TZ: 'Asia/Shanghai' },
  },
});
