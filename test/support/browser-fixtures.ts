/**
 * Fixtures for browser tests: a real signaling server, the built renderer
 * served on loopback, and a factory for softphones that are closed after.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { serveRenderer } from './renderer-server.ts';
import { launchSoftphone, type Softphone, type SoftphoneLaunch } from './softphone-harness.ts';
import { tutorialPageOrigin } from './tutorial-client.ts';

type OpenOptions = Partial<Omit<SoftphoneLaunch, 'browser' | 'rendererUrl'>> & { signInAs?: string };

interface Fixtures {
  signalingServer: SignalingServer;
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
    // The server refuses web pages from origins it does not know; the tutorial client's page is one it knows.
    const server = await startSignalingServer({ host: '127.0.0.1', port: 0, heartbeatIntervalMs: 1000, allowedOrigins: [await tutorialPageOrigin()] });
    await use(server);
    await server.close();
  },
  openSoftphone: async ({ browser, rendererUrl, signalingServer }, use) => {
    const opened: Softphone[] = [];
    await use(async (options = {}) => {
      const { signInAs, ...launch } = options;
      const softphone = await launchSoftphone({ browser, rendererUrl, serverUrl: signalingServer.url, ...launch });
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

export async function signIn(page: Page, name: string): Promise<void> {
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Online as ${name}` })).toBeVisible();
}
