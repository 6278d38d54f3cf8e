/**
 * A call never changes hands. While Alice talks to Bob, an offer under Bob's
 * name from another server session (Bob's connection dropped and someone else
 * took the name) is a second call: refused as busy, shown as missed, never
 * answered. The same for a call with the MDN tutorial's client, which sends no
 * call ids: it is bound to the server session that called.
 */
import type { Page } from '@playwright/test';
import { connectAudioCall, expect, test } from '../support/browser-fixtures.ts';
import { inboundTotals } from '../support/media-probes.ts';
import type { Softphone } from '../support/softphone-harness.ts';
import { openTutorialClient, tutorialHangUp, tutorialInvite, tutorialState } from '../support/tutorial-client.ts';

const peerConnectionCount = (page: Page) =>
  page.evaluate(() => (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.length);

/** Alice still talks to `peer`: the status says so, nothing rings, and audio keeps arriving. */
async function expectStillInCallWith(alice: Softphone, peer: string): Promise<void> {
  await expect(alice.page.getByRole('status').filter({ hasText: `In call with ${peer}` })).toBeVisible();
  await expect(alice.page.getByRole('alertdialog')).toHaveCount(0);
  const before = (await inboundTotals(alice.page)).audioBytes;
  await expect.poll(async () => (await inboundTotals(alice.page)).audioBytes).toBeGreaterThan(before);
}

test('an offer without a call id under the name of Alice’s peer, from another session, is refused as busy and shown as missed', async ({
  openSoftphone,
  signalingServer,
}) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await connectAudioCall(alice, bob);
  expect(await peerConnectionCount(alice.page)).toBe(1);

  // Bob's signaling connection goes away (the call's media does not), and Mallory signs in under his name.
  await bob.core.stop();
  const mallory = await openTutorialClient(alice.context, signalingServer.url, 'Bob');
  expect((await tutorialState(mallory)).myUsername).toBe('Bob');
  await tutorialInvite(mallory, 'Alice');

  // Mallory is told Alice is busy, and gets no answer.
  await expect.poll(async () => (await tutorialState(mallory)).received.map((m) => m.type)).toContain('hang-up');
  const received = (await tutorialState(mallory)).received;
  expect(received.find((m) => m.type === 'hang-up')).toMatchObject({ name: 'Alice', target: 'Bob', reason: 'busy' });
  expect(received.map((m) => m.type)).not.toContain('video-answer');

  // Alice is still with the real Bob, made no second connection, and is told about the call she missed.
  await expectStillInCallWith(alice, 'Bob');
  expect(await peerConnectionCount(alice.page)).toBe(1);
  await expect(alice.page.getByRole('log', { name: 'Notices' })).toContainText(/Missed call from Bob at .+, from another connection than your call with Bob\. It was refused as busy\./);
});

test('a third caller during a call is shown to Alice as missed while busy', async ({ openSoftphone, signalingServer }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await connectAudioCall(alice, bob);

  const carol = await openTutorialClient(alice.context, signalingServer.url, 'Carol');
  await tutorialInvite(carol, 'Alice');
  await expect.poll(async () => (await tutorialState(carol)).received.find((m) => m.type === 'hang-up')?.reason).toBe('busy');

  await expectStillInCallWith(alice, 'Bob');
  const notices = alice.page.getByRole('log', { name: 'Notices' });
  await expect(notices).toContainText(/Missed call from Carol at .+ while you were in a call with Bob\. Carol was told you are busy\./);
  await notices.getByRole('button', { name: /^Dismiss: Missed call from Carol/ }).click();
  await expect(notices).not.toContainText('Missed call from Carol');
});

// The server stamps `sid` on routed messages: a client that sends no call ids is told apart by its session, not only its name.
test('a call with a tutorial client is bound to its session: the same name from another session cannot take it over', async ({
  openSoftphone,
  signalingServer,
}) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const naomi = await openTutorialClient(alice.context, signalingServer.url, 'Naomi');
  await tutorialInvite(naomi, 'Alice');
  await alice.page.getByRole('button', { name: 'Accept' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Naomi' })).toBeVisible();
  await expect.poll(async () => (await tutorialState(naomi)).peerConnection).toBe('connected');

  // Naomi's signaling socket closes (her call's media goes on), and Mallory signs in as "Naomi" and calls.
  await naomi.evaluate('connection.close()');
  const mallory = await openTutorialClient(alice.context, signalingServer.url, 'Naomi');
  expect((await tutorialState(mallory)).myUsername).toBe('Naomi');
  await tutorialInvite(mallory, 'Alice');

  await expect.poll(async () => (await tutorialState(mallory)).received.find((m) => m.type === 'hang-up')?.reason).toBe('busy');
  expect((await tutorialState(mallory)).received.map((m) => m.type)).not.toContain('video-answer');
  await expectStillInCallWith(alice, 'Naomi');
  expect(await peerConnectionCount(alice.page)).toBe(1);
  await expect(alice.page.getByRole('log', { name: 'Notices' })).toContainText('Missed call from Naomi');

  // Mallory's hang-up, target null like the tutorial's, does not end Alice's call either.
  // (Its Hang Up button is disabled again after the busy answer, so its hangUpCall() is run directly.)
  await mallory.evaluate('hangUpCall()');
  await expectStillInCallWith(alice, 'Naomi');
});

test('the tutorial client that called Alice hangs up with target null, and Alice’s call ends', async ({ openSoftphone, signalingServer }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const naomi = await openTutorialClient(alice.context, signalingServer.url, 'Naomi');
  await tutorialInvite(naomi, 'Alice');
  await alice.page.getByRole('button', { name: 'Accept' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Naomi' })).toBeVisible();
  await expect.poll(async () => (await tutorialState(naomi)).hangUpEnabled).toBe(true);

  await tutorialHangUp(naomi);
  expect((await tutorialState(naomi)).sent.filter((m) => m.type === 'hang-up')).toEqual([{ type: 'hang-up', name: 'Naomi', target: null }]);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Naomi hung up. Call ended' })).toBeVisible();
});
