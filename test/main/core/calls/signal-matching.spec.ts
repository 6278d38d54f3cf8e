/** A call never changes hands: which signals belong to a call, and what a second offer is. */
import { expect, test } from '@playwright/test';
import {
  bindingAfter,
  bindingOfOffer,
  classifyOffer,
  HeldSignals,
  isErrorForCall,
  matchSignal,
  type CallIdentity,
  type InboundSignal,
  type InCallSignal,
  type OfferSignal,
} from '../../../../main/core/calls/signal-matching.ts';

const sdp = { type: 'offer' as const, sdp: 'v=0\r\n' };
const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' };

function offer(fields: Partial<OfferSignal> = {}): OfferSignal {
  return { type: 'video-offer', name: 'Bob', target: 'Alice', sdp, ...fields };
}
function signal<T extends InCallSignal['type']>(type: T, fields: Partial<InboundSignal> = {}): InCallSignal {
  const base = { name: 'Bob', target: 'Alice', ...fields };
  switch (type) {
    case 'video-answer':
      return { type, ...base, sdp: { type: 'answer', sdp: 'v=0\r\n' } } as InCallSignal;
    case 'new-ice-candidate':
      return { type, ...base, candidate } as InCallSignal;
    case 'hang-up':
      return { type, ...base } as InCallSignal;
    case 'ringing':
      return { type, ...base, callId: base.callId ?? 'c1' } as InCallSignal;
    default:
      return { type: 'dtmf', ...base, tones: '1' } as InCallSignal;
  }
}

const withIds: CallIdentity = { id: 'c1', peer: 'Bob', binding: { kind: 'call-id' } };
const legacy: CallIdentity = { id: 'legacy-1', peer: 'Bob', binding: { kind: 'session', sid: 's1' } };
const placed: CallIdentity = { id: 'c1', peer: 'Bob', binding: { kind: 'unconfirmed' } };

test.describe('a call with call ids', () => {
  test('takes signals with its id from its peer', () => {
    for (const type of ['video-answer', 'new-ice-candidate', 'hang-up', 'ringing', 'dtmf'] as const) {
      expect(matchSignal(withIds, signal(type, { callId: 'c1' })), type).toBe('ours');
    }
  });

  test('ignores signals without an id, with another id, or from another name', () => {
    for (const type of ['video-answer', 'new-ice-candidate', 'hang-up', 'dtmf'] as const) {
      expect(matchSignal(withIds, signal(type)), type).toBe('foreign');
      expect(matchSignal(withIds, signal(type, { callId: 'c2' })), type).toBe('foreign');
      expect(matchSignal(withIds, signal(type, { callId: 'c1', name: 'Mallory' })), type).toBe('foreign');
    }
  });

  test('a target-null hang-up without the id does not end it', () => {
    expect(matchSignal(withIds, signal('hang-up', { target: null, sid: 's1' }))).toBe('foreign');
  });

  test('an offer with the same id while connected is a renegotiation; before that, a repeat', () => {
    expect(classifyOffer({ ...withIds, answered: true }, offer({ callId: 'c1' }))).toBe('renegotiation');
    expect(classifyOffer({ ...withIds, answered: false }, offer({ callId: 'c1' }))).toBe('repeat');
  });

  test('an offer without an id, with another id, or from another name is a second call', () => {
    expect(classifyOffer({ ...withIds, answered: true }, offer())).toBe('another-call');
    expect(classifyOffer({ ...withIds, answered: true }, offer({ sid: 's2' }))).toBe('another-call');
    expect(classifyOffer({ ...withIds, answered: true }, offer({ callId: 'c2' }))).toBe('another-call');
    expect(classifyOffer({ ...withIds, answered: true }, offer({ callId: 'c1', name: 'Mallory' }))).toBe('another-call');
  });
});

