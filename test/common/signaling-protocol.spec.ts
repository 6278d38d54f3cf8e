import { test, expect } from '@playwright/test';
import {
  MAX_MESSAGE_BYTES,
  parseClientMessage,
  parseServerMessage,
  stringifyClientMessage,
  stringifyServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../../common/signaling-protocol.ts';

/** Exactly what the MDN tutorial's browser client puts on the wire. */
const tutorialOffer = {
  name: 'alice',
  target: 'bob',
  type: 'video-offer',
  sdp: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
};
const tutorialIceCandidate = {
  type: 'new-ice-candidate',
  target: 'bob',
  candidate: {
    candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host',
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'abcd',
  },
};

test.describe('parseClientMessage', () => {
  test('accepts the tutorial client messages as they are', () => {
    for (const message of [
      { type: 'username', name: 'alice', id: 1713, date: 1_700_000_000_000 },
      tutorialOffer,
      { ...tutorialOffer, type: 'video-answer', sdp: { type: 'answer', sdp: 'v=0\r\n' } },
      tutorialIceCandidate,
      { name: 'alice', target: 'bob', type: 'hang-up' },
      { type: 'message', text: 'hi', id: 1713, date: 1_700_000_000_000 },
    ]) {
      const result = parseClientMessage(JSON.stringify(message));
      expect(result, JSON.stringify(message)).toMatchObject({ ok: true, message: { type: message.type } });
    }
  });

  test('keeps the SDP and the ICE candidate as the objects the browser produced', () => {
    const offer = parseClientMessage(JSON.stringify(tutorialOffer));
    expect(offer).toMatchObject({ ok: true, message: { sdp: tutorialOffer.sdp, target: 'bob' } });
    const ice = parseClientMessage(JSON.stringify(tutorialIceCandidate));
    expect(ice).toMatchObject({ ok: true, message: { candidate: tutorialIceCandidate.candidate } });
  });

  test('refuses an unknown type even with a target: only validated fields are routed', () => {
    const future = { type: 'video-mute', target: 'ivr', muted: true, callId: 'c1' };
    expect(parseClientMessage(JSON.stringify(future))).toMatchObject({ ok: false, code: 'unknown-type', type: 'video-mute' });
  });

  test('drops fields the schema does not name, so nothing unvalidated is routed', () => {
    const result = parseClientMessage(JSON.stringify({ ...tutorialOffer, payload: { huge: 'x' }, __proto__: 1 }));
    expect(result.ok && Object.keys(result.message)).not.toContain('payload');
  });

  test("accepts the tutorial client's hang-up with target null (it forgets the peer before sending)", () => {
    const result = parseClientMessage(JSON.stringify({ name: 'alice', target: null, type: 'hang-up' }));
    expect(result).toMatchObject({ ok: true, message: { type: 'hang-up', target: null } });
  });

  test('accepts sign-in with features, a password, a key proof or a session token', () => {
    for (const extra of [
      { features: ['presence-delta'] },
      { auth: { kind: 'password', password: 'correct horse' } },
      { auth: { kind: 'key', nonce: 'n'.repeat(32), proof: 'p'.repeat(43), service: true } },
      { session: 'eyJhbGciOi.x.y' },
    ]) {
      const result = parseClientMessage(JSON.stringify({ type: 'username', name: 'alice', ...extra }));
      expect(result, JSON.stringify(extra)).toMatchObject({ ok: true, message: { type: 'username', ...extra } });
    }
    const badAuth = parseClientMessage(JSON.stringify({ type: 'username', name: 'alice', auth: { kind: 'magic' } }));
    expect(badAuth).toMatchObject({ ok: false, code: 'bad-message', type: 'username' });
  });

  test('accepts DTMF over signaling and refuses tones that are not keys', () => {
    const dtmf = { type: 'dtmf', target: 'Demo IVR', callId: 'c1', tones: '12*#A' };
    expect(parseClientMessage(JSON.stringify(dtmf))).toEqual({ ok: true, message: dtmf });
    expect(parseClientMessage(JSON.stringify({ ...dtmf, tones: '12x' }))).toMatchObject({ ok: false, code: 'bad-message', type: 'dtmf' });
    expect(parseClientMessage(JSON.stringify({ ...dtmf, tones: '' }))).toMatchObject({ ok: false, code: 'bad-message' });
  });

  test('rejects an unknown type without a target as unknown-type', () => {
    const result = parseClientMessage(JSON.stringify({ type: 'teleport' }));
    expect(result).toMatchObject({ ok: false, code: 'unknown-type', type: 'teleport' });
  });

  test('rejects a frame over the size limit as too-large', () => {
    const text = JSON.stringify({ type: 'message', text: 'x'.repeat(MAX_MESSAGE_BYTES) });
    expect(parseClientMessage(text)).toMatchObject({ ok: false, code: 'too-large' });
  });

  test('rejects text that is not JSON as bad-json', () => {
    expect(parseClientMessage('{"type": "username", ')).toMatchObject({ ok: false, code: 'bad-json' });
  });

  test('rejects JSON that is not a typed object as bad-message', () => {
    for (const text of ['[1,2]', '"hello"', 'null', '{"type": 7}', '{}']) {
      expect(parseClientMessage(text), text).toMatchObject({ ok: false, code: 'bad-message' });
    }
  });

  test('rejects a known type with invalid fields as bad-message and says which', () => {
    const noSdp = parseClientMessage(JSON.stringify({ type: 'video-offer', target: 'bob' }));
    expect(noSdp).toMatchObject({ ok: false, code: 'bad-message', type: 'video-offer' });
    expect(noSdp.ok === false && noSdp.error).toContain('sdp');
    const blankName = parseClientMessage(JSON.stringify({ type: 'username', name: '   ' }));
    expect(blankName).toMatchObject({ ok: false, code: 'bad-message', type: 'username' });
  });
});

test.describe('parseServerMessage', () => {
  test('accepts what the tutorial server sends, ICE candidates without a name included', () => {
    for (const message of [
      { type: 'id', id: 1713 },
      { type: 'rejectusername', name: 'alice1' },
      { type: 'userlist', users: ['alice', 'bob'] },
      { ...tutorialIceCandidate },
      { type: 'error', code: 'unknown-target', message: 'bob is not online', target: 'bob' },
    ]) {
      const result = parseServerMessage(JSON.stringify(message));
      expect(result, JSON.stringify(message)).toMatchObject({ ok: true, message: { type: message.type } });
    }
  });

  test('rejects a server error with an unknown code', () => {
    const result = parseServerMessage(JSON.stringify({ type: 'error', code: 'kaboom', message: 'x' }));
    expect(result).toMatchObject({ ok: false, code: 'bad-message' });
  });
});

test.describe('stringify', () => {
  test('round-trips a valid message', () => {
    const offer: ClientMessage = { type: 'video-offer', target: 'bob', callId: 'call-1', sdp: { type: 'offer', sdp: 'v=0' } };
    expect(parseClientMessage(stringifyClientMessage(offer))).toEqual({ ok: true, message: offer });
    const list: ServerMessage = { type: 'userlist', users: ['alice'] };
    expect(parseServerMessage(stringifyServerMessage(list))).toEqual({ ok: true, message: list });
  });

  test('throws instead of sending an invalid message', () => {
    expect(() => stringifyClientMessage({ type: 'username', name: '' } as ClientMessage)).toThrow();
    expect(() => stringifyClientMessage({ type: 'hang-up' } as unknown as ClientMessage)).toThrow();
    expect(() => stringifyServerMessage({ type: 'userlist', users: 'alice' } as unknown as ServerMessage)).toThrow();
  });
});
