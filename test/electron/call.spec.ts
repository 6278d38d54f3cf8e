/**
 * The real, built app in a real Electron: two instances (two profiles) open
 * their windows, sign in through the UI, and see each other online.
 *
 * It needs Electron's binary, which the `electron` package downloads on first
 * use. Where that is impossible (the project's build machines), it is skipped
 * and says why; the Electron glue is still covered there by
 * test/main/electron/main.spec.ts and test/preload/preload.spec.ts against a
 * stand-in of the `electron` module.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../support/free-port.ts';
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

interface RunningApp {
  app: ElectronApplication;
  page: Page;
  userData: string;
}

async function launchProfile(profile: string, port: number): Promise<RunningApp> {
  const app = await electron.launch({
    executablePath: electronBinary.path!,
    cwd: repoRoot,
    args: [
      repoRoot,
      '--profile',
      profile,
      '--port',
      String(port),
      // Chromium refuses to run its sandbox as root (containers, CI).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
  const page = await app.firstWindow();
  const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
  return { app, page, userData };
}

function snapshotOf(page: Page): Promise<Snapshot> {
  return page.evaluate(() => (window as unknown as { softphone: SoftphoneApi }).softphone.getSnapshot());
}

async function signIn({ page }: RunningApp, name: string): Promise<void> {
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect
    .poll(async () => {
      const { connection } = await snapshotOf(page);
      return { status: connection.status, signedInAs: connection.signedInAs };
    })
    .toEqual({ status: 'connected', signedInAs: name });
}

test.describe('two softphones in Electron', () => {
  const skipReason = `No Electron binary on this machine (${electronBinary.missing}); this test runs where an Electron binary has been fetched`;
  test.beforeEach(() => {
    if (electronBinary.path !== null) return;
    // Reporters list a skip without its reason; say it where people look.
    console.log(`SKIPPED: ${skipReason}`);
    test.skip(true, skipReason);
  });

  const running: RunningApp[] = [];
  test.afterEach(async () => {
    for (const { app, userData } of running.splice(0)) {
      await app.close();
      // Only the throw-away profiles this test created.
      await rm(userData, { recursive: true, force: true });
    }
  });

  test('open their windows, sign in and see each other online', async () => {
    for (const built of ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html']) {
      expect(existsSync(`${repoRoot}/${built}`), `${built} must be built first (npm run build)`).toBe(true);
    }
    const port = await freePort();
    const suffix = `${process.pid}-${Date.now()}`;
    const alice = await launchProfile(`e2e-alice-${suffix}`, port);
    running.push(alice);
    const bob = await launchProfile(`e2e-bob-${suffix}`, port);
    running.push(bob);

    for (const { page } of [alice, bob]) {
      await expect(page).toHaveTitle('Softphone');
      // The page got the contract and nothing of Node.
      expect(await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
      expect(await page.evaluate(() => Object.keys((window as unknown as { softphone: object }).softphone).sort())).toContain(
        'signIn',
      );
    }
    expect(alice.userData).not.toBe(bob.userData);

    await signIn(alice, 'Alice');
    await signIn(bob, 'Bob');

    await expect
      .poll(async () => (await snapshotOf(alice.page)).presence.online.includes('Bob'))
      .toBe(true);
    await expect
      .poll(async () => (await snapshotOf(bob.page)).presence.online.includes('Alice'))
      .toBe(true);
  });
});
