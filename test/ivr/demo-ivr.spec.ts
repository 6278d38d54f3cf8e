/**
 * The demo IVR against real WebRTC callers in Node: a real signaling server,
 * werift peers, real RTP. Media flows, so run inside the loopback namespace:
 *   node scripts/in-loopback-netns.mjs npx playwright test --project=node test/ivr
 */
import { expect, test } from '@playwright/test';
import pino from 'pino';
import { startDemoIvr, type DemoIvr, type DigitEvent, type MenuEvent, type CallEvent } from '../../ivr/demo-ivr.ts';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { createCapturingLogger } from '../support/capturing-logger.ts';
import { WeriftCaller, weriftOfferSdp, withExtraAudioSection, withoutBundle, type CallerOptions } from './werift-caller.ts';

const quiet = pino({ level: process.env.SOFTPHONE_LOG_LEVEL ?? 'warn' });
/** μ-law or Opus silence decodes to an RMS of a few units at most. */
const ABOVE_SILENCE_RMS = 300;

let server: SignalingServer;
let ivr: DemoIvr | null = null;
const callers: WeriftCaller[] = [];

test.beforeEach(async () => {
  server = await startSignalingServer({ host: '127.0.0.1', port: 0, log: quiet });
});

test.afterEach(async () => {
  await Promise.all(callers.splice(0).map((caller) => caller.close()));
  await ivr?.stop();
  ivr = null;
  await server.close();
});

/** Collects every event of the IVR so a test can wait for the ones it expects. */
function record(target: DemoIvr) {
  const seen = { digits: [] as DigitEvent[], menu: [] as MenuEvent[], calls: [] as CallEvent[] };
  target.on('digit', (event) => seen.digits.push(event));
  target.on('menu', (event) => seen.menu.push(event));
  target.on('call', (event) => seen.calls.push(event));
  return seen;
}

async function caller(options: Partial<CallerOptions> & { name: string }) {
  const signedIn = await WeriftCaller.signIn({ serverUrl: server.url, codec: 'pcmu', telephoneEventRates: [8000], log: quiet, ...options });
  callers.push(signedIn);
  return signedIn;
}

const lastPath = (menu: MenuEvent[], who: string) => menu.filter((m) => m.caller === who).at(-1)?.path;

test('PCMU call: prompt audio arrives above silence; in-band tones and signaling digits walk three levels', async () => {
  ivr = await startDemoIvr({ serverUrl: server.url, log: quiet, audio: { codec: 'pcmu', telephoneEventRates: [8000] } });
  const seen = record(ivr);
  expect(server.users()).toContain('Demo IVR');
  const alice = await caller({ name: 'Alice' });
  await alice.call('Demo IVR');
  await expect.poll(() => seen.calls.map((c) => c.state)).toContain('connected');
  expect(seen.calls[0]!.negotiated).toEqual({ codec: { name: 'pcmu', payloadType: 0, clockRate: 8000 }, telephoneEvents: [{ payloadType: 126, clockRate: 8000 }] });
  expect(alice.signals.find((s) => s.type === 'video-answer')).toMatchObject({ features: ['dtmf-signaling'] });

  await expect.poll(() => alice.receivedLevels.filter((level) => level > ABOVE_SILENCE_RMS).length, { timeout: 10_000 }).toBeGreaterThan(10);
  expect(lastPath(seen.menu, 'Alice')).toEqual(['main']);

  alice.startAudio();
  alice.sendInbandTones('21');
  await expect.poll(() => lastPath(seen.menu, 'Alice')).toEqual(['main', 'support', 'internet']);
  expect(seen.digits.map((d) => [d.digit, d.via, d.payloadType])).toEqual([
    ['2', 'inband', 0],
    ['1', 'inband', 0],
  ]);

  alice.sendSignalingDtmf('3');
  await expect.poll(() => lastPath(seen.menu, 'Alice')).toEqual(['main', 'support', 'internet', 'agent']);
  expect(seen.digits.at(-1)).toMatchObject({ caller: 'Alice', digit: '3', via: 'signaling' });
  expect(seen.digits.at(-1)!.receivedAt).toBeGreaterThan(Date.now() - 60_000);

  alice.sendSignalingDtmf('***3');
  await expect.poll(() => lastPath(seen.menu, 'Alice')).toEqual(['main', 'account']);
  alice.sendInbandTones('4711#');
  await expect.poll(() => seen.menu.filter((m) => m.action === 'entry')).toEqual([{ caller: 'Alice', callId: expect.any(String), path: ['main', 'account'], action: 'entry', entry: '4711', digit: '#' }]);

  await alice.hangUp();
  await expect.poll(() => seen.calls.at(-1)?.state).toBe('ended');
  expect(seen.menu.at(-1)).toMatchObject({ action: 'end', path: ['main', 'account', 'account-found'] });
  expect(ivr.callers()).toEqual([]);
});

