/**
 * Choosing, seeing and switching devices with Chromium's fake devices (three
 * microphones, one camera, three speakers), in two real softphones joined by
 * a real server. Fake devices cannot be unplugged, so a vanishing device is
 * simulated by hiding it from enumerateDevices and firing devicechange.
 */
import { chromium, type Page } from '@playwright/test';
import { connectAudioCall, expect, signIn, test, openSettings } from '../support/browser-fixtures.ts';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { captures, inboundTotals, recordCaptures } from '../support/media-probes.ts';
import { launchSoftphone } from '../support/softphone-harness.ts';

interface Listed {
  kind: MediaDeviceKind;
  label: string;
  deviceId: string;
}

const listDevices = (page: Page): Promise<Listed[]> =>
  page.evaluate(async () =>
    (await navigator.mediaDevices.enumerateDevices()).map(({ kind, label, deviceId }) => ({ kind, label, deviceId })),
  );

async function deviceId(page: Page, kind: MediaDeviceKind, label: string): Promise<string> {
  const found = (await listDevices(page)).find((d) => d.kind === kind && d.label === label);
  if (!found) throw new Error(`${label} is not listed`);
  return found.deviceId;
}

/** Test instrumentation: every capture getUserMedia hands out and every AudioContext made, to check what is live and where tones play. */
async function instrumentMedia(page: Page): Promise<void> {
  await recordCaptures(page);
  await page.evaluate(() => {
    const w = window as unknown as { __audioContexts: AudioContext[] };
    w.__audioContexts = [];
    const Original = window.AudioContext;
    window.AudioContext = class extends Original {
      constructor(...args: ConstructorParameters<typeof AudioContext>) {
        super(...args);
        w.__audioContexts.push(this);
      }
    } as typeof AudioContext;
  });
}

const liveTracks = async (page: Page) => (await captures(page)).live;

/** The label of the microphone track our newest peer connection sends. */
const sentMicrophone = (page: Page) =>
  page.evaluate(() => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const track = pcs[pcs.length - 1]?.getSenders().find((s) => s.track?.kind === 'audio')?.track;
    return track ? { label: track.label, enabled: track.enabled, live: track.readyState === 'live' } : null;
  });

const localSdp = (page: Page) =>
  page.evaluate(() => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    return pcs[pcs.length - 1]?.localDescription?.sdp ?? '';
  });

/** Hide (or show again) a device the way an unplugged (or replugged) one looks to the page. */
async function setUnplugged(page: Page, label: string | null): Promise<void> {
  await page.evaluate((hidden) => {
    const devices = navigator.mediaDevices as MediaDevices & { __enumerate?: MediaDevices['enumerateDevices'] };
    devices.__enumerate ??= devices.enumerateDevices.bind(devices);
    const enumerate = devices.__enumerate;
    devices.enumerateDevices = async () => (await enumerate()).filter((d) => d.label !== hidden);
    devices.dispatchEvent(new Event('devicechange'));
  }, label);
}


/** Inbound audio on the page keeps arriving from now on. */
async function expectAudioFlowing(page: Page): Promise<void> {
  const before = (await inboundTotals(page)).audioBytes;
  await expect.poll(async () => (await inboundTotals(page)).audioBytes).toBeGreaterThan(before);
}

const FIELDS = [
  { name: 'Microphone', kind: 'audioinput' },
  { name: 'Camera', kind: 'videoinput' },
  { name: 'Speaker', kind: 'audiooutput' },
  { name: 'Ringtone and keypad sound', kind: 'audiooutput' },
] as const;

