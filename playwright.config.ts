import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts';

// Tests read logs only when something fails; keep the run readable.
process.env.SOFTPHONE_LOG_LEVEL ??= 'warn';

/**
 * One runner for the whole suite. Node-only tests (protocol, server, stores,
 * Electron glue against the stand-in) and browser tests (real renderer in
 * Debian Chromium) are separate projects so each can be run alone:
 *   npx playwright test --project=node
 */
export default defineConfig({
  testDir: 'test',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  reporter: [['list'], ['./test/support/summary-reporter.ts']],
  projects: [
    { name: 'node', testMatch: /[\\/]test[\\/](common|server|main|preload|ivr|sip-chain|packaging)[\\/].*\.spec\.ts$/ },
    {
      name: 'browser',
      testMatch: /[\\/]test[\\/](e2e|renderer)[\\/].*\.spec\.ts$/,
      use: { browserName: 'chromium', launchOptions: { executablePath: chromiumPath, args: chromiumArgs } },
    },
    { name: 'electron', testMatch: /[\\/]test[\\/]electron[\\/].*\.spec\.ts$/ },
  ],
});