test('Opus with both telephone-event rates: RFC 4733 digits from two callers at once, one of them offering video', async () => {
  ivr = await startDemoIvr({ serverUrl: server.url, log: quiet });
  const seen = record(ivr);
  const bob = await caller({ name: 'Bob', codec: 'opus', telephoneEventRates: [48000, 8000] });
  const carol = await caller({ name: 'Carol', codec: 'opus', telephoneEventRates: [8000], video: true });
  await Promise.all([bob.call('Demo IVR'), carol.call('Demo IVR')]);
  await expect.poll(() => seen.calls.filter((c) => c.state === 'connected').map((c) => c.caller).sort()).toEqual(['Bob', 'Carol']);
  expect(bob.acceptedTelephoneEvents()).toEqual(new Map([[48000, 126], [8000, 110]]));
  expect(carol.acceptedTelephoneEvents()).toEqual(new Map([[8000, 126]]));
  await expect.poll(() => bob.receivedLevels.filter((level) => level > ABOVE_SILENCE_RMS).length, { timeout: 10_000 }).toBeGreaterThan(10);

  await bob.sendGarbage();
  for (const digit of '213') await bob.sendTelephoneEvent(digit, 48000);
  for (const digit of '2') await carol.sendTelephoneEvent(digit, 8000);
  await carol.sendTelephoneEvent('1', 8000);
  await bob.sendTelephoneEvent('*', 8000);
  await expect.poll(() => lastPath(seen.menu, 'Bob')).toEqual(['main', 'support', 'internet']);
  await expect.poll(() => lastPath(seen.menu, 'Carol')).toEqual(['main', 'support', 'internet']);
  const bobDigits = seen.digits.filter((d) => d.caller === 'Bob');
  expect(bobDigits.map((d) => `${d.digit}/${d.via}/${d.payloadType}/${d.clockRate}`)).toEqual(['2/rfc4733/126/48000', '1/rfc4733/126/48000', '3/rfc4733/126/48000', '*/rfc4733/110/8000']);
  expect(seen.digits.filter((d) => d.caller === 'Carol').map((d) => d.digit).join('')).toBe('21');
  expect(bobDigits[0]!.durationMs).toBe(20);
});

test('bad input never hurts the IVR: dtmf for no call, hang-up for no call, garbage offers', async () => {
  ivr = await startDemoIvr({ serverUrl: server.url, log: quiet, timings: { connectTimeoutMs: 3000 } });
  const seen = record(ivr);
  const mallory = await caller({ name: 'Mallory' });
  mallory.client.send({ type: 'dtmf', target: 'Demo IVR', tones: '123' });
  mallory.client.send({ type: 'hang-up', target: 'Demo IVR' });
  mallory.client.send({ type: 'new-ice-candidate', target: 'Demo IVR', candidate: { candidate: 'candidate:garbage' } });
  mallory.client.send({ type: 'video-offer', target: 'Demo IVR', sdp: { type: 'offer', sdp: 'v=0\r\nnot an sdp' } });
  await expect.poll(() => mallory.signals.map((s) => s.type)).toContain('hang-up');
  expect(seen.digits).toEqual([]);
  // Still answering properly afterwards.
  const dave = await caller({ name: 'Dave', codec: 'opus' });
  await dave.call('Demo IVR');
  await expect.poll(() => seen.calls.filter((c) => c.caller === 'Dave').map((c) => c.state)).toContain('connected');
});

test('stop() hangs up every caller and leaves the user list', async () => {
  ivr = await startDemoIvr({ serverUrl: server.url, log: quiet, name: 'Line 2' });
  expect(ivr.name).toBe('Line 2');
  const erin = await caller({ name: 'Erin', codec: 'opus' });
  await erin.call('Line 2');
  await expect.poll(() => erin.connectionState).toBe('connected');
  await ivr.stop();
  ivr = null;
  await expect.poll(() => erin.signals.map((s) => s.type)).toContain('hang-up');
  await expect.poll(() => server.users()).toEqual(['Erin']);
});

test('the name the server assigns is the one reported', async () => {
  const first = await startDemoIvr({ serverUrl: server.url, log: quiet });
  try {
    ivr = await startDemoIvr({ serverUrl: server.url, log: quiet });
    expect(ivr.name).not.toBe('Demo IVR');
    expect(server.users()).toContain(ivr.name);
  } finally {
    await first.stop();
  }
});

