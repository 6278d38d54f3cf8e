/**
 * Calls through NAT: the signaling server hands every signed-in client
 * time-limited TURN credentials for a real coturn, and with "Only connect
 * calls through a relay" both sides' media goes through it.
 */
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { connectAudioCall, expect, signIn, test, openSettings } from '../support/browser-fixtures.ts';
import { startCoturn, type CoturnServer } from '../support/coturn-server.ts';
import { selectedCandidatePair } from '../support/ice-probes.ts';
import { inboundTotals } from '../support/media-probes.ts';
import type { Page } from '@playwright/test';

let coturn: CoturnServer;
let server: SignalingServer;

test.beforeEach(async () => {
  coturn = await startCoturn();
  server = await startSignalingServer({
    host: '127.0.0.1',
    port: 0,
    ice: { turnUrls: [coturn.url], turnSecret: coturn.secret, turnTtlSeconds: 3600 },
  });
});

test.afterEach(async () => {
  await server?.close();
  await coturn?.stop();
});

async function relayOnly(page: Page): Promise<void> {
  const dialog = await openSettings(page);
  const network = dialog.getByRole('region', { name: 'Network' });
  // The signaling server's TURN server counts: no "no TURN server is known" warning.
  await network.getByRole('checkbox', { name: 'Only connect calls through a relay (TURN)' }).check();
  await expect(network.getByRole('note')).toHaveCount(0);
  await network.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(network.getByRole('status')).toHaveText('Saved. The next call uses these settings.');
  await dialog.getByRole('button', { name: 'Close' }).click();
}

test('two softphones call through coturn with relay-only ICE: the selected pair is relay on both sides and audio flows', async ({
  openSoftphone,
}) => {
  const alice = await openSoftphone({ serverUrl: server.url });
  const bob = await openSoftphone({ serverUrl: server.url });
  await signIn(alice.page, 'Alice');
  await signIn(bob.page, 'Bob');
  await relayOnly(alice.page);
  await relayOnly(bob.page);

  await connectAudioCall(alice, bob);
  for (const me of [alice, bob]) {
    await expect.poll(() => selectedCandidatePair(me.page), { message: coturn.log() }).toEqual({ local: 'relay', remote: 'relay' });
    await expect.poll(async () => (await inboundTotals(me.page)).audioBytes).toBeGreaterThan(0);
  }
});