test('the devices panel lists what enumerateDevices reports, previews the camera, meters the microphone, and lets go of both on close', async ({
  openSoftphone,
}) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  await instrumentMedia(page);
  const dialog = await openSettings(page);
  const listed = await listDevices(page);

  for (const { name, kind } of FIELDS) {
    const select = dialog.getByRole('combobox', { name, exact: true });
    const ofKind = listed.filter((d) => d.kind === kind);
    const defaultEntry = ofKind.find((d) => d.deviceId === 'default');
    const others = ofKind.filter((d) => d !== defaultEntry).map((d) => d.label);
    await expect(select.getByRole('option')).toHaveText([defaultEntry ? `System default (${defaultEntry.label})` : 'System default', ...others]);
    await expect(select).toHaveValue('');
  }
  expect(listed.filter((d) => d.kind === 'audioinput')).toHaveLength(3);
  expect(listed.filter((d) => d.kind === 'audiooutput')).toHaveLength(3);

  await expect
    .poll(() => dialog.getByLabel('Camera preview').evaluate((v: HTMLVideoElement) => ({ w: v.videoWidth, h: v.videoHeight })))
    .toEqual({ w: 640, h: 480 });
  // The fake microphone beeps once a second: look often enough to catch a beep.
  const meter = dialog.getByRole('meter', { name: 'Microphone level' });
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { intervals: [50] }).toBeGreaterThan(0);
  for (const label of ['Echo cancellation', 'Noise suppression', 'Automatic gain control']) {
    await expect(dialog.getByRole('checkbox', { name: label })).toBeChecked();
  }
  expect(await liveTracks(page)).toHaveLength(2);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect.poll(() => liveTracks(page)).toEqual([]);
});

test('the chosen speaker plays the call, the ringtone plays on its own device, and the speaker can change mid-call', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await instrumentMedia(bob.page);

  const dialog = await openSettings(bob.page);
  await dialog.getByRole('combobox', { name: 'Speaker', exact: true }).selectOption({ label: 'Fake Audio Output 2' });
  await dialog.getByRole('combobox', { name: 'Ringtone and keypad sound' }).selectOption({ label: 'Fake Audio Output 1' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect(bob.page.locator('softphone-app')).toHaveAttribute('data-tone', 'ringtone');
  const ringerId = await deviceId(bob.page, 'audiooutput', 'Fake Audio Output 1');
  expect(await bob.page.evaluate(() => (window as unknown as { __audioContexts: Array<{ sinkId: string }> }).__audioContexts.map((c) => c.sinkId))).toContain(
    ringerId,
  );

  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'In call with Alice' })).toBeVisible();
  const remoteAudioSink = () => bob.page.locator('call-view audio.remote').evaluate((a: HTMLAudioElement) => a.sinkId);
  await expect.poll(remoteAudioSink).toBe(await deviceId(bob.page, 'audiooutput', 'Fake Audio Output 2'));

  await bob.page.getByRole('button', { name: 'Devices' }).click();
  const devices = bob.page.getByRole('dialog', { name: 'Devices' });
  await devices.getByRole('combobox', { name: 'Speaker', exact: true }).selectOption({ label: 'Fake Audio Output 1' });
  await expect.poll(remoteAudioSink).toBe(ringerId);
  await devices.getByRole('combobox', { name: 'Speaker', exact: true }).selectOption({ index: 0 });
  await expect.poll(remoteAudioSink).toBe('');
  await expect(bob.page.getByRole('status').filter({ hasText: 'In call with Alice' })).toBeVisible();
});

