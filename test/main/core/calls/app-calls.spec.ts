/**
 * The app's call provider: the call vocabulary to the signaling wire and
 * back, with a call that never changes hands.
 */
import { expect, test } from '@playwright/test';
import type { CallEvent } from '../../../../common/call-messages.ts';
import type { RoutedMessage } from '../../../../common/signaling-protocol.ts';
import { AppCalls } from '../../../../main/core/calls/app-calls.ts';
import { CallSwitchboard, MAX_LIVE_CALLS } from '../../../../main/core/calls/call-switchboard.ts';
import type { InboundSignal } from '../../../../main/core/calls/signal-matching.ts';
import { createCapturingLogger } from '../../../support/capturing-logger.ts';

const offerSdp = { type: 'offer' as const, sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n' };
const answerSdp = { type: 'answer' as const, sdp: 'v=0\r\n' };
const candidate = (port: number) => ({ candidate: `candidate:1 1 udp 1 127.0.0.1 ${port} typ host`, sdpMid: '0' });

function setup() {
  const sent: RoutedMessage[] = [];
  const events: CallEvent[] = [];
  let nextId = 0;
  const switchboard = new CallSwitchboard((event) => events.push(event));
  const calls: AppCalls = new AppCalls({
    send: (message) => void sent.push(message),
    sink: switchboard.sinkFor(() => calls),
    newCallId: () => `in-${++nextId}`,
    log: createCapturingLogger().log,
  });
  switchboard.add(calls);
  /** A routed message as the server delivers it: the sender's name stamped, addressed to Alice. */
  const from = (name: string, signal: { type: InboundSignal['type'] } & Record<string, unknown>) =>
    calls.receive({ target: 'Alice', ...signal, name } as InboundSignal);
  return { sent, events, calls, switchboard, from };
}

test.describe('a call we place', () => {
  test('goes out as a video-offer with our features and comes back as an answer with its candidates', async () => {
    const { sent, events, switchboard, from } = setup();
    await switchboard.handle({ kind: 'place', callId: 'c1', account: 'app', to: 'Bob', video: true, offer: offerSdp });
    expect(sent).toEqual([{ type: 'video-offer', target: 'Bob', callId: 'c1', sdp: offerSdp, video: true, features: ['dtmf-signaling'] }]);

    from('Bob', { type: 'ringing', callId: 'c1' });
    from('Bob', { type: 'video-answer', callId: 'c1', sdp: answerSdp, features: ['dtmf-signaling'] });
    from('Bob', { type: 'new-ice-candidate', callId: 'c1', candidate: candidate(5000) });
    from('Bob', { type: 'dtmf', callId: 'c1', tones: '12#' });
    from('Bob', { type: 'hang-up', callId: 'c1', reason: 'hangup' });

    expect(events).toEqual([
      { kind: 'ringing', callId: 'c1' },
      { kind: 'answer', callId: 'c1', answer: answerSdp, early: false, features: ['dtmf-signaling'] },
      { kind: 'candidate', callId: 'c1', candidate: candidate(5000) },
      { kind: 'keys', callId: 'c1', tones: '12#' },
      { kind: 'end', callId: 'c1', cause: 'hangup' },
    ]);
    expect(switchboard.liveCalls).toBe(0);
  });

  test('to a tutorial client is bound to the session of its answer: its earlier candidates count, a stranger’s do not', async () => {
    const { events, switchboard, from } = setup();
    await switchboard.handle({ kind: 'place', callId: 'c1', account: 'app', to: 'Bob', video: false, offer: offerSdp });

    from('Bob', { type: 'new-ice-candidate', sid: 's-bob', candidate: candidate(5001) });
    from('Bob', { type: 'new-ice-candidate', sid: 's-impostor', candidate: candidate(6666) });
    from('Bob', { type: 'video-answer', sid: 's-bob', sdp: answerSdp });
    from('Bob', { type: 'new-ice-candidate', sid: 's-impostor', candidate: candidate(6667) });
    from('Bob', { type: 'new-ice-candidate', sid: 's-bob', candidate: candidate(5002) });
    // The tutorial client's hang-up: no call id, target null.
    from('Bob', { type: 'hang-up', sid: 's-impostor', target: null });
    from('Bob', { type: 'hang-up', sid: 's-bob', target: null });

    expect(events).toEqual([
      { kind: 'answer', callId: 'c1', answer: answerSdp, early: false, features: [] },
      { kind: 'candidate', callId: 'c1', candidate: candidate(5001) },
      { kind: 'candidate', callId: 'c1', candidate: candidate(5002) },
      { kind: 'end', callId: 'c1', cause: 'hangup' },
    ]);
  });

  test('to somebody offline ends as offline; another refusal ends as failed, in words', async () => {
    const { events, switchboard, calls } = setup();
    await switchboard.handle({ kind: 'place', callId: 'c1', account: 'app', to: 'Nobody', video: false, offer: offerSdp });
    calls.refused({ code: 'unknown-target', message: 'Nobody is not online', callId: 'c1' });
    await switchboard.handle({ kind: 'place', callId: 'c2', account: 'app', to: 'Bob', video: false, offer: offerSdp });
    calls.refused({ code: 'rate-limited', message: 'Too many messages', callId: 'c2' });
    // An error about no call of ours changes nothing.
    calls.refused({ code: 'unknown-target', message: 'gone', callId: 'c9' });

    expect(events).toEqual([
      { kind: 'end', callId: 'c1', cause: 'offline' },
      { kind: 'end', callId: 'c2', cause: 'failed', message: 'The server refused the call: Too many messages' },
    ]);
  });

  test('cannot be answered, ended or fed candidates by somebody else using its call id', async () => {
    const { events, switchboard, from } = setup();
    await switchboard.handle({ kind: 'place', callId: 'c1', account: 'app', to: 'Bob', video: false, offer: offerSdp });
    from('Mallory', { type: 'video-answer', callId: 'c1', sdp: answerSdp });
    from('Mallory', { type: 'new-ice-candidate', callId: 'c1', candidate: candidate(6666) });
    from('Mallory', { type: 'hang-up', callId: 'c1' });
    expect(events).toEqual([]);
    expect(switchboard.liveCalls).toBe(1);
  });
});

test.describe('a call that comes in', () => {
  test('gets an id made here, not the caller’s, and our replies carry the caller’s id on the wire', async () => {
    const { sent, events, switchboard, from } = setup();
    from('Bob', { type: 'video-offer', callId: 'bob-call', sdp: offerSdp, video: false, features: ['dtmf-signaling'] });
    expect(events).toEqual([
      { kind: 'incoming', callId: 'in-1', account: 'app', from: 'Bob', offer: offerSdp, video: false, trickle: true, features: ['dtmf-signaling'] },
    ]);

    await switchboard.handle({ kind: 'ringing', callId: 'in-1' });
    await switchboard.handle({ kind: 'answer', callId: 'in-1', answer: answerSdp });
    await switchboard.handle({ kind: 'keys', callId: 'in-1', tones: '5', durationMs: 100 });
    await switchboard.handle({ kind: 'end', callId: 'in-1', cause: 'hangup' });
    expect(sent).toEqual([
      { type: 'ringing', target: 'Bob', callId: 'bob-call' },
      { type: 'video-answer', target: 'Bob', callId: 'bob-call', sdp: answerSdp, features: ['dtmf-signaling'] },
      { type: 'dtmf', target: 'Bob', callId: 'bob-call', tones: '5', durationMs: 100 },
      { type: 'hang-up', target: 'Bob', callId: 'bob-call', reason: 'hangup' },
    ]);
    // Ending it again (the other side hung up at the same moment) is not an error; a command for it is.
    await switchboard.handle({ kind: 'end', callId: 'in-1', cause: 'hangup' });
    await expect(switchboard.handle({ kind: 'keys', callId: 'in-1', tones: '1', durationMs: 100 })).rejects.toThrow('No call with id in-1');
  });

  test('from a tutorial client: no ringing it would not understand, its video offer seen from the SDP, a new offer once answered is a renegotiation', async () => {
    const { sent, events, switchboard, from } = setup();
    const videoOffer = { type: 'offer' as const, sdp: 'v=0\r\nm=audio 9 X 0\r\nm=video 9 X 96\r\n' };
    from('Bob', { type: 'video-offer', sid: 's-bob', sdp: videoOffer });
    await switchboard.handle({ kind: 'ringing', callId: 'in-1' });
    // The same offer again before the answer is a repeat, not a second call.
    from('Bob', { type: 'video-offer', sid: 's-bob', sdp: videoOffer });
    await switchboard.handle({ kind: 'answer', callId: 'in-1', answer: answerSdp });
    from('Bob', { type: 'video-offer', sid: 's-bob', sdp: offerSdp });

    expect(events.map((e) => [e.kind, e.callId, e.kind === 'incoming' ? e.video : null])).toEqual([
      ['incoming', 'in-1', true],
      ['offer', 'in-1', null],
    ]);
    expect(sent.map((m) => [m.type, m.callId])).toEqual([['video-answer', 'in-1']]);
  });

  test('a second caller is a second incoming call; past the limit the network says busy without asking', async () => {
    const { sent, events, from } = setup();
    for (let i = 0; i <= MAX_LIVE_CALLS; i++) from(`Caller${i}`, { type: 'video-offer', callId: `x${i}`, sdp: offerSdp });
    expect(events.filter((e) => e.kind === 'incoming')).toHaveLength(MAX_LIVE_CALLS);
    expect(sent).toEqual([{ type: 'hang-up', target: `Caller${MAX_LIVE_CALLS}`, callId: `x${MAX_LIVE_CALLS}`, reason: 'busy' }]);
  });

  test('a caller who gives up ends the call as cancelled', () => {
    const { events, from } = setup();
    from('Bob', { type: 'video-offer', callId: 'b1', sdp: offerSdp });
    from('Bob', { type: 'hang-up', callId: 'b1', reason: 'cancelled' });
    expect(events.at(-1)).toEqual({ kind: 'end', callId: 'in-1', cause: 'cancelled' });
  });
});
