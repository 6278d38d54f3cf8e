/**
 * What the browser benchmarks share: Chromium, the built renderer served on
 * loopback, a signaling server, and one softphone signed in as Alice.
 */
import { chromium } from '@playwright/test';
import { startSignalingServer } from '../server/signaling-server.ts';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.ts';
import { serveRenderer } from '../test/support/renderer-server.ts';
import { launchSoftphone, type Softphone } from '../test/support/softphone-harness.ts';

export interface BenchSoftphone {
  alice: Softphone;
  serverUrl: string;
  /** Closes the softphone, the servers and the browser, in that order. */
  close(): Promise<void>;
}

export async function startBenchSoftphone(): Promise<BenchSoftphone> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const renderer = await serveRenderer();
  const server = await startSignalingServer({ port: 0 });
  const alice = await launchSoftphone({ browser, rendererUrl: renderer.url, serverUrl: server.url });
  await alice.page.getByLabel('Display name').fill('Alice');
  await alice.page.getByRole('button', { name: 'Sign in' }).click();
  return {
    alice,
    serverUrl: server.url,
    async close() {
      await alice.close();
      await server.close();
      await renderer.close();
      await browser.close();
    },
  };
}