test('switching the microphone mid-call replaces the sent track without renegotiating, keeps mute, and the far side keeps hearing', async ({
  openSoftphone,
}) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await connectAudioCall(alice, bob);
  await expectAudioFlowing(bob.page);
  expect((await sentMicrophone(alice.page))?.label).toBe('Fake Default Audio Input');
  const sdpBefore = await localSdp(alice.page);

  await alice.page.getByRole('button', { name: 'Devices' }).click();
  const devices = alice.page.getByRole('dialog', { name: 'Devices' });
  await devices.getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'Fake Audio Input 2' });
  await expect.poll(() => sentMicrophone(alice.page)).toEqual({ label: 'Fake Audio Input 2', enabled: true, live: true });
  await expectAudioFlowing(bob.page);
  // Not just packets: Bob hears sound (the fake microphone beeps once a second, so look often).
  await expect.poll(async () => (await inboundTotals(bob.page)).audioLevel, { intervals: [50] }).toBeGreaterThan(0.001);
  expect(await localSdp(alice.page)).toBe(sdpBefore);
  await devices.getByRole('button', { name: 'Close' }).click();

  await alice.page.getByRole('button', { name: 'Mute' }).click();
  await alice.page.getByRole('button', { name: 'Devices' }).click();
  await devices.getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'Fake Audio Input 1' });
  await expect.poll(() => sentMicrophone(alice.page)).toEqual({ label: 'Fake Audio Input 1', enabled: false, live: true });
  await devices.getByRole('button', { name: 'Close' }).click();
  await expect(alice.page.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');

  // Turning a processing switch reopens the microphone with the new constraint.
  await alice.page.getByRole('button', { name: 'Unmute' }).click();
  await alice.page.getByRole('button', { name: 'Devices' }).click();
  await devices.getByRole('checkbox', { name: 'Echo cancellation' }).uncheck();
  await expect
    .poll(() =>
      alice.page.evaluate(() => {
        const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
        return pcs[pcs.length - 1]?.getSenders().find((s) => s.track?.kind === 'audio')?.track?.getSettings().echoCancellation;
      }),
    )
    .toBe(false);
  await expectAudioFlowing(bob.page);
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
});

test('a processing switch the platform ignores is asked for once, not reopened over and over', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  // A platform whose microphones keep automatic gain on whatever is asked, and count the microphones opened.
  await alice.page.evaluate(() => {
    const w = window as unknown as { __audioOpens: number };
    w.__audioOpens = 0;
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      if (constraints?.audio) w.__audioOpens++;
      const stream = await getUserMedia(constraints);
      for (const track of stream.getAudioTracks()) {
        const settings = track.getSettings.bind(track);
        track.getSettings = () => ({ ...settings(), autoGainControl: true });
      }
      return stream;
    };
  });
  const audioOpens = () => alice.page.evaluate(() => (window as unknown as { __audioOpens: number }).__audioOpens);
  const sentTrackId = () =>
    alice.page.evaluate(() => {
      const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
      return pcs[pcs.length - 1]?.getSenders().find((s) => s.track?.kind === 'audio')?.track?.id;
    });
  await connectAudioCall(alice, bob);
  const callTrack = await sentTrackId();

  await alice.page.getByRole('button', { name: 'Devices' }).click();
  const devices = alice.page.getByRole('dialog', { name: 'Devices' });
  const meter = devices.getByRole('meter', { name: 'Microphone level' });
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { intervals: [50] }).toBeGreaterThan(0);
  const before = await audioOpens();
  await devices.getByRole('checkbox', { name: 'Automatic gain control' }).uncheck();
  // The call tried the new setting once (a new track on the sender)...
  await expect.poll(sentTrackId).not.toBe(callTrack);
  // ...and then stays put: the preview and the call each opened the microphone once, no more.
  await alice.page.waitForTimeout(3000);
  expect((await audioOpens()) - before).toBeLessThanOrEqual(2);
  const settled = await audioOpens();
  const switchedTrack = await sentTrackId();
  await alice.page.waitForTimeout(2000);
  expect(await audioOpens()).toBe(settled);
  expect(await sentTrackId()).toBe(switchedTrack);
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
  await expectAudioFlowing(bob.page);

  // Turning it back on is a change: the live track already has it, so nothing is reopened for the call.
  await devices.getByRole('checkbox', { name: 'Automatic gain control' }).check();
  await alice.page.waitForTimeout(1000);
  expect(await sentTrackId()).toBe(switchedTrack);
});

