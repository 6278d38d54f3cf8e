/**
 * Two softphones call each other through a real signaling server: the real
 * renderer in Chromium, the real main-process core, real WebRTC on loopback.
 */
import { expect, test } from '../support/browser-fixtures.ts';
import { inboundTotals, peerConnectionStates, showsCameraPicture } from '../support/media-probes.ts';

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
    await expect.poll(() => showsCameraPicture(me.page, `Video from ${peer}`)).toBe(true);
    const first = await inboundTotals(me.page);
    await expect.poll(async () => (await inboundTotals(me.page)).audioBytes).toBeGreaterThan(first.audioBytes);
    await expect.poll(async () => (await inboundTotals(me.page)).videoBytes).toBeGreaterThan(first.videoBytes);
    expect((await inboundTotals(me.page)).framesDecoded).toBeGreaterThan(0);
  }
  const setup = await alice.page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    const started = at('softphone:call-started');
    return { connectedMs: Math.round(at('softphone:call-connected') - started), firstRemoteFrameMs: Math.round(at('softphone:first-remote-frame') - started) };
  });
  test.info().annotations.push({ type: 'call setup (click Call → connected, → first remote frame)', description: JSON.stringify(setup) });
  console.log(`call setup in this run: click Call → connected ${setup.connectedMs} ms, → first remote frame ${setup.firstRemoteFrameMs} ms`);
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

test('a third caller hears "busy" while Alice is in a call; the caller hanging up ends it for both', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const carol = await openSoftphone({ signInAs: 'Carol' });

  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();

  await carol.page.getByRole('button', { name: 'Call Alice', exact: true }).click();
  await expect(carol.page.getByRole('status').filter({ hasText: 'Alice is busy' })).toBeVisible();
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
  await expect(alice.page.getByRole('alertdialog')).toHaveCount(0);

  await alice.page.getByRole('button', { name: 'Mute' }).click();
  await expect(alice.page.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Alice hung up. Call ended' })).toBeVisible();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
});

test('camera off releases the camera and camera on brings the picture back, without renegotiating', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect.poll(() => showsCameraPicture(bob.page, 'Video from Alice')).toBe(true);

  const liveCameraTracks = () =>
    alice.page.evaluate(() =>
      (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
        .flatMap((pc) => pc.getSenders())
        .filter((s) => s.track?.kind === 'video' && s.track.readyState === 'live').length,
    );
  await alice.page.getByRole('button', { name: 'Camera off' }).click();
  await expect(alice.page.getByRole('button', { name: 'Camera on' })).toHaveAttribute('aria-pressed', 'true');
  expect(await liveCameraTracks()).toBe(0);
  await alice.page.getByRole('button', { name: 'Camera on' }).click();
  await expect.poll(liveCameraTracks).toBe(1);
  const before = await inboundTotals(bob.page);
  await expect.poll(async () => (await inboundTotals(bob.page)).framesDecoded).toBeGreaterThan(before.framesDecoded);
});
