/**
 * A client written to the MDN tutorial's protocol, unchanged, calls the
 * softphone and is called by it, through our server.
 */
import { expect, test } from '../support/browser-fixtures.ts';
import { inboundTotals, showsCameraPicture } from '../support/media-probes.ts';
import { openTutorialClient, tutorialState } from '../support/tutorial-client.ts';

test('a tutorial client calls the softphone; Alice accepts, sees its video, and hangs up', async ({ openSoftphone, signalingServer }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const tutorial = await openTutorialClient(alice.context, signalingServer.url, 'Naomi');
  await expect(alice.page.locator('li[data-contact="Naomi"]')).toContainText('online');

  await tutorial.evaluate(() => (window as unknown as { tutorial: { invite(who: string): Promise<void> } }).tutorial.invite('Alice'));
  const incoming = alice.page.getByRole('alertdialog', { name: 'Incoming call from Naomi' });
  await expect(incoming).toContainText('Video call');
  await alice.page.getByRole('button', { name: 'Accept' }).click();

  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Naomi' })).toBeVisible();
  await expect.poll(() => showsCameraPicture(alice.page, 'Video from Naomi')).toBe(true);
  await expect.poll(async () => (await inboundTotals(alice.page)).audioBytes).toBeGreaterThan(0);
  await expect.poll(async () => (await tutorialState(tutorial)).remoteVideoWidth).toBeGreaterThan(0);

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect.poll(async () => (await tutorialState(tutorial)).hangUpsReceived).toBe(1);
  expect((await tutorialState(tutorial)).pcState).toBe('closed');
});

test('the softphone calls a tutorial client, which answers; the tutorial client hangs up', async ({ openSoftphone, signalingServer }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const tutorial = await openTutorialClient(alice.context, signalingServer.url, 'Priya');

  await alice.page.getByRole('button', { name: 'Video call Priya' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Priya' })).toBeVisible();
  await expect.poll(() => showsCameraPicture(alice.page, 'Video from Priya')).toBe(true);
  await expect.poll(async () => (await tutorialState(tutorial)).pcState).toBe('connected');

  await tutorial.evaluate(() => (window as unknown as { tutorial: { hangUp(): void } }).tutorial.hangUp());
  await expect(alice.page.getByRole('status').filter({ hasText: 'Priya hung up. Call ended' })).toBeVisible();
});
