/**
 * The MDN tutorial's own client, unchanged, calls the softphone and is called
 * by it, through our server.
 */
import { expect, test } from '../support/browser-fixtures.ts';
import { inboundTotals, showsCameraPicture } from '../support/media-probes.ts';
import { openTutorialClient, tutorialHangUp, tutorialInvite, tutorialState } from '../support/tutorial-client.ts';

test('a tutorial client calls the softphone; Alice accepts, sees its video, and hangs up', async ({ openSoftphone, signalingServer }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const tutorial = await openTutorialClient(alice.context, signalingServer.url, 'Naomi');
  await expect(alice.page.locator('[data-contact="Naomi"]')).toContainText('online');

  await tutorialInvite(tutorial, 'Alice');
  const incoming = alice.page.getByRole('alertdialog', { name: 'Incoming call from Naomi' });
  await expect(incoming).toContainText('Video call');
  await alice.page.getByRole('button', { name: 'Accept' }).click();

  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Naomi' })).toBeVisible();
  await expect.poll(() => showsCameraPicture(alice.page, 'Video from Naomi')).toBe(true);
  await expect.poll(async () => (await inboundTotals(alice.page)).audioBytes).toBeGreaterThan(0);
  await expect.poll(async () => (await tutorialState(tutorial)).remoteVideoWidth).toBeGreaterThan(0);
  // What the tutorial put on the wire: no call ids, candidates without a name.
  const { sent } = await tutorialState(tutorial);
  expect(sent.find((m) => m.type === 'video-offer')).toEqual({ type: 'video-offer', name: 'Naomi', target: 'Alice' });
  expect(sent.filter((m) => m.type === 'new-ice-candidate').every((m) => m.name === undefined && m.target === 'Alice')).toBe(true);

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect.poll(async () => (await tutorialState(tutorial)).received.filter((m) => m.type === 'hang-up').length).toBe(1);
  expect((await tutorialState(tutorial)).peerConnection).toBeNull();
});

test('the softphone calls a tutorial client, which answers; the tutorial client hangs up with target null and the call ends', async ({ openSoftphone, signalingServer }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const tutorial = await openTutorialClient(alice.context, signalingServer.url, 'Priya');

  await alice.page.getByRole('button', { name: 'Video call Priya' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Priya' })).toBeVisible();
  await expect.poll(() => showsCameraPicture(alice.page, 'Video from Priya')).toBe(true);
  await expect.poll(async () => (await tutorialState(tutorial)).peerConnection).toBe('connected');
  expect((await tutorialState(tutorial)).sent.find((m) => m.type === 'video-answer')).toEqual({ type: 'video-answer', name: 'Priya', target: 'Alice' });

  await tutorialHangUp(tutorial);
  // Its hangUpCall() forgot the peer before sending: the server must still bring it to Alice.
  expect((await tutorialState(tutorial)).sent.filter((m) => m.type === 'hang-up')).toEqual([{ type: 'hang-up', name: 'Priya', target: null }]);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Priya hung up. Call ended' })).toBeVisible();
});
