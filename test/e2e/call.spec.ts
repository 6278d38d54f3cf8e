/**
 * Two softphones call each other through a real signaling server: the real
 * renderer in Chromium, the real main-process core, real WebRTC on loopback.
 */
import { expect, test } from '../support/browser-fixtures.ts';
import { inboundTotals, peerConnectionStates, videoSize } from '../support/media-probes.ts';

test('Alice video-calls Bob, Bob accepts, media flows both ways, Bob hangs up and it ends on both', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });

  await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: /Ringing Bob/ })).toBeVisible();

  const incoming = bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' });
  await expect(incoming).toBeVisible();
  await expect(incoming).toContainText('Video call');
  await expect(bob.page.locator('softphone-app')).toHaveAttribute('data-tone', 'ringtone');
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect(bob.page.locator('softphone-app')).not.toHaveAttribute('data-tone', /.+/);

  for (const [me, peer] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    await expect(me.page.getByRole('status').filter({ hasText: `In call with ${peer}` })).toBeVisible();
    await expect(me.page.getByRole('timer', { name: 'Call duration' })).toBeVisible();
    await expect.poll(() => videoSize(me.page, `Video from ${peer}`)).toEqual({ width: 640, height: 480 });
    const first = await inboundTotals(me.page);
    await expect.poll(async () => (await inboundTotals(me.page)).audioBytes).toBeGreaterThan(first.audioBytes);
    await expect.poll(async () => (await inboundTotals(me.page)).videoBytes).toBeGreaterThan(first.videoBytes);
    expect((await inboundTotals(me.page)).framesDecoded).toBeGreaterThan(0);
  }
  await expect(alice.page.getByRole('button', { name: 'Mute' })).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Camera off' })).toBeVisible();

  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Bob hung up. Call ended' })).toBeVisible();
  for (const me of [alice, bob]) {
    await expect(me.page.getByRole('button', { name: 'Hang up' })).toHaveCount(0);
    await expect.poll(() => peerConnectionStates(me.page)).toEqual(['closed']);
  }
});

test('Bob declines an audio call and Alice is told', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });

  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  const incoming = bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' });
  await expect(incoming).toContainText('Audio call');
  await expect(alice.page.locator('softphone-app')).toHaveAttribute('data-tone', 'ringback');
  await bob.page.getByRole('button', { name: 'Decline' }).click();

  await expect(alice.page.getByRole('status').filter({ hasText: 'Bob declined the call' })).toBeVisible();
  await expect(alice.page.locator('softphone-app')).not.toHaveAttribute('data-tone', /.+/);
  await expect(incoming).toHaveCount(0);
});
