import { expect, test } from '@playwright/test';
import { chooseDtmfRoute, negotiatedAudio, type RouteInputs } from '../../../renderer/call/dtmf/dtmf-route.ts';

const opus = { mimeType: 'audio/opus', clockRate: 48000 };
const pcmu = { mimeType: 'audio/PCMU', clockRate: 8000 };
const te8 = { mimeType: 'audio/telephone-event', clockRate: 8000 };
const te48 = { mimeType: 'audio/telephone-event', clockRate: 48000 };
const red = { mimeType: 'audio/red', clockRate: 48000 };

function inputs(overrides: Partial<RouteInputs> = {}): RouteInputs {
  return {
    setting: 'auto',
    canInsertDtmf: true,
    negotiated: negotiatedAudio([opus, te48, te8]),
    peerTakesSignaling: true,
    ...overrides,
  };
}

test('the negotiated codecs give the send clock rate and every telephone-event rate', () => {
  expect(negotiatedAudio([opus, red, te48, te8])).toEqual({ sendClockRate: 48000, telephoneEventRates: [8000, 48000] });
  expect(negotiatedAudio([red, opus, te8])).toEqual({ sendClockRate: 48000, telephoneEventRates: [8000] });
  expect(negotiatedAudio([pcmu, te8])).toEqual({ sendClockRate: 8000, telephoneEventRates: [8000] });
  expect(negotiatedAudio([])).toEqual({ sendClockRate: null, telephoneEventRates: [] });
});

test('auto uses RFC 4733 whenever telephone events match the audio clock', () => {
  for (const codecs of [[opus, te48, te8], [opus, te48], [pcmu, te8]]) {
    expect(chooseDtmfRoute(inputs({ negotiated: negotiatedAudio(codecs) }))).toMatchObject({ route: 'rfc4733', rfc4733Problem: null });
  }
});

test('auto falls back when Opus was answered with telephone-event/8000 only, and says why', () => {
  const decision = chooseDtmfRoute(inputs({ negotiated: negotiatedAudio([opus, te8]) }));
  expect(decision.route).toBe('signaling');
  expect(decision.summary).toMatch(/RFC 4733 is not possible on this call: .*only at 8000 Hz.*48000 Hz audio codec.*over signaling/);
});

test('auto sends over signaling to a peer that takes it, else in the audio', () => {
  const noEvents = negotiatedAudio([opus]);
  expect(chooseDtmfRoute(inputs({ negotiated: noEvents })).route).toBe('signaling');
  const plain = chooseDtmfRoute(inputs({ negotiated: noEvents, peerTakesSignaling: false }));
  expect(plain.route).toBe('inband');
  expect(plain.summary).toMatch(/did not accept telephone events.*tones in your audio/);
  expect(chooseDtmfRoute(inputs({ canInsertDtmf: false, peerTakesSignaling: false })).summary).toMatch(/cannot send telephone events/);
});

test('RFC 4733 only: refused with a way out when the sender cannot insert DTMF, sent anyway on a mismatch', () => {
  const refused = chooseDtmfRoute(inputs({ setting: 'rfc4733', canInsertDtmf: false }));
  expect(refused.route).toBeNull();
  expect(refused.summary).toMatch(/Choose another way to send keys in Settings/);
  const insisted = chooseDtmfRoute(inputs({ setting: 'rfc4733', negotiated: negotiatedAudio([opus, te8]) }));
  expect(insisted.route).toBe('rfc4733');
  expect(insisted.summary).toMatch(/anyway/);
});

test('a forced fallback is used even when RFC 4733 would work, and warns about a peer that may not understand', () => {
  expect(chooseDtmfRoute(inputs({ setting: 'inband' })).route).toBe('inband');
  expect(chooseDtmfRoute(inputs({ setting: 'signaling' })).route).toBe('signaling');
  expect(chooseDtmfRoute(inputs({ setting: 'signaling', peerTakesSignaling: false })).summary).toMatch(/did not say it understands/);
});