test.describe('a call with a client that sends no call ids', () => {
  test('is bound to the session of its offer', () => {
    expect(bindingOfOffer(offer({ sid: 's1' }))).toEqual({ kind: 'session', sid: 's1' });
    expect(bindingOfOffer(offer({ sid: 's1', callId: 'c9' }))).toEqual({ kind: 'call-id' });
  });

  test('takes signals from that session, and a target-null hang-up from it ends the call', () => {
    expect(matchSignal(legacy, signal('new-ice-candidate', { sid: 's1' }))).toBe('ours');
    expect(matchSignal(legacy, signal('hang-up', { sid: 's1', target: null }))).toBe('ours');
  });

  test('ignores the same name from another session', () => {
    for (const type of ['video-answer', 'new-ice-candidate', 'hang-up', 'dtmf'] as const) {
      expect(matchSignal(legacy, signal(type, { sid: 's2' })), type).toBe('foreign');
      expect(matchSignal(legacy, signal(type)), `${type} without a session`).toBe('foreign');
    }
    expect(matchSignal(legacy, signal('hang-up', { sid: 's2', target: null }))).toBe('foreign');
  });

  test('an offer from the same name and session while connected is a renegotiation; from another session, a second call', () => {
    expect(classifyOffer({ ...legacy, answered: true }, offer({ sid: 's1' }))).toBe('renegotiation');
    expect(classifyOffer({ ...legacy, answered: true }, offer({ sid: 's2' }))).toBe('another-call');
    expect(classifyOffer({ ...legacy, answered: true }, offer())).toBe('another-call');
    expect(classifyOffer({ ...legacy, answered: true }, offer({ sid: 's1', callId: 'c7' }))).toBe('another-call');
    expect(classifyOffer({ ...legacy, answered: false }, offer({ sid: 's1' }))).toBe('repeat');
  });

  test('with a server that stamps no sessions, it falls back to the name alone', () => {
    const unstamped: CallIdentity = { ...legacy, binding: { kind: 'session', sid: undefined } };
    expect(matchSignal(unstamped, signal('hang-up', { target: null }))).toBe('ours');
    expect(matchSignal(unstamped, signal('hang-up', { sid: 's2' }))).toBe('foreign');
    expect(classifyOffer({ ...unstamped, answered: true }, offer())).toBe('renegotiation');
  });
});

test.describe('a call we placed, before the answer', () => {
  test('an answer with our id binds it to call ids; one without binds it to its session', () => {
    const answerWithId = signal('video-answer', { callId: 'c1', sid: 's1' });
    expect(matchSignal(placed, answerWithId)).toBe('ours');
    expect(bindingAfter(placed, answerWithId)).toEqual({ kind: 'call-id' });
    const bareAnswer = signal('video-answer', { sid: 's1' });
    expect(matchSignal(placed, bareAnswer)).toBe('binds');
    expect(bindingAfter(placed, bareAnswer)).toEqual({ kind: 'session', sid: 's1' });
  });

  test('holds early candidates without an id, and ignores other id-less signals and other names', () => {
    expect(matchSignal(placed, signal('new-ice-candidate', { sid: 's1' }))).toBe('hold');
    expect(matchSignal(placed, signal('hang-up', { sid: 's1' }))).toBe('foreign');
    expect(matchSignal(placed, signal('video-answer', { name: 'Mallory' }))).toBe('foreign');
  });

  test('a binding, once made, does not change', () => {
    expect(bindingAfter(legacy, signal('hang-up', { callId: 'legacy-1' }))).toBe(legacy.binding);
    expect(bindingAfter(withIds, signal('hang-up', { callId: 'c1' }))).toBe(withIds.binding);
  });

  test('held candidates count only for the session the answer came from', () => {
    const held = new HeldSignals<{ sid?: string; n: number }>(3);
    held.hold({ sid: 's1', n: 1 });
    held.hold({ sid: 's2', n: 2 });
    held.hold({ sid: 's1', n: 3 });
    held.hold({ sid: 's1', n: 4 });
    expect(held.size).toBe(3);
    expect(held.release('s1').map((s) => s.n)).toEqual([1, 3]);
    expect(held.size).toBe(0);
  });
});

test('no call in progress: an offer is a new call', () => {
  expect(classifyOffer(null, offer())).toBe('new-call');
  expect(classifyOffer(null, offer({ callId: 'c1' }))).toBe('new-call');
});

test('a server error concerns the call only when it names the call’s id', () => {
  expect(isErrorForCall(withIds, { callId: 'c1' })).toBe(true);
  expect(isErrorForCall(legacy, { callId: 'legacy-1' })).toBe(true);
  // E.g. the busy answer to a second caller under the peer's name, which carries no id of ours.
  expect(isErrorForCall(withIds, {})).toBe(false);
  expect(isErrorForCall(withIds, { callId: 'c2' })).toBe(false);
});