test('choices survive a restart of the app core, found again by label when the ids change', async ({ browser, rendererUrl, signalingServer }) => {
  // Each launch is a fresh browser context, and Chromium gives each context its own device ids, so the ids change as they can between launches.
  const launch = (userDataDir?: string) => launchSoftphone({ browser, rendererUrl, serverUrl: signalingServer.url, userDataDir });
  const first = await launch();
  let savedIds: Record<'microphone' | 'speaker' | 'ringer', string | undefined>;
  try {
    await signIn(first.page, 'Alice');
    const dialog = await openSettings(first.page);
    await dialog.getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'Fake Audio Input 2' });
    await dialog.getByRole('combobox', { name: 'Speaker', exact: true }).selectOption({ label: 'Fake Audio Output 1' });
    await dialog.getByRole('combobox', { name: 'Ringtone and keypad sound' }).selectOption({ label: 'Fake Audio Output 2' });
    await dialog.getByRole('checkbox', { name: 'Noise suppression' }).uncheck();
    // Main has saved them before the app goes away.
    const saved = async () => (await first.core.handlers.getSnapshot()).settings.devices;
    await expect.poll(async () => (await saved()).microphone?.label).toBe('Fake Audio Input 2');
    await expect.poll(async () => (await saved()).ringer?.label).toBe('Fake Audio Output 2');
    await expect.poll(async () => (await saved()).noiseSuppression).toBe(false);
    const devices = await saved();
    savedIds = { microphone: devices.microphone?.deviceId, speaker: devices.speaker?.deviceId, ringer: devices.ringer?.deviceId };
    expect(savedIds).toEqual({
      microphone: await deviceId(first.page, 'audioinput', 'Fake Audio Input 2'),
      speaker: await deviceId(first.page, 'audiooutput', 'Fake Audio Output 1'),
      ringer: await deviceId(first.page, 'audiooutput', 'Fake Audio Output 2'),
    });
  } finally {
    await first.close();
  }

  const second = await launch(first.userDataDir);
  try {
    await expect(second.page.getByRole('status').filter({ hasText: 'Online as Alice' })).toBeVisible();
    const dialog = await openSettings(second.page);
    // The saved ids are gone from this launch's list, so only the labels can have found the devices.
    const listedIds = (await listDevices(second.page)).map((d) => d.deviceId);
    for (const id of Object.values(savedIds)) expect(listedIds).not.toContain(id);
    const expected = [
      { name: 'Microphone', kind: 'audioinput', label: 'Fake Audio Input 2' },
      { name: 'Speaker', kind: 'audiooutput', label: 'Fake Audio Output 1' },
      { name: 'Ringtone and keypad sound', kind: 'audiooutput', label: 'Fake Audio Output 2' },
    ] as const;
    for (const { name, kind, label } of expected) {
      const select = dialog.getByRole('combobox', { name, exact: true });
      // What the user sees as the device in use, and that it is the device of that name in this launch.
      await expect(select.locator('option:checked')).toHaveText(label);
      await expect(select).toHaveValue(await deviceId(second.page, kind, label));
      // Found, so no "not found, using the system default" note.
      await expect(select).toHaveAccessibleDescription('');
    }
    await expect(dialog.getByRole('checkbox', { name: 'Noise suppression' })).not.toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: 'Echo cancellation' })).toBeChecked();
    await expect(dialog.getByText('was not found')).toHaveCount(0);
  } finally {
    await second.close();
  }
});

