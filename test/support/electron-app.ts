/**
 * The built app in a real Electron, for the tests in test/electron/: finds
 * Electron's binary, launches profiles of the app with Playwright's
 * `_electron`, and closes them and removes their throw-away profiles after
 * each test.
 *
 * Electron's binary is downloaded by the `electron` package on first use.
 * Where that is impossible (the project's build machines), every test that
 * uses `softphones` is skipped and says why; the Electron glue is still
 * covered there by test/main/electron/ and test/preload/ against a stand-in
 * of the `electron` module.
 */
import { _electron as electron, expect, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot, SoftphoneApi } from '../../common/ipc-contract.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The binary the `electron` package installed, if any. Since Electron 42
 * requiring the package downloads a missing binary; a test must never reach
 * the network, so only a binary already on disk counts (`npx install-electron`
 * or a first `npm start` fetches it on a machine that may).
 */
function findElectronBinary(): { path: string; missing: null } | { path: null; missing: string } {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, missing: `no Electron binary has been fetched (${pathFile} does not exist; \`npx install-electron\` fetches it)` };
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary, missing: null } : { path: null, missing: `${binary} does not exist` };
}

const electronBinary = findElectronBinary();

/** Arguments every start of the app gets here. */
function commonArgs(): string[] {
  return [
    // Chromium refuses to run its sandbox as root (containers, CI).
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
  ];
}

export interface RunningApp {
  app: ElectronApplication;
  page: Page;
  profile: string;
  userData: string;
}

export interface Softphones {
  /** Starts the app with a fresh profile named after `name` on the embedded server at `port`. */
  launch(name: string, port: number): Promise<RunningApp>;
  /**
   * Starts the app a second time with `running`'s profile and `extraArgs`, as
   * the OS does for a clicked link: it hands its command line to the running
   * instance and quits. Resolves with its exit code.
   */
  startAgain(running: RunningApp, extraArgs: string[]): Promise<number | null>;
}

export const test = base.extend<{ softphones: Softphones }>({
  softphones: async ({}, use, testInfo) => {
    if (electronBinary.path === null) {
      const reason = `No Electron binary on this machine (${electronBinary.missing}); this test runs where an Electron binary has been fetched`;
      // Reporters list a skip without its reason; say it where people look.
      console.log(`SKIPPED: ${reason}`);
      testInfo.skip(true, reason);
      return;
    }
    for (const built of ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html']) {
      expect(existsSync(path.join(repoRoot, built)), `${built} must be built first (npm run build)`).toBe(true);
    }
    const executablePath = electronBinary.path;
    const suffix = `${process.pid}-${Date.now()}`;
    const running: RunningApp[] = [];
    await use({
      async launch(name, port) {
        const profile = `e2e-${name}-${suffix}`;
        const app = await electron.launch({ executablePath, cwd: repoRoot, args: [repoRoot, '--profile', profile, '--port', String(port), ...commonArgs()] });
        const page = await app.firstWindow();
        const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
        const started = { app, page, profile, userData };
        running.push(started);
        return started;
      },
      startAgain({ profile }, extraArgs) {
        const second = spawn(executablePath, [repoRoot, '--profile', profile, ...commonArgs(), ...extraArgs], { cwd: repoRoot, stdio: 'ignore' });
        return new Promise((resolve, reject) => {
          second.once('error', reject);
          second.once('exit', (code) => resolve(code));
        });
      },
    });
    for (const { app, userData } of running.splice(0)) {
      await app.close();
      // Only the throw-away profiles this test created.
      await rm(userData, { recursive: true, force: true });
    }
  },
});

export { expect };

export function snapshotOf(page: Page): Promise<Snapshot> {
  return page.evaluate(() => (window as unknown as { softphone: SoftphoneApi }).softphone.getSnapshot());
}

export async function signIn({ page }: RunningApp, name: string): Promise<void> {
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect
    .poll(async () => {
      const { connection } = await snapshotOf(page);
      return { status: connection.status, signedInAs: connection.signedInAs };
    })
    .toEqual({ status: 'connected', signedInAs: name });
}

/** Waits until `running` sees `name` online. */
export async function seesOnline({ page }: RunningApp, name: string): Promise<void> {
  await expect.poll(async () => (await snapshotOf(page)).presence.online.includes(name)).toBe(true);
}
