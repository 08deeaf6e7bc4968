import { defineConfig } from '@playwright/test';

// Debian's chromium, never a downloaded browser. Root (as on CI here) needs --no-sandbox; the
// networking flags keep it from dialling out on a machine with no network.
// The host the tests spawn keeps China's local time, as a counter in Sichuan does.
process.env.TZ = 'Asia/Shanghai';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  // Two at a time: each test has its own host, data file and browser, and much of a test is waiting.
  workers: 2,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.SEAL_COUNTER_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
});
