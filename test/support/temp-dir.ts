/** Playwright's `test` with a `tempDir` fixture: a fresh folder per test, removed afterwards. */
import { test as base } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const test = base.extend<{ tempDir: string }>({
  // Playwright requires an object pattern here, even an empty one.
  tempDir: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'softphone-test-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
