/**
 * How long call setup takes as a user sees it, against the floor set by two
 * bare RTCPeerConnections in one page (no signaling, no IPC, no UI).
 *
 *   npm run bench:call [-- --runs N]
 *
 * Softphone: Alice clicks "Video call Bob", Bob's Accept is clicked as soon as
 * it shows; times are from Alice's click to her peer connection being
 * `connected` and to the first decoded frame of Bob's video on her screen.
 */
import { chromium, type Page } from '@playwright/test';
import { parseArgs } from 'node:util';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.ts';
import { CALL_MARKS } from '../renderer/call/call-engine.ts';
import { startSignalingServer } from '../server/signaling-server.ts';
import { serveRenderer } from '../test/support/renderer-server.ts';
import { launchSoftphone } from '../test/support/softphone-harness.ts';
import { percentile } from './stats.ts';

process.env.SOFTPHONE_LOG_LEVEL ??= 'warn';
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

interface Sample {
  connectedMs: number;
  firstFrameMs: number;
}

async function markDelta(page: Page, to: string): Promise<number> {
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, to, { timeout: 20_000 });
  return page.evaluate(
    ([from, until]) => performance.getEntriesByName(until)[0]!.startTime - performance.getEntriesByName(from)[0]!.startTime,
    [CALL_MARKS.started, to] as const,
  );
}

async function softphoneSamples(): Promise<Sample[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const renderer = await serveRenderer();
  const server = await startSignalingServer({ port: 0 });
  const samples: Sample[] = [];
  try {
    const alice = await launchSoftphone({ browser, rendererUrl: renderer.url, serverUrl: server.url });
    const bob = await launchSoftphone({ browser, rendererUrl: renderer.url, serverUrl: server.url });
    for (const [phone, name] of [
      [alice, 'Alice'],
      [bob, 'Bob'],
    ] as const) {
      await phone.page.getByLabel('Display name').fill(name);
      await phone.page.getByRole('button', { name: 'Sign in' }).click();
    }
    for (let run = 0; run < runs; run++) {
      await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
      await bob.page.getByRole('button', { name: 'Accept' }).click();
      samples.push({
        connectedMs: await markDelta(alice.page, CALL_MARKS.connected),
        firstFrameMs: await markDelta(alice.page, CALL_MARKS.firstRemoteFrame),
      });
      await alice.page.getByRole('button', { name: 'Hang up' }).click();
      await alice.page.getByRole('button', { name: 'Close' }).click();
      await bob.page.getByRole('button', { name: 'Close' }).click();
    }
    await alice.close();
    await bob.close();
  } finally {
    await server.close();
    await renderer.close();
    await browser.close();
  }
  return samples;
}

/** Two peer connections in one page, candidates handed over directly. */
async function barePeerConnectionSamples(): Promise<Sample[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const renderer = await serveRenderer();
  const samples: Sample[] = [];
  try {
    const page = await browser.newPage();
    // An http://127.0.0.1 origin, as getUserMedia requires; the app itself is not used.
    await page.goto(renderer.url);
    for (let run = 0; run < runs; run++) {
      samples.push(
        await page.evaluate(async () => {
          const start = performance.now();
          const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
          const caller = new RTCPeerConnection({ iceServers: [] });
          const callee = new RTCPeerConnection({ iceServers: [] });
          caller.onicecandidate = (e) => e.candidate && callee.addIceCandidate(e.candidate);
          callee.onicecandidate = (e) => e.candidate && caller.addIceCandidate(e.candidate);
          const answerMedia = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
          media.getTracks().forEach((t) => caller.addTrack(t, media));
          answerMedia.getTracks().forEach((t) => callee.addTrack(t, answerMedia));
          const connected = new Promise<number>((resolve) =>
            caller.addEventListener('connectionstatechange', () => caller.connectionState === 'connected' && resolve(performance.now())),
          );
          const firstFrame = new Promise<number>((resolve) => {
            caller.ontrack = (e) => {
              if (e.track.kind !== 'video') return;
              const video = document.createElement('video');
              video.muted = true;
              video.srcObject = e.streams[0]!;
              document.body.append(video);
              void video.play();
              video.requestVideoFrameCallback((now) => resolve(now));
            };
          });
          await caller.setLocalDescription();
          await callee.setRemoteDescription(caller.localDescription!);
          await callee.setLocalDescription();
          await caller.setRemoteDescription(callee.localDescription!);
          const result = { connectedMs: (await connected) - start, firstFrameMs: (await firstFrame) - start };
          [...media.getTracks(), ...answerMedia.getTracks()].forEach((t) => t.stop());
          caller.close();
          callee.close();
          document.querySelectorAll('video').forEach((v) => v.remove());
          return result;
        }),
      );
    }
  } finally {
    await renderer.close();
    await browser.close();
  }
  return samples;
}

const softphone = await softphoneSamples();
const bare = await barePeerConnectionSamples();
const rows = (['connectedMs', 'firstFrameMs'] as const).map((key) => {
  const s = softphone.map((x) => x[key]);
  const b = bare.map((x) => x[key]);
  return {
    metric: key === 'connectedMs' ? 'click Call → connected' : 'click Call → first remote frame',
    'softphone p50 ms': Math.round(percentile(s, 50)),
    'softphone max ms': Math.round(Math.max(...s)),
    'bare RTCPeerConnection p50 ms': Math.round(percentile(b, 50)),
    'bare max ms': Math.round(Math.max(...b)),
    'ratio (p50)': Number((percentile(s, 50) / percentile(b, 50)).toFixed(2)),
  };
});
console.log(`Call setup, ${runs} runs each (loopback, fake camera and microphone; Bob's Accept clicked as soon as it shows)`);
console.table(rows);