test('the microphone in use vanishing mid-call moves the call to the default microphone and says so; replugging it moves back', async ({
  openSoftphone,
}) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const dialog = await openSettings(alice.page);
  await dialog.getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'Fake Audio Input 2' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await connectAudioCall(alice, bob);
  await expect.poll(async () => (await sentMicrophone(alice.page))?.label).toBe('Fake Audio Input 2');

  await setUnplugged(alice.page, 'Fake Audio Input 2');
  const notices = alice.page.getByRole('log', { name: 'Notices' });
  await expect(notices).toContainText('Fake Audio Input 2 was disconnected. Using the system default microphone instead.');
  await expect.poll(async () => (await sentMicrophone(alice.page))?.label).toBe('Fake Default Audio Input');
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
  await expectAudioFlowing(bob.page);

  await alice.page.getByRole('button', { name: 'Devices' }).click();
  const devices = alice.page.getByRole('dialog', { name: 'Devices' });
  await expect(devices.getByRole('combobox', { name: 'Microphone' })).toHaveValue('');
  await expect(devices.getByText('Fake Audio Input 2 was not found; using the system default microphone.')).toBeVisible();
  await expect(devices.getByRole('combobox', { name: 'Microphone' }).getByRole('option')).toHaveText([
    'System default (Fake Default Audio Input)',
    'Fake Audio Input 1',
  ]);

  await setUnplugged(alice.page, null);
  await expect.poll(async () => (await sentMicrophone(alice.page))?.label).toBe('Fake Audio Input 2');
  await expect(devices.getByText('was not found')).toHaveCount(0);
  await expectAudioFlowing(bob.page);
});

test('a call without any microphone is refused with a clear message', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  await openSoftphone({ signInAs: 'Bob' });
  await alice.page.evaluate(() => {
    const devices = navigator.mediaDevices;
    const enumerate = devices.enumerateDevices.bind(devices);
    devices.enumerateDevices = async () => (await enumerate()).filter((d) => d.kind !== 'audioinput');
    devices.getUserMedia = async () => {
      throw new DOMException('Requested device not found', 'NotFoundError');
    };
    devices.dispatchEvent(new Event('devicechange'));
  });
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'No microphone was found. Connect one to make calls.' })).toBeVisible();
  const dialog = await openSettings(alice.page);
  await expect(dialog.getByRole('alert').filter({ hasText: 'No microphone was found' })).toBeVisible();
});

test('on a machine without a camera audio calls work both ways, and a video call says there is no camera', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  for (const { page } of [alice, bob]) {
    await page.evaluate(() => {
      const devices = navigator.mediaDevices;
      const enumerate = devices.enumerateDevices.bind(devices);
      const getUserMedia = devices.getUserMedia.bind(devices);
      devices.enumerateDevices = async () => (await enumerate()).filter((d) => d.kind !== 'videoinput');
      devices.getUserMedia = async (constraints) => {
        if (constraints?.video) throw new DOMException('Requested device not found', 'NotFoundError');
        return getUserMedia(constraints);
      };
      devices.dispatchEvent(new Event('devicechange'));
    });
  }

  await connectAudioCall(alice, bob);
  await expectAudioFlowing(alice.page);
  await expectAudioFlowing(bob.page);
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('button', { name: 'Close' }).click();

  await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'No camera was found. Make an audio call, or connect a camera.' })).toBeVisible();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toHaveCount(0);
});

/**
 * A person looks at this one: the panel in a real, headed window. `npm test`
 * provides the X display with xvfb-run on Linux (scripts/with-display.mjs).
 */
test('screenshot of the devices panel in a headed window', async ({ rendererUrl, signalingServer }, testInfo) => {
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    throw new Error('No X display for the headed screenshot: run `npm test` (it starts xvfb-run), or set DISPLAY. Install xvfb with apt.');
  }
  const headed = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: false });
  const softphone = await launchSoftphone({ browser: headed, rendererUrl, serverUrl: signalingServer.url });
  try {
    await signIn(softphone.page, 'Alice');
    const dialog = await openSettings(softphone.page);
    await dialog.getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'Fake Audio Input 1' });
    await expect.poll(() => dialog.getByLabel('Camera preview').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
    const meter = dialog.getByRole('meter', { name: 'Microphone level' });
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { intervals: [50] }).toBeGreaterThan(0);
    expect(await softphone.page.evaluate(() => navigator.userAgent)).not.toContain('Headless');
    // Kept in the test's output folder (test-results/…/devices-panel.png) and attached for reporters.
    const file = testInfo.outputPath('devices-panel.png');
    await softphone.page.screenshot({ path: file });
    await testInfo.attach('devices-panel', { path: file, contentType: 'image/png' });
  } finally {
    await softphone.close();
    await headed.close();
  }
});
