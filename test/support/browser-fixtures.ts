/**
 * Fixtures for browser tests: a real signaling server, the built renderer
 * served on loopback, and a factory for softphones that are closed after.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { serveRenderer } from './renderer-server.ts';
import { launchSoftphone, type Softphone, type SoftphoneLaunch } from './softphone-harness.ts';
import { tutorialPageOrigin } from './tutorial-client.ts';

type OpenOptions = Partial<Omit<SoftphoneLaunch, 'browser' | 'rendererUrl'>> & { signInAs?: string };

interface Fixtures {
  signalingServer: SignalingServer;
  /** One local key file for all softphones of a test, as one OS user's app instances share one. */
  localKeyFile: string;
  openSoftphone: (options?: OpenOptions) => Promise<Softphone>;
}

interface WorkerFixtures {
  rendererUrl: string;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  rendererUrl: [
    async ({}, use) => {
      const server = await serveRenderer();
      await use(server.url);
      await server.close();
    },
    { scope: 'worker' },
  ],
  signalingServer: async ({}, use) => {
    // The app's sockets send no Origin; the tutorial's page does, so its origin is allowed as an operator would.
    const server = await startSignalingServer({ host: '127.0.0.1', port: 0, heartbeatIntervalMs: 1000, allowedOrigins: [await tutorialPageOrigin()] });
    await use(server);
    await server.close();
  },
  localKeyFile: async ({}, use) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'softphone-key-'));
    await use(path.join(dir, 'local-key'));
    await rm(dir, { recursive: true, force: true });
  },
  openSoftphone: async ({ browser, rendererUrl, signalingServer, localKeyFile }, use) => {
    const opened: Softphone[] = [];
    await use(async (options = {}) => {
      const { signInAs, ...launch } = options;
      const softphone = await launchSoftphone({ browser, rendererUrl, serverUrl: signalingServer.url, localKeyFile, ...launch });
      opened.push(softphone);
      if (signInAs) await signIn(softphone.page, signInAs);
      return softphone;
    });
    for (const softphone of opened) await softphone.close();
  },
});

export { expect };

/** Alice audio-calls Bob, Bob accepts, and both see the call connected. */
export async function connectAudioCall(alice: Softphone, bob: Softphone): Promise<void> {
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  for (const [me, peer] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    await expect(me.page.getByRole('status').filter({ hasText: `In call with ${peer}` })).toBeVisible();
  }
}

/** Opens Settings from the header, as a user does; resolves with the dialog once it shows. */
export async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

export async function signIn(page: Page, name: string): Promise<void> {
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Online as ${name}` })).toBeVisible();
}