test.describe('what a caller can make the IVR do', () => {
  const hangUps = (who: WeriftCaller) => who.signals.filter((s) => s.type === 'hang-up');

  test('an offer with three media sections is refused with "failed" and logged; no call starts', async () => {
    const capture = createCapturingLogger();
    ivr = await startDemoIvr({ serverUrl: server.url, log: capture.log });
    const seen = record(ivr);
    const mallory = await caller({ name: 'Mallory', codec: 'opus', video: true });
    await mallory.sendOffer('Demo IVR', withExtraAudioSection);
    await expect.poll(() => hangUps(mallory)).toEqual([expect.objectContaining({ name: 'Demo IVR', reason: 'failed', callId: expect.any(String) })]);
    expect(mallory.signals.map((s) => s.type)).not.toContain('video-answer');
    expect(seen.calls).toEqual([]);
    expect(ivr.callers()).toEqual([]);
    expect(capture.warnings()).toContainEqual(expect.objectContaining({ msg: 'refused a call: unacceptable offer', caller: 'Mallory', problem: expect.stringMatching(/3 media sections/) }));
  });

  test('two media sections without a BUNDLE group are refused; the same offer BUNDLEd is answered', async () => {
    ivr = await startDemoIvr({ serverUrl: server.url, log: quiet });
    const seen = record(ivr);
    const mallory = await caller({ name: 'Mallory', codec: 'opus', video: true });
    await mallory.sendOffer('Demo IVR', withoutBundle);
    await expect.poll(() => hangUps(mallory).map((s) => s.reason)).toEqual(['failed']);
    expect(seen.calls).toEqual([]);

    const frank = await caller({ name: 'Frank', codec: 'opus', video: true });
    await frank.call('Demo IVR');
    await expect.poll(() => frank.connectionState).toBe('connected');
    expect(hangUps(frank)).toEqual([]);
  });

  test('maxCalls: the caller over the cap hears "busy" (logged); a redial does not take a second line; a line frees when a call ends', async () => {
    const capture = createCapturingLogger();
    ivr = await startDemoIvr({ serverUrl: server.url, log: capture.log, maxCalls: 2 });
    const seen = record(ivr);
    const [anna, ben] = await Promise.all([caller({ name: 'Anna', codec: 'opus' }), caller({ name: 'Ben', codec: 'opus' })]);
    await Promise.all([anna.call('Demo IVR'), ben.call('Demo IVR')]);
    await expect.poll(() => [anna.connectionState, ben.connectionState]).toEqual(['connected', 'connected']);

    const cleo = await caller({ name: 'Cleo', codec: 'opus' });
    await cleo.call('Demo IVR');
    await expect.poll(() => hangUps(cleo).map((s) => s.reason)).toEqual(['busy']);
    expect(capture.warnings()).toContainEqual(expect.objectContaining({ msg: 'refused a call: all lines busy', caller: 'Cleo', maxCalls: 2 }));

    // Anna redials (a new offer while in a call): it replaces her call instead of being refused.
    const offer = await weriftOfferSdp();
    anna.client.send({ type: 'video-offer', target: 'Demo IVR', callId: 'anna-again', sdp: { type: 'offer', sdp: offer } });
    await expect.poll(() => anna.signals.filter((s) => s.type === 'video-answer').map((s) => s.callId)).toContain('anna-again');
    expect(anna.signals.filter((s) => s.type === 'hang-up' && s.reason === 'busy')).toEqual([]);
    expect(ivr.callers().sort()).toEqual(['Anna', 'Ben']);

    await ben.hangUp();
    await expect.poll(() => ivr!.callers()).toEqual(['Anna']);
    const dora = await caller({ name: 'Dora', codec: 'opus' });
    await dora.call('Demo IVR');
    await expect.poll(() => dora.connectionState).toBe('connected');
    expect(hangUps(dora)).toEqual([]);
    expect(seen.calls.filter((c) => c.caller === 'Cleo')).toEqual([]);
  });

  test('a flood of offers from one caller leaves one call, not one per offer', async () => {
    ivr = await startDemoIvr({ serverUrl: server.url, log: quiet, maxCalls: 2 });
    const seen = record(ivr);
    const mallory = await caller({ name: 'Mallory', codec: 'opus' });
    const offer = await weriftOfferSdp();
    const offers = 20;
    for (let i = 0; i < offers; i++) mallory.client.send({ type: 'video-offer', target: 'Demo IVR', callId: `flood-${i}`, sdp: { type: 'offer', sdp: offer } });
    // Every offer is dealt with: answered (the last, at least) or ended as superseded.
    await expect.poll(() => seen.calls.filter((c) => c.caller === 'Mallory' && c.state === 'ended').length, { timeout: 30_000 }).toBe(offers - 1);
    expect(ivr.callers()).toEqual(['Mallory']);
    expect(mallory.signals.filter((s) => s.type === 'hang-up' && s.reason === 'busy')).toEqual([]);
    // And it still has a free line for someone else.
    const gina = await caller({ name: 'Gina', codec: 'opus' });
    await gina.call('Demo IVR');
    await expect.poll(() => gina.connectionState).toBe('connected');
  });
});
